package io.nsl.storage;

import io.nsl.NslException;

/**
 * The storage engine failed to read or write (an I/O error other than a full disk or a read-only
 * folder).
 */
public final class StorageIoException extends NslException {
  public static final String CODE = "STORAGE_IO_ERROR";

  public StorageIoException(String message) {
    super(CODE, message);
  }

  public StorageIoException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
