package io.nsl.storage;

import io.nsl.NslException;

/** A value is larger than the store's limit for its kind of access. */
public final class StorageValueTooLargeException extends NslException {
  public static final String CODE = "STORAGE_VALUE_TOO_LARGE";

  public StorageValueTooLargeException(String message) {
    super(CODE, message);
  }

  public StorageValueTooLargeException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
