package io.nsl.storage;

import io.nsl.NslException;

/** A write would take a function's state over its quota of bytes or keys. Nothing was written. */
public final class StorageQuotaExceededException extends NslException {
  public static final String CODE = "STORAGE_QUOTA_EXCEEDED";

  public StorageQuotaExceededException(String message) {
    super(CODE, message);
  }

  public StorageQuotaExceededException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
