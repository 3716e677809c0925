package io.nsl.storage;

import io.nsl.NslException;

/**
 * The store could not be opened: missing folder without create-if-missing, folder locked by another
 * process, unknown format.
 */
public final class StorageOpenException extends NslException {
  public static final String CODE = "STORAGE_OPEN_FAILED";

  public StorageOpenException(String message) {
    super(CODE, message);
  }

  public StorageOpenException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
