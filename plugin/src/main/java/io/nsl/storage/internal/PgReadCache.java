package io.nsl.storage.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PostgreSQL store's read cache of pinned function-state namespaces (docs/storage.md, "Read
 * cache"; decision 1002). Pure bookkeeping, no I/O: {@link PgStorage} reads a namespace's stamp
 * when it pins it and asks {@link #validate}; a stamp that moved (any row of the namespace written,
 * deleted or edited with SQL since) drops everything cached for it.
 *
 * <p>What it holds are the values the store already opened and authenticated, with their versions,
 * and "absent" for keys read and not found; streamed values are never held. A namespace's key set
 * is held once listed whole. Memory is bounded by {@code maxBytes} (key and value bytes plus a
 * fixed overhead per entry): least recently pinned namespaces go first, and a namespace that alone
 * would exceed the bound stops growing (its further reads go to the database).
 *
 * <p>Threading: every method is synchronized; the store calls it from any thread.
 */
final class PgReadCache {
  /** Bytes counted per entry beyond its key and value: map nodes, wrappers, the version. */
  static final int ENTRY_OVERHEAD = 96;

  /** A cached read: {@code value} null means "absent at this stamp". */
  record Entry(byte[] value, long version) {
    Entry {
      value = value == null ? null : value.clone();
    }

    @Override
    public byte[] value() {
      return value == null ? null : value.clone();
    }

    boolean exists() {
      return value != null;
    }

    int valueLength() {
      return value == null ? 0 : value.length;
    }
  }

  private static final class Space {
    final long stamp;
    final Map<ByteBuffer, Entry> values = new HashMap<>();
    TreeSet<byte[]> keys; // every key of the namespace, once listed; else null
    long bytes;

    Space(long stamp) {
      this.stamp = stamp;
    }
  }

  private final long maxBytes;
  private final LinkedHashMap<ByteBuffer, Space> spaces = new LinkedHashMap<>(16, 0.75f, true);
  private final Set<ByteBuffer> pinned = new java.util.HashSet<>();
  private long bytes;
  private long hits;
  private long misses;

  /**
   * @param maxBytes 0 disables the cache
   */
  PgReadCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * The namespace is pinned at {@code stamp} (read from the database after its lock was taken):
   * what was cached at another stamp is dropped. Returns whether anything cached survived.
   */
  synchronized boolean validate(byte[] nsId, long stamp) {
    ByteBuffer id = ByteBuffer.wrap(nsId.clone());
    pinned.add(id);
    Space s = spaces.get(id);
    if (s != null && s.stamp == stamp) {
      return true;
    }
    drop(id);
    if (maxBytes > 0) {
      spaces.put(id, new Space(stamp));
    }
    return false;
  }

  /** The pin ended: its entries stay, to be validated at the next pin. */
  synchronized void unpin(byte[] nsId) {
    pinned.remove(ByteBuffer.wrap(nsId));
    evict();
  }

  /** Forgets the namespace (a write whose outcome is unknown, or another stamp). */
  synchronized void invalidate(byte[] nsId) {
    drop(ByteBuffer.wrap(nsId));
  }

  synchronized Optional<Entry> get(byte[] nsId, byte[] key) {
    Space s = spaces.get(ByteBuffer.wrap(nsId));
    Entry e = s == null ? null : s.values.get(ByteBuffer.wrap(key));
    if (e == null && s != null && s.keys != null && !s.keys.contains(key)) {
      e = new Entry(null, 0); // listed whole and not among the keys: absent
    }
    if (e == null) {
      misses++;
      return Optional.empty();
    }
    hits++;
    return Optional.of(e);
  }

  /** Remembers a read made while the namespace is pinned (nothing if it is not cached). */
  synchronized void put(byte[] nsId, byte[] key, Entry e) {
    Space s = spaces.get(ByteBuffer.wrap(nsId));
    if (s == null) {
      return;
    }
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    Entry old = s.values.get(k);
    long delta = cost(key, e) - (old == null ? 0 : cost(key, old));
    if (delta > 0 && bytes + delta > maxBytes) {
      evict(delta);
      if (bytes + delta > maxBytes) {
        s.values.remove(k);
        account(s, old == null ? 0 : -cost(key, old));
        return;
      }
    }
    s.values.put(k, e);
    account(s, delta);
  }

  /** The namespace's keys in unsigned order, if listed whole at its current stamp. */
  synchronized Optional<List<byte[]>> keys(byte[] nsId) {
    Space s = spaces.get(ByteBuffer.wrap(nsId));
    if (s == null || s.keys == null) {
      misses++;
      return Optional.empty();
    }
    hits++;
    List<byte[]> out = new ArrayList<>(s.keys.size());
    for (byte[] k : s.keys) {
      out.add(k.clone());
    }
    return Optional.of(out);
  }

  /** Remembers the namespace's whole key set, read while it is pinned. */
  synchronized void putKeys(byte[] nsId, List<byte[]> all) {
    Space s = spaces.get(ByteBuffer.wrap(nsId));
    if (s == null || s.keys != null) {
      return;
    }
    long cost = 0;
    for (byte[] k : all) {
      cost += k.length + ENTRY_OVERHEAD;
    }
    if (bytes + cost > maxBytes) {
      evict(cost);
      if (bytes + cost > maxBytes) {
        return;
      }
    }
    TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
    for (byte[] k : all) {
      keys.add(k.clone());
    }
    s.keys = keys;
    account(s, cost);
  }

  /**
   * This store committed writes to the pinned namespace. If the namespace's stamp before them was
   * the cached one, nobody else wrote in between: the writes are applied and the stamp moves to
   * {@code stampAfter}; otherwise everything cached is dropped and caching restarts at {@code
   * stampAfter}. {@code written} maps keys to their new state (absent for deletes); {@code
   * uncached} names keys whose new value is not held (streams).
   */
  synchronized void wrote(
      byte[] nsId,
      long stampBefore,
      long stampAfter,
      Map<ByteBuffer, Entry> written,
      Set<ByteBuffer> uncached) {
    ByteBuffer id = ByteBuffer.wrap(nsId.clone());
    Space s = spaces.get(id);
    if (s == null) {
      return;
    }
    Space next = new Space(stampAfter);
    drop(id);
    spaces.put(id, next);
    if (s.stamp != stampBefore) {
      return;
    }
    next.values.putAll(s.values);
    next.keys = s.keys;
    account(next, s.bytes);
    for (ByteBuffer k : uncached) {
      removeKey(next, k, true);
    }
    for (Map.Entry<ByteBuffer, Entry> w : written.entrySet()) {
      byte[] key = toArray(w.getKey());
      removeKey(next, w.getKey(), !w.getValue().exists());
      if (next.keys != null && w.getValue().exists() && next.keys.add(key)) {
        account(next, key.length + ENTRY_OVERHEAD);
      }
      long c = cost(key, w.getValue());
      if (bytes + c <= maxBytes) {
        next.values.put(ByteBuffer.wrap(key), w.getValue());
        account(next, c);
      }
    }
    evict();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized io.nsl.storage.ReadCacheStats stats() {
    return new io.nsl.storage.ReadCacheStats(hits, misses, bytes, maxBytes);
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }

  private void removeKey(Space s, ByteBuffer k, boolean fromKeySet) {
    byte[] key = toArray(k);
    Entry old = s.values.remove(k);
    if (old != null) {
      account(s, -cost(key, old));
    }
    if (fromKeySet && s.keys != null && s.keys.remove(key)) {
      account(s, -(key.length + ENTRY_OVERHEAD));
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static long cost(byte[] key, Entry e) {
    return key.length + e.valueLength() + ENTRY_OVERHEAD;
  }

  private void account(Space s, long delta) {
    s.bytes += delta;
    bytes += delta;
  }

  private void drop(ByteBuffer id) {
    Space s = spaces.remove(id);
    if (s != null) {
      bytes -= s.bytes;
    }
  }

  private void evict() {
    evict(0);
  }

  /** Drops least recently used unpinned namespaces until {@code room} more bytes fit. */
  private void evict(long room) {
    Iterator<Map.Entry<ByteBuffer, Space>> it = spaces.entrySet().iterator();
    while (bytes + room > maxBytes && it.hasNext()) {
      Map.Entry<ByteBuffer, Space> e = it.next();
      if (!pinned.contains(e.getKey())) {
        bytes -= e.getValue().bytes;
        it.remove();
      }
    }
  }
}
