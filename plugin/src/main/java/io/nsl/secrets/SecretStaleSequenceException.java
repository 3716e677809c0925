package io.nsl.secrets;

import io.nsl.NslException;

/**
 * An envelope's sequence is not above the owner's last accepted one: a replayed or out-of-order
 * envelope.
 */
public final class SecretStaleSequenceException extends NslException {
  public static final String CODE = "SECRET_STALE_SEQUENCE";

  public SecretStaleSequenceException(String message) {
    super(CODE, message);
  }
}
