package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.checkKey;
import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageFenceLostException;
import io.nsl.storage.StorageQuota;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's pinned namespaces (decision 1010; docs/storage.md, "Read cache" and "A
 * run's writes"): the function state whose lock this worker holds. A pin reads the namespace's
 * stamp and usage and reserves the run's commit version, in one round trip, and validates the
 * {@link PgReadCache} with the stamp; reads of the namespace are then served from memory (misses
 * read the database and are remembered). The run's writes are held in the pin (its reads see them;
 * the quota is checked at each write against the usage read at the pin plus the writes held) and
 * committed by {@link Pin#release} together with the lock row's release, in one transaction that
 * checks the lock row is still the fence's ({@link #checkFences}); the cache then takes them.
 *
 * <p>Why this is safe across workers: while a worker holds a function's lock, only it writes the
 * state; a write by anyone else (another worker after a takeover, an administrator with SQL, a
 * rekey) changes the stamp, which the next pin sees. A worker frozen past its lock may read stale
 * values from its cache, but its writes are fenced, and its run is dropped.
 *
 * <p>Threading: any thread; one pin per namespace at a time.
 */
final class PgStatePins {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  private final PgStorage store;
  private final PgReadCache cache;
  private final Map<ByteBuffer, Pin> pins = new ConcurrentHashMap<>();

  PgStatePins(PgStorage store, PgReadCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /**
   * A pinned namespace: its fence, the run's commit version, the namespace's usage with the run's
   * writes, the writes held (a null value is a delete), and whether the commit was refused.
   */
  final class Pin implements StatePin {
    final Namespace namespace;
    final byte[] ns;
    final byte[] nsId;
    final StorageFence fence;
    private final long version;
    private final Map<ByteBuffer, byte[]> writes = new LinkedHashMap<>();
    private long usageBytes;
    private long usageKeys;
    private boolean done;
    volatile boolean lost;

    Pin(Namespace namespace, byte[] ns, byte[] nsId, StorageFence fence, Opened at) {
      this.namespace = namespace;
      this.ns = ns;
      this.nsId = nsId;
      this.fence = fence;
      this.version = at.version();
      this.usageBytes = at.usage().bytes();
      this.usageKeys = at.usage().keys();
    }

    /** The version the run's writes get: reserved at the pin, used by the release's commit. */
    long version() {
      return version;
    }

    @Override
    public boolean fenceLost() {
      return lost;
    }

    @Override
    public long release(byte[] releasedFenceValue) {
      return PgStatePins.this.release(this, releasedFenceValue.clone());
    }

    @Override
    public void close() {
      synchronized (this) {
        done = true;
        writes.clear();
      }
      if (pins.remove(ByteBuffer.wrap(nsId), this)) {
        cache.unpin(nsId);
      }
    }

    private synchronized void requireOpen() {
      if (done) {
        throw new IllegalStateException(
            "the pin of " + namespace + " was released or closed; its run is over");
      }
    }
  }

  /** What one round trip reads when pinning: the commit version, the stamp and the usage. */
  record Opened(long version, long stamp, io.nsl.storage.StorageUsage usage) {}

  /**
   * Pins {@code namespace} ({@link io.nsl.storage.PersistentStorageService#pin}): one round trip
   * reserves the run's version and reads the namespace's stamp and usage; what the cache holds at
   * another stamp is dropped.
   */
  StatePin pin(Namespace namespace, StorageFence fence) {
    if (!namespace.isFunctionState()) {
      throw new IllegalArgumentException(
          "only a function's state can be pinned, not namespace " + namespace);
    }
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = store.names().nsId(ns);
    StoreSchema.namespaceBytes(fence.namespace());
    ByteBuffer id = ByteBuffer.wrap(nsId);
    if (pins.containsKey(id)) {
      throw alreadyPinned(namespace);
    }
    Opened at = store.inQuery("pinning " + namespace, c -> open(c, nsId));
    Pin pin = new Pin(namespace, ns, nsId, fence, at);
    if (pins.putIfAbsent(id, pin) != null) {
      throw alreadyPinned(namespace);
    }
    cache.validate(nsId, at.stamp());
    return pin;
  }

  private static IllegalStateException alreadyPinned(Namespace namespace) {
    return new IllegalStateException(
        "namespace "
            + namespace
            + " is already pinned in this store: one run of a function at a time holds its"
            + " lock; close the first pin before taking another");
  }

  /**
   * A fresh version, and the namespace's stamp (it changes with every row written, deleted or
   * edited in it) and sealed usage, in one round trip.
   */
  private Opened open(Connection c, byte[] nsId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "select nextval('nsl_version_seq'), (select stamp from nsl_namespaces where ns = ?),"
                + " (select usage from nsl_namespaces where ns = ?)")) {
      p.setBytes(1, nsId);
      p.setBytes(2, nsId);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        byte[] u = r.getBytes(3);
        return new Opened(
            r.getLong(1),
            r.getLong(2),
            u == null
                ? io.nsl.storage.StorageUsage.EMPTY
                : PgSchema.open(store.usageRecordOf(nsId), u, store.sealer()));
      }
    }
  }

  /** The pin holding {@code namespace}'s writes, or null when it is not pinned here. */
  Pin pinOf(Namespace namespace) {
    if (pins.isEmpty() || !namespace.isFunctionState()) {
      return null;
    }
    return pins.get(ByteBuffer.wrap(store.names().nsId(StoreSchema.namespaceBytes(namespace))));
  }

  /**
   * Holds a put of the pinned namespace, after the checks a commit would make: the key, the value's
   * size, and the quota against the usage with the run's earlier writes.
   */
  long write(Pin p, byte[] key, byte[] value) {
    checkKey(key, store.options().limits());
    PgStorage.checkValueSize(p.namespace, key, value.length, store.options().limits());
    synchronized (p) {
      p.requireOpen();
      long before = storedLength(p, key);
      long bytes =
          p.usageBytes - (before < 0 ? 0 : key.length + before) + key.length + value.length;
      long keys = p.usageKeys + (before < 0 ? 1 : 0);
      StorageQuota quota = store.options().functionQuota();
      quota.checkWrite(p.namespace, p.usageBytes, p.usageKeys, bytes, keys);
      p.usageBytes = bytes;
      p.usageKeys = keys;
      p.writes.put(ByteBuffer.wrap(key.clone()), value.clone());
      return p.version;
    }
  }

  /** Holds a delete of the pinned namespace; answers whether the key existed (for this run). */
  boolean delete(Pin p, byte[] key) {
    checkKey(key, store.options().limits());
    synchronized (p) {
      p.requireOpen();
      long before = storedLength(p, key);
      if (before >= 0) {
        p.usageBytes = Math.max(0, p.usageBytes - key.length - before);
        p.usageKeys = Math.max(0, p.usageKeys - 1);
      }
      p.writes.put(ByteBuffer.wrap(key.clone()), null);
      return before >= 0;
    }
  }

  /** The plaintext length of {@code key} as the run sees it, or -1 when absent. */
  private long storedLength(Pin p, byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (p.writes.containsKey(k)) {
      byte[] v = p.writes.get(k);
      return v == null ? -1 : v.length;
    }
    PgReadCache.Entry e = read(p.namespace, p.ns, key);
    if (e != null) {
      return e.exists() ? e.valueLength() : -1;
    }
    // A streamed value (never cached): its header says its length.
    byte[] keyId = store.names().keyId(p.ns, key);
    byte[] raw =
        store.inQuery(
            "reading " + describe(p.namespace, key), c -> PgStorage.fetchRecord(c, p.nsId, keyId));
    return raw == null ? -1 : Sealer.peekHeader(raw, at(p.namespace, key)).plainLength();
  }

  /** {@code stored}, the namespace's keys in the database, as the run sees them with its writes. */
  List<byte[]> withWrites(byte[] nsId, List<byte[]> stored) {
    Pin p = pins.isEmpty() ? null : pins.get(ByteBuffer.wrap(nsId));
    if (p == null) {
      return stored;
    }
    synchronized (p) {
      if (p.writes.isEmpty()) {
        return stored;
      }
      java.util.TreeMap<ByteBuffer, byte[]> keys = new java.util.TreeMap<>();
      for (byte[] k : stored) {
        keys.put(ByteBuffer.wrap(k), k);
      }
      for (Map.Entry<ByteBuffer, byte[]> w : p.writes.entrySet()) {
        if (w.getValue() == null) {
          keys.remove(w.getKey());
        } else {
          keys.put(w.getKey(), w.getKey().array().clone());
        }
      }
      return new ArrayList<>(keys.values());
    }
  }

  /**
   * {@link Pin#release}: the run's writes and the fence row's new value in one fenced commit at the
   * pin's version. A commit whose outcome is unknown (the connection broke) is resolved by reading
   * the fence row back: at the pin's version, it was committed.
   */
  private long release(Pin p, byte[] releasedFenceValue) {
    List<PgStorage.Mut> ops = new ArrayList<>();
    synchronized (p) {
      p.requireOpen();
      p.done = true;
      for (Map.Entry<ByteBuffer, byte[]> w : p.writes.entrySet()) {
        byte[] key = w.getKey().array();
        ops.add(
            w.getValue() == null
                ? new PgStorage.DeleteOp(p.namespace, key)
                : new PgStorage.PutOp(p.namespace, key, w.getValue()));
      }
      p.writes.clear();
    }
    ops.add(new PgStorage.PutOp(p.fence.namespace(), p.fence.key(), releasedFenceValue));
    try {
      store.applyReleasing(ops, p);
      return p.version;
    } catch (io.nsl.storage.StorageUnreachableException e) {
      if (committed(p, e)) {
        return p.version;
      }
      throw e;
    } finally {
      if (pins.remove(ByteBuffer.wrap(p.nsId), p)) {
        cache.unpin(p.nsId);
      }
    }
  }

  private boolean committed(Pin p, RuntimeException failure) {
    try {
      boolean landed =
          store
              .readVersioned(p.fence.namespace(), p.fence.key())
              .map(v -> v.version() == p.version)
              .orElse(false);
      if (landed) {
        LOG.info(
            "the release of {} lost its connection but had committed (its lock row is at {})",
            p.namespace,
            p.version);
      }
      return landed;
    } catch (RuntimeException again) {
      failure.addSuppressed(again);
      return false;
    }
  }

  /**
   * A read of a pinned namespace, from the cache or from the database into it; null when the
   * namespace is not pinned or the value is streamed (the caller reads it as usual).
   */
  PgReadCache.Entry read(Namespace namespace, byte[] ns, byte[] key) {
    if (pins.isEmpty() || !namespace.isFunctionState()) {
      return null;
    }
    byte[] nsId = store.names().nsId(ns);
    Pin pin = pins.get(ByteBuffer.wrap(nsId));
    if (pin == null) {
      return null;
    }
    checkKey(key, store.options().limits());
    synchronized (pin) {
      ByteBuffer k = ByteBuffer.wrap(key);
      if (pin.writes.containsKey(k)) {
        return new PgReadCache.Entry(
            pin.writes.get(k), pin.writes.get(k) == null ? 0 : pin.version);
      }
    }
    Optional<PgReadCache.Entry> hit = cache.get(nsId, key);
    if (hit.isPresent()) {
      return hit.get();
    }
    byte[] keyId = store.names().keyId(ns, key);
    byte[] raw =
        store.inQuery(
            "reading " + describe(namespace, key), c -> PgStorage.fetchRecord(c, nsId, keyId));
    PgReadCache.Entry e;
    if (raw == null) {
      e = new PgReadCache.Entry(null, 0);
    } else {
      Object where = at(namespace, key);
      Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
      if (h.manifest()) {
        return null;
      }
      Sealer.Opened o = store.sealer().openValue(ns, key, raw, h, where);
      e = new PgReadCache.Entry(o.body(), o.header().version());
    }
    cache.put(nsId, key, e);
    return e;
  }

  /** The pins among the namespaces a batch writes. */
  List<Pin> of(List<PgStorage.Mut> ops) {
    if (pins.isEmpty()) {
      return List.of();
    }
    List<Pin> out = new ArrayList<>();
    for (PgStorage.Mut m : ops) {
      if (m instanceof PgStorage.ExpectOp || !m.namespace().isFunctionState()) {
        continue;
      }
      Pin p =
          pins.get(ByteBuffer.wrap(store.names().nsId(StoreSchema.namespaceBytes(m.namespace()))));
      if (p != null && !out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Refuses the batch if a pin's lock row is no longer at its fence's version and value. */
  void checkFences(List<Pin> fenced, Map<ByteBuffer, byte[]> stored) {
    for (Pin p : fenced) {
      StorageFence f = p.fence;
      byte[] fns = StoreSchema.namespaceBytes(f.namespace());
      byte[] fkey = f.key();
      byte[] raw = stored.get(ByteBuffer.wrap(store.names().keyId(fns, fkey)));
      Sealer.Opened lockRow =
          raw == null ? null : store.sealer().openValue(fns, fkey, raw, at(f.namespace(), fkey));
      if (lockRow == null
          || lockRow.header().manifest()
          || !f.holdsAt(lockRow.header().version(), lockRow.body())) {
        p.lost = true;
        throw new StorageFenceLostException(
            "the lock of "
                + p.namespace
                + " was taken over by another worker while this run went on (its lock row "
                + describe(f.namespace(), fkey)
                + " is at version "
                + (lockRow == null ? "none" : lockRow.header().version())
                + ", this run holds "
                + f.version()
                + " or holds another value); nothing of the run was written: drop this run, the"
                + " request runs again under a fresh lock");
      }
    }
  }

  /** After a committed batch: the pinned namespaces' caches take its writes. */
  void committed(List<Pin> fenced, List<PgStorage.Mut> ops, PgStorage.Applied applied) {
    for (Pin p : fenced) {
      Map<ByteBuffer, PgReadCache.Entry> written = new LinkedHashMap<>();
      Set<ByteBuffer> uncached = new HashSet<>();
      for (PgStorage.Mut m : ops) {
        if (!m.namespace().equals(p.namespace)) {
          continue;
        }
        ByteBuffer k = ByteBuffer.wrap(m.key().clone());
        switch (m) {
          case PgStorage.PutOp put -> {
            written.put(k, new PgReadCache.Entry(put.value(), applied.version()));
            uncached.remove(k);
          }
          case PgStorage.DeleteOp d -> {
            written.put(k, new PgReadCache.Entry(null, 0));
            uncached.remove(k);
          }
          case PgStorage.PutManifestOp pm -> {
            written.remove(k);
            uncached.add(k);
          }
          case PgStorage.ExpectOp e -> {}
        }
      }
      long[] st = applied.stamps().get(ByteBuffer.wrap(p.nsId));
      if (st == null) {
        cache.invalidate(p.nsId);
      } else {
        cache.wrote(p.nsId, st[0], st[1], written, uncached);
      }
    }
  }

  /** After a batch failed (perhaps committed, if the connection broke): forget what is cached. */
  void failed(List<Pin> fenced) {
    for (Pin p : fenced) {
      cache.invalidate(p.nsId);
    }
  }

  boolean pinned(byte[] nsId) {
    return !pins.isEmpty() && pins.containsKey(ByteBuffer.wrap(nsId));
  }

  PgReadCache cache() {
    return cache;
  }
}
