package io.nsl.storage;

import io.nsl.NslException;

/** The store cannot be written: its folder is read-only, or it was opened read-only. */
public final class StorageReadOnlyException extends NslException {
  public static final String CODE = "STORAGE_READ_ONLY";

  public StorageReadOnlyException(String message) {
    super(CODE, message);
  }

  public StorageReadOnlyException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
