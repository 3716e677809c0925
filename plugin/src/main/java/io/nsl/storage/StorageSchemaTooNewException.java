package io.nsl.storage;

import io.nsl.NslException;

/**
 * The store's database schema was migrated by a newer NSL than this one: this build does not know
 * its tables and refuses to touch them. Run the newer build, or restore the database.
 */
public final class StorageSchemaTooNewException extends NslException {
  public static final String CODE = "STORAGE_SCHEMA_TOO_NEW";

  public StorageSchemaTooNewException(String message) {
    super(CODE, message);
  }

  public StorageSchemaTooNewException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
