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

  /**
   * Refuses a write that takes {@code namespace}'s usage from {@code bytesBefore}/{@code
   * keysBefore} to {@code bytes}/{@code keys}, when it grows either past this quota; a write that
   * does not grow what is over (a delete, a smaller value) is always allowed. The one rule of every
   * engine and of a run's held writes.
   *
   * @throws StorageQuotaExceededException naming the usage and the quota
   */
  public void checkWrite(
      Namespace namespace, long bytesBefore, long keysBefore, long bytes, long keys) {
    if ((bytes > bytesBefore && bytes > maxBytes) || (keys > keysBefore && keys > maxKeys)) {
      throw new StorageQuotaExceededException(
          "function state "
              + namespace
              + " would use "
              + bytes
              + " bytes in "
              + keys
              + " keys, over its quota of "
              + maxBytes
              + " bytes and "
              + maxKeys
              + " keys; nothing was written. Delete state or raise the quota");
    }
  }

  /** 10 MiB and 10,000 keys per function. */
  public static StorageQuota defaults() {
    return new StorageQuota(10L << 20, 10_000);
  }
}
