package io.nsl.devnet;

import io.nsl.NslException;

/** There is no devnet in the folder a command was pointed at. */
public final class DevnetNotRunningException extends NslException {
  public DevnetNotRunningException(java.nio.file.Path dir) {
    super(
        "DEVNET_NOT_RUNNING",
        "there is no devnet in "
            + dir
            + "; start one with './nsl devnet up' (or name its folder with --dir)");
  }
}
