package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageTamperedException;
import io.nsl.storage.StorageVersionConflictException;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What a write finds under a key before it replaces it, as both engines read it: whether it exists,
 * its version and plaintext length, the manifest of its chunks if it was streamed, and whether it
 * was authenticated or only its header was read.
 */
record StoredValue(
    boolean exists, long version, long plainLength, Sealer.Manifest manifest, boolean authentic) {
  static final StoredValue ABSENT = new StoredValue(false, 0, 0, null, true);

  /**
   * Reads the stored record {@code raw} ({@code null}: absent). With {@code authenticate}, opens it
   * fully (tampering throws); without, reads only its header, so that a damaged value can still be
   * overwritten or deleted, and logs to {@code log} a damaged manifest whose chunks stay behind.
   */
  static StoredValue load(
      Sealer sealer,
      byte[] raw,
      byte[] ns,
      byte[] key,
      Object where,
      boolean authenticate,
      Logger log) {
    if (raw == null) {
      return ABSENT;
    }
    if (authenticate) {
      Sealer.Opened o = sealer.openValue(ns, key, raw, where);
      Sealer.Manifest m = o.header().manifest() ? Sealer.Manifest.decode(o.body(), where) : null;
      return new StoredValue(true, o.header().version(), o.header().plainLength(), m, true);
    }
    Sealer.ValueHeader h;
    try {
      h = Sealer.peekHeader(raw, where);
    } catch (StorageTamperedException e) {
      // Overwriting or deleting a damaged value is how one recovers from it.
      return new StoredValue(true, 0, 0, null, false);
    }
    Sealer.Manifest m = null;
    if (h.manifest()) {
      try {
        m = sealer.openManifest(ns, key, raw, where);
      } catch (StorageTamperedException e) {
        log.warn("stream manifest of {} is damaged; its chunks stay behind as garbage", where);
      }
    }
    return new StoredValue(true, h.version(), h.plainLength(), m, false);
  }

  /**
   * Throws {@link StorageVersionConflictException} unless this value is at version {@code
   * expected}.
   */
  void requireVersion(long expected, Namespace namespace, byte[] key) {
    if (version != expected) {
      throw new StorageVersionConflictException(
          describe(namespace, key)
              + " is at version "
              + version
              + ", expected "
              + expected
              + "; another writer changed it. Read it again and retry");
    }
  }

  /**
   * Adds to {@code deltas} (bytes, keys per function-state namespace) what replacing {@code cur}
   * under a key of {@code keyLen} bytes changes: a put of {@code newLen} bytes, or a delete.
   */
  static void account(
      Map<Namespace, long[]> deltas,
      Namespace n,
      int keyLen,
      StoredValue cur,
      boolean put,
      long newLen) {
    if (!n.isFunctionState()) {
      return;
    }
    long[] d = deltas.computeIfAbsent(n, x -> new long[2]);
    if (cur.exists()) {
      d[0] -= keyLen + cur.plainLength();
      d[1] -= 1;
    }
    if (put) {
      d[0] += keyLen + newLen;
      d[1] += 1;
    }
  }
}
