package io.nsl.storage;

import io.nsl.NslException;

/**
 * A compare-and-set or batch version check failed: another writer changed the key first. Nothing
 * was written; read again and retry.
 */
public final class StorageVersionConflictException extends NslException {
  public static final String CODE = "STORAGE_VERSION_CONFLICT";

  public StorageVersionConflictException(String message) {
    super(CODE, message);
  }

  public StorageVersionConflictException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
