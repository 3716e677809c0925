package io.nsl.storage;

import io.nsl.NslException;

/**
 * A pinned run's release ({@link StatePin#release}: its state writes and its lock's release, one
 * commit) lost its connection during the commit, and reading the lock row back to learn whether it
 * landed failed too (the server is down or unreachable). The run's outcome is unknown: it may have
 * been written. Not retryable: running the request again could apply the run's writes twice. The
 * holder of the pin keeps the run's answer and asks {@link StatePin#releaseCommitted} until the
 * store can tell (decision 1010, "A release of unknown outcome").
 */
public final class StorageOutcomeUnknownException extends NslException {
  public static final String CODE = "STORAGE_OUTCOME_UNKNOWN";

  public StorageOutcomeUnknownException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
