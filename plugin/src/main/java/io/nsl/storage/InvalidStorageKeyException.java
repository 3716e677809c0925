package io.nsl.storage;

import io.nsl.NslException;

/** A key or namespace name is empty, too long, or has characters outside the allowed set. */
public final class InvalidStorageKeyException extends NslException {
  public static final String CODE = "STORAGE_INVALID_KEY";

  public InvalidStorageKeyException(String message) {
    super(CODE, message);
  }

  public InvalidStorageKeyException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
