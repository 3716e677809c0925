package io.nsl.secrets;

import io.nsl.NslException;

/** Concurrent updates of one owner's secrets kept colliding; retry. */
public final class SecretConflictException extends NslException {
  public static final String CODE = "SECRET_CONFLICT";

  public SecretConflictException(String message) {
    super(CODE, message);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
