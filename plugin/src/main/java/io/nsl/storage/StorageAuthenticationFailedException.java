package io.nsl.storage;

import io.nsl.NslException;

/**
 * The PostgreSQL server refused the store's user or password (or its pg_hba.conf refuses the
 * connection); the message names the user and host:port, never the password.
 */
public final class StorageAuthenticationFailedException extends NslException {
  public static final String CODE = "STORAGE_AUTH_FAILED";

  public StorageAuthenticationFailedException(String message) {
    super(CODE, message);
  }

  public StorageAuthenticationFailedException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
