package io.nsl.secrets;

import io.nsl.NslException;

/** The owner has no secret of that name. */
public final class SecretNotFoundException extends NslException {
  public static final String CODE = "SECRET_NOT_FOUND";

  public SecretNotFoundException(String message) {
    super(CODE, message);
  }
}
