package io.nsl.secrets;

import io.nsl.NslException;

/** The public key that signed an envelope does not belong to the account it names. */
public final class SecretOwnerMismatchException extends NslException {
  public static final String CODE = "SECRET_OWNER_MISMATCH";

  public SecretOwnerMismatchException(String message) {
    super(CODE, message);
  }
}
