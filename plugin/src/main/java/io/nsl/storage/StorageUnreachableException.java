package io.nsl.storage;

import io.nsl.NslException;

/**
 * The PostgreSQL server of the store cannot be reached (refused, timed out, name not resolved, or
 * gone mid-operation); the message names host:port and what to check. Retryable: the same operation
 * may succeed once the server is back.
 */
public final class StorageUnreachableException extends NslException {
  public static final String CODE = "STORAGE_UNREACHABLE";

  public StorageUnreachableException(String message) {
    super(CODE, message);
  }

  public StorageUnreachableException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
