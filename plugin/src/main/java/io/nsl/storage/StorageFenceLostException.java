package io.nsl.storage;

import io.nsl.NslException;

/**
 * A write to a pinned namespace was refused because the lock row that fences it ({@link
 * StorageFence}) changed: this worker's lock on the function lapsed and another worker took it over
 * (decision 1010). Nothing was written. Not retryable by the caller: the run that wrote is stale
 * and must be dropped; the request runs again under a fresh lock.
 */
public final class StorageFenceLostException extends NslException {
  public static final String CODE = "STORAGE_FENCE_LOST";

  public StorageFenceLostException(String message) {
    super(CODE, message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
