package io.nsl.devnet;

import io.nsl.NslException;

/** The local development chain could not be started or used; the message says what to do. */
public final class DevnetException extends NslException {
  public DevnetException(String message) {
    super("DEVNET", message);
  }
}
