package io.nsl.secrets;

import io.nsl.NslException;

/** A secret value is larger than the per-secret limit. */
public final class SecretTooLargeException extends NslException {
  public static final String CODE = "SECRET_TOO_LARGE";

  public SecretTooLargeException(String message) {
    super(CODE, message);
  }
}
