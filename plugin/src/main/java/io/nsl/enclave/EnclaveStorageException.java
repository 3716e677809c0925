package io.nsl.enclave;

import io.nsl.NslException;

/** Reading or writing the enclave's data folder failed (disk full, permissions, missing mount). */
public final class EnclaveStorageException extends NslException {
  public EnclaveStorageException(String message, Throwable cause) {
    super("ENCLAVE_STORAGE", message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
