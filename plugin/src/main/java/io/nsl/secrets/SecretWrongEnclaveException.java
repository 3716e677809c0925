package io.nsl.secrets;

import io.nsl.NslException;

/** A secret envelope was encrypted to another enclave's secrets key. */
public final class SecretWrongEnclaveException extends NslException {
  public static final String CODE = "SECRET_WRONG_ENCLAVE";

  public SecretWrongEnclaveException(String message) {
    super(CODE, message);
  }
}
