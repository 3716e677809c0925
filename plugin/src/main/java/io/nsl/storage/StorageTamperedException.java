package io.nsl.storage;

import io.nsl.NslException;

/**
 * A stored value failed authentication (flipped bit, value copied to another key, truncated or
 * reordered stream, unsealed value in an encrypted store). The value is never returned.
 */
public final class StorageTamperedException extends NslException {
  public static final String CODE = "STORAGE_TAMPERED";

  public StorageTamperedException(String message) {
    super(CODE, message);
  }

  public StorageTamperedException(String message, Throwable cause) {
    super(CODE, message, cause);
  }
}
