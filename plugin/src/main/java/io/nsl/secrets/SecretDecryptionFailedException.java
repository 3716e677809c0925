package io.nsl.secrets;

import io.nsl.NslException;

/**
 * A signed envelope's ciphertext did not decrypt (wrong ephemeral key, altered ciphertext or
 * header).
 */
public final class SecretDecryptionFailedException extends NslException {
  public static final String CODE = "SECRET_DECRYPTION_FAILED";

  public SecretDecryptionFailedException(String message) {
    super(CODE, message);
  }
}
