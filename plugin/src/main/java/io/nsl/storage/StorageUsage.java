package io.nsl.storage;

/** What one namespace uses: bytes (keys plus uncompressed values) and number of keys. */
public record StorageUsage(long bytes, long keys) {
  public StorageUsage {
    if (bytes < 0 || keys < 0) {
      throw new IllegalArgumentException("usage cannot be negative: " + bytes + ", " + keys);
    }
  }

  public static final StorageUsage EMPTY = new StorageUsage(0, 0);
}
