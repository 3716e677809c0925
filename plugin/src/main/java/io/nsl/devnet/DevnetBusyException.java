package io.nsl.devnet;

import io.nsl.NslException;

/** Another {@code ./nsl devnet} command is working on the same folder; wait for it to end. */
public final class DevnetBusyException extends NslException {
  public DevnetBusyException(java.nio.file.Path dir) {
    super(
        "DEVNET_BUSY",
        "another './nsl devnet' command is working on "
            + dir
            + "; wait for it to finish (or, if it was killed, run the command again)");
  }
}
