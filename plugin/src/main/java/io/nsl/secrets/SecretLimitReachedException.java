package io.nsl.secrets;

import io.nsl.NslException;

/** An owner already has the maximum number of secrets. */
public final class SecretLimitReachedException extends NslException {
  public static final String CODE = "SECRET_LIMIT_REACHED";

  public SecretLimitReachedException(String message) {
    super(CODE, message);
  }
}
