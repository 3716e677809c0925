package io.nsl.storage;

import io.nsl.NslException;

/**
 * The store was sealed with another key than the one provided (another enclave, a changed sealing
 * identity), or opened with encryption on/off the other way than it was created.
 */
public final class StorageKeyMismatchException extends NslException {
  public static final String CODE = "STORAGE_KEY_MISMATCH";

  public StorageKeyMismatchException(String message) {
    super(CODE, message);
  }

  public StorageKeyMismatchException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
