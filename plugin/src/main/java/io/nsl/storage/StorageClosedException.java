package io.nsl.storage;

import io.nsl.NslException;

/** The store was used after close(). */
public final class StorageClosedException extends NslException {
  public static final String CODE = "STORAGE_CLOSED";

  public StorageClosedException(String message) {
    super(CODE, message);
  }

  public StorageClosedException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
