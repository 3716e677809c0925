package io.nsl.devnet;

import io.nsl.NslException;

/**
 * {@code ./nsl devnet up} was asked for other workers or another store than the devnet in the
 * folder has; the message says how to get either.
 */
public final class DevnetConflictException extends NslException {
  public DevnetConflictException(java.nio.file.Path dir, Devnet.Shape has, Devnet.Shape asked) {
    super(
        "DEVNET_CONFLICT",
        "the devnet in "
            + dir
            + " has "
            + has.workers()
            + " worker(s) on "
            + has.store()
            + ", not the "
            + asked.workers()
            + " on "
            + asked.store()
            + " asked for; leave --workers and --store out to use it, or run './nsl devnet down"
            + " --purge' first for a new one (or give another --dir)");
  }
}
