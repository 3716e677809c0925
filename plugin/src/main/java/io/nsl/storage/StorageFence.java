package io.nsl.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * The row whose version and value fence the writes of a pinned namespace: a lock row ({@code
 * workers/lock/<functionId>} in the service namespace) as its holder wrote it when it took the
 * lock. A pinned run's writes commit only if that row still has that version and that value,
 * checked in the commit's own transaction (decision 1010).
 *
 * <p>Why the value as well as the version: a lock's take may be committed without waiting for the
 * disk (decision 1010, "Durability of a take"); a database crash can then lose it and hand the same
 * version number to another worker's take, whose value (its holder) differs.
 *
 * @param version the lock row's version, {@code > 0}
 * @param value the lock row's value as the holder wrote it
 */
public record StorageFence(Namespace namespace, byte[] key, long version, byte[] value) {
  public StorageFence {
    Objects.requireNonNull(namespace, "namespace");
    key = Objects.requireNonNull(key, "key").clone();
    value = Objects.requireNonNull(value, "value").clone();
    if (version < 1) {
      throw new IllegalArgumentException("a fence's version must be >= 1, got " + version);
    }
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Whether a row at {@code rowVersion} holding {@code rowValue} is still this fence's. */
  public boolean holdsAt(long rowVersion, byte[] rowValue) {
    return rowVersion == version && Arrays.equals(rowValue, value);
  }

  @Override
  public String toString() {
    return "StorageFence[" + namespace + ", " + key.length + "-byte key, version " + version + "]";
  }
}
