package io.nsl.secrets;

import io.nsl.NslException;

/** A secret name is empty, too long, or has a character outside [A-Za-z0-9_.-]. */
public final class InvalidSecretNameException extends NslException {
  public static final String CODE = "SECRET_INVALID_NAME";

  public InvalidSecretNameException(String message) {
    super(CODE, message);
  }
}
