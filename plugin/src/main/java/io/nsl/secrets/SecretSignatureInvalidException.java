package io.nsl.secrets;

import io.nsl.NslException;

/** The owner's signature over a secret envelope does not verify. */
public final class SecretSignatureInvalidException extends NslException {
  public static final String CODE = "SECRET_SIGNATURE_INVALID";

  public SecretSignatureInvalidException(String message) {
    super(CODE, message);
  }
}
