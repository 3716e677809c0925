package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.checkKey;
import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageFenceLostException;
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
 * The PostgreSQL store's pinned namespaces (decision 1010; docs/storage.md, "Read cache"): the
 * function state whose lock this worker holds. A pin reads the namespace's stamp once and validates
 * the {@link PgReadCache} with it; reads of the namespace are then served from memory (misses read
 * the database and are remembered); every batch writing it checks, in its own transaction, that the
 * lock row is still at the fence's version ({@link #checkFences}), and its writes go into the
 * cache.
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

  /** A pinned namespace: its fence, and whether a write under it was refused. */
  final class Pin implements StatePin {
    final Namespace namespace;
    final byte[] nsId;
    final StorageFence fence;
    volatile boolean lost;

    Pin(Namespace namespace, byte[] nsId, StorageFence fence) {
      this.namespace = namespace;
      this.nsId = nsId;
      this.fence = fence;
    }

    @Override
    public boolean fenceLost() {
      return lost;
    }

    @Override
    public void close() {
      if (pins.remove(ByteBuffer.wrap(nsId), this)) {
        cache.unpin(nsId);
      }
    }
  }

  /**
   * Pins {@code namespace} ({@link io.nsl.storage.PersistentStorageService#pin}): one round trip
   * reads its stamp, and what the cache holds at another stamp is dropped.
   */
  StatePin pin(Namespace namespace, StorageFence fence) {
    if (!namespace.isFunctionState()) {
      throw new IllegalArgumentException(
          "only a function's state can be pinned, not namespace " + namespace);
    }
    byte[] nsId = store.names().nsId(StoreSchema.namespaceBytes(namespace));
    StoreSchema.namespaceBytes(fence.namespace());
    Pin pin = new Pin(namespace, nsId, fence);
    if (pins.putIfAbsent(ByteBuffer.wrap(nsId), pin) != null) {
      throw new IllegalStateException(
          "namespace "
              + namespace
              + " is already pinned in this store: one run of a function at a time holds its"
              + " lock; close the first pin before taking another");
    }
    try {
      long stamp = store.inQuery("pinning " + namespace, c -> stamp(c, nsId));
      cache.validate(nsId, stamp);
      return pin;
    } catch (RuntimeException e) {
      pins.remove(ByteBuffer.wrap(nsId), pin);
      throw e;
    }
  }

  /** A namespace's stamp: it changes with every row written, deleted or edited in it. */
  private static long stamp(Connection c, byte[] nsId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("select stamp from nsl_namespaces where ns = ?")) {
      p.setBytes(1, nsId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
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
    if (!pins.containsKey(ByteBuffer.wrap(nsId))) {
      return null;
    }
    checkKey(key, store.options().limits());
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

  /** Refuses the batch if a pin's lock row is no longer at its fence's version. */
  void checkFences(List<Pin> fenced, Map<ByteBuffer, byte[]> stored) {
    for (Pin p : fenced) {
      StorageFence f = p.fence;
      byte[] fns = StoreSchema.namespaceBytes(f.namespace());
      byte[] fkey = f.key();
      StoredValue lockRow =
          StoredValue.load(
              store.sealer(),
              stored.get(ByteBuffer.wrap(store.names().keyId(fns, fkey))),
              fns,
              fkey,
              at(f.namespace(), fkey),
              true,
              LOG);
      if (!lockRow.exists() || lockRow.version() != f.version()) {
        p.lost = true;
        throw new StorageFenceLostException(
            "the lock of "
                + p.namespace
                + " was taken over by another worker while this run went on (its lock row "
                + describe(f.namespace(), fkey)
                + " is at version "
                + (lockRow.exists() ? lockRow.version() : "none")
                + ", this run holds "
                + f.version()
                + "); nothing was written: drop this run, the request runs again under a fresh"
                + " lock");
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
