package io.nsl.storage;

import io.nsl.NslException;

/**
 * The disk under the store is full. The write was not acknowledged; what was acknowledged before
 * stays readable.
 */
public final class StorageDiskFullException extends NslException {
  public static final String CODE = "STORAGE_DISK_FULL";

  public StorageDiskFullException(String message) {
    super(CODE, message);
  }

  public StorageDiskFullException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
