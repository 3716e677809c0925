package io.nsl.storage;

/**
 * Limit on one function's state: total bytes (key bytes plus value bytes before compression) and
 * number of keys.
 */
public record StorageQuota(long maxBytes, long maxKeys) {
  public StorageQuota {
    if (maxBytes <= 0 || maxKeys <= 0) {
      throw new IllegalArgumentException(
          "quota must be positive, got maxBytes=" + maxBytes + " maxKeys=" + maxKeys);
    }
  }

  /** 10 MiB and 10,000 keys per function. */
  public static StorageQuota defaults() {
    return new StorageQuota(10L << 20, 10_000);
  }
}
