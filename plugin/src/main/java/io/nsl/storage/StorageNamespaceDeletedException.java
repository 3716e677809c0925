package io.nsl.storage;

import io.nsl.NslException;

/**
 * A write stream was open in a namespace that {@link PersistentStorageService#deleteNamespace}
 * removed before the stream was closed; the stream's value was not committed and its chunks are
 * dropped. Not retryable as such: the namespace's owner (a function) was deregistered.
 */
public final class StorageNamespaceDeletedException extends NslException {
  public static final String CODE = "STORAGE_NAMESPACE_DELETED";

  public StorageNamespaceDeletedException(String message) {
    super(CODE, message);
  }
}
