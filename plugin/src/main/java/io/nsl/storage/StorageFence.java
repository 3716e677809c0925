package io.nsl.storage;

import java.util.Objects;

/**
 * The row whose version fences the writes of a pinned namespace: a lock row ({@code
 * workers/lock/<functionId>} in the service namespace) at the version its holder wrote when it took
 * the lock. A write to the pinned namespace commits only if that row still has that version,
 * checked in the write's own transaction (decision 1010).
 *
 * @param version the lock row's version, {@code > 0}
 */
public record StorageFence(Namespace namespace, byte[] key, long version) {
  public StorageFence {
    Objects.requireNonNull(namespace, "namespace");
    key = Objects.requireNonNull(key, "key").clone();
    if (version < 1) {
      throw new IllegalArgumentException("a fence's version must be >= 1, got " + version);
    }
  }

  @Override
  public byte[] key() {
    return key.clone();
  }
}
