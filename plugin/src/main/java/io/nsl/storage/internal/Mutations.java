package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageNamespaceDeletedException;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuota;
import io.nsl.storage.StorageUsage;
import io.nsl.storage.StorageValueTooLargeException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to a store, one at a time under {@link #writes}: a mutation reads the previous
 * value's header (quota accounting, stream chunks to drop, version checks), then writes one RocksDB
 * batch with {@code sync}. Owns the version counter (leased from disk, {@link
 * StoreOpening#VERSION_LEASE} at a time) and the usage of function-state namespaces.
 *
 * <p>Lock order: the engine's lifecycle lock, then {@link #writes}.
 */
final class Mutations {
  // The name operators know from before the split.
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);

  private final RocksEngine engine;
  private final Sealer sealer;
  private final StorageOptions options;
  private final ReentrantLock writes = new ReentrantLock();

  private final Set<ChunkWriteStream> openWriteStreams = ConcurrentHashMap.newKeySet();

  /** Streams whose namespace was deleted while they were open; added and checked under writes. */
  private final Set<ChunkWriteStream> cancelledStreams = ConcurrentHashMap.newKeySet();

  // Guarded by writes.
  private long nextVersion;
  private long versionCeiling;
  private final Map<String, StorageUsage> usageCache = new HashMap<>();

  Mutations(RocksEngine engine, Sealer sealer, StoreOpening.Versions versions) {
    this.engine = engine;
    this.sealer = sealer;
    this.options = engine.options();
    this.nextVersion = versions.next();
    this.versionCeiling = versions.ceiling();
  }

  /** One change; a batch of them is applied atomically. */
  sealed interface Mut permits PutOp, PutManifestOp, DeleteOp, ExpectOp {
    Namespace namespace();

    byte[] key();
  }

  record PutOp(Namespace namespace, byte[] key, byte[] value) implements Mut {}

  /** Commits a streamed value whose chunks {@code stream} has written. */
  record PutManifestOp(
      Namespace namespace,
      byte[] key,
      Sealer.Manifest manifest,
      long total,
      ChunkWriteStream stream)
      implements Mut {}

  record DeleteOp(Namespace namespace, byte[] key) implements Mut {}

  record ExpectOp(Namespace namespace, byte[] key, long version) implements Mut {}

  /** The version the mutations were written at, and whether the first key existed before. */
  record Applied(long version, boolean firstExisted) {}

  void register(ChunkWriteStream s) {
    openWriteStreams.add(s);
  }

  void forget(ChunkWriteStream s) {
    openWriteStreams.remove(s);
    cancelledStreams.remove(s);
  }

  void forgetAllStreams() {
    openWriteStreams.clear();
    cancelledStreams.clear();
  }

  /** Runs {@code action} holding the write lock (lifecycle lock first), on a writable store. */
  <T> T locked(java.util.function.Supplier<T> action) {
    return engine.guarded(
        () -> {
          engine.checkWritable();
          writes.lock();
          try {
            return action.get();
          } finally {
            writes.unlock();
          }
        });
  }

  Applied apply(List<Mut> ops) {
    return engine.guarded(
        () -> {
          engine.checkWritable();
          writes.lock();
          try {
            return applyLocked(ops);
          } finally {
            writes.unlock();
          }
        });
  }

  private Applied applyLocked(List<Mut> ops) {
    long version = nextVersion;
    Boolean firstExisted = null;
    Map<ByteBuffer, StoredValue> seen = new HashMap<>();
    Map<Namespace, long[]> deltas = new LinkedHashMap<>();
    try (WriteBatch wb = new WriteBatch()) {
      for (Mut m : ops) {
        byte[] ns = StoreSchema.namespaceBytes(m.namespace());
        byte[] key = m.key();
        StorageKeys.checkKey(key, options.limits());
        byte[] pk = StoreSchema.physical(ns, key);
        ByteBuffer id = ByteBuffer.wrap(pk);
        StoredValue cur = seen.get(id);
        boolean needAuth = m instanceof ExpectOp;
        if (cur == null || (needAuth && !cur.authentic())) {
          cur = load(m.namespace(), ns, key, pk, needAuth);
        }
        if (firstExisted == null) {
          firstExisted = cur.exists();
        }
        switch (m) {
          case ExpectOp e -> {
            cur.requireVersion(e.version(), m.namespace(), key);
            seen.put(id, cur);
          }
          case PutOp p -> {
            byte[] value = p.value();
            if (value.length > options.limits().maxValueBytes()) {
              throw new StorageValueTooLargeException(
                  "value for "
                      + describe(m.namespace(), key)
                      + " has "
                      + value.length
                      + " bytes, the limit is "
                      + options.limits().maxValueBytes()
                      + "; write it with openWriteStream or split it");
            }
            wb.put(pk, sealer.sealValue(ns, key, version, value));
            dropChunks(wb, ns, key, cur);
            StoredValue.account(deltas, m.namespace(), key.length, cur, true, value.length);
            seen.put(id, new StoredValue(true, version, value.length, null, true));
          }
          case PutManifestOp p -> {
            if (cancelledStreams.contains(p.stream())) {
              throw new StorageNamespaceDeletedException(
                  "namespace "
                      + m.namespace()
                      + " was deleted while the stream for "
                      + describe(m.namespace(), key)
                      + " was open; nothing was committed (its function was deregistered?)");
            }
            wb.put(pk, sealer.sealManifest(ns, key, version, p.manifest(), p.total()));
            dropChunks(wb, ns, key, cur);
            StoredValue.account(deltas, m.namespace(), key.length, cur, true, p.total());
            seen.put(id, new StoredValue(true, version, p.total(), p.manifest(), true));
          }
          case DeleteOp d -> {
            if (cur.exists()) {
              wb.delete(pk);
              dropChunks(wb, ns, key, cur);
              StoredValue.account(deltas, m.namespace(), key.length, cur, false, 0);
            }
            seen.put(id, StoredValue.ABSENT);
          }
        }
      }
      Map<String, StorageUsage> newUsage = new HashMap<>();
      StorageQuota quota = options.functionQuota();
      for (Map.Entry<Namespace, long[]> e : deltas.entrySet()) {
        Namespace n = e.getKey();
        long[] d = e.getValue();
        StorageUsage u = usageOf(n);
        long bytes = Math.max(0, u.bytes() + d[0]);
        long keys = Math.max(0, u.keys() + d[1]);
        quota.checkWrite(n, u.bytes(), u.keys(), bytes, keys);
        StorageUsage nu = new StorageUsage(bytes, keys);
        newUsage.put(n.name(), nu);
        engine.putMeta(wb, StoreSchema.usage(n), nu, sealer);
      }
      long ceiling = versionCeiling;
      if (version > ceiling) {
        ceiling = version + StoreOpening.VERSION_LEASE;
        engine.putMeta(wb, StoreSchema.VERSION_CEILING, ceiling, sealer);
      }
      if (wb.count() > 0) {
        engine.writeSynced(wb, "writing");
      }
      nextVersion = version + 1;
      versionCeiling = ceiling;
      usageCache.putAll(newUsage);
      return new Applied(version, firstExisted != null && firstExisted);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "preparing a write", engine.path());
    }
  }

  private StoredValue load(
      Namespace namespace, byte[] ns, byte[] key, byte[] pk, boolean authenticate) {
    return StoredValue.load(sealer, engine.get(pk), ns, key, at(namespace, key), authenticate, LOG);
  }

  private static void dropChunks(WriteBatch wb, byte[] ns, byte[] key, StoredValue cur)
      throws RocksDBException {
    if (cur.manifest() == null) {
      return;
    }
    for (int i = 0; i < cur.manifest().chunkCount(); i++) {
      wb.delete(new StoreSchema.ChunkKey(ns, key, cur.manifest().streamId(), i).encode());
    }
  }

  // ------------------------------------------------------------------ usage

  /** Tracked usage for function state, a scan for any other namespace. */
  StorageUsage usage(Namespace namespace) {
    if (namespace.isFunctionState()) {
      // Same lock order as mutations (lifecycle, then writes).
      return engine.guarded(
          () -> {
            writes.lock();
            try {
              return usageOf(namespace);
            } finally {
              writes.unlock();
            }
          });
    }
    return engine.guarded(() -> scanUsage(namespace));
  }

  /** Caller holds {@link #writes}. */
  private StorageUsage usageOf(Namespace n) {
    StorageUsage u = usageCache.get(n.name());
    if (u != null) {
      return u;
    }
    u = engine.readMeta(StoreSchema.usage(n), sealer);
    if (u == null) {
      u = StorageUsage.EMPTY;
    }
    usageCache.put(n.name(), u);
    return u;
  }

  private StorageUsage scanUsage(Namespace namespace) {
    byte[] start = StoreSchema.namespacePrefix(StoreSchema.namespaceBytes(namespace));
    long bytes = 0;
    long keys = 0;
    try (RocksIterator it = engine.newIterator()) {
      for (it.seek(start); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!StoreOpening.startsWith(k, start)) {
          break;
        }
        keys++;
        bytes +=
            k.length - start.length + Sealer.peekHeader(it.value(), namespace.name()).plainLength();
      }
      engine.checkIterator(it, "measuring " + namespace);
    }
    return new StorageUsage(bytes, keys);
  }

  StorageUsage deleteNamespace(Namespace namespace) {
    return engine.guarded(
        () -> {
          engine.checkWritable();
          byte[] ns = StoreSchema.namespaceBytes(namespace);
          writes.lock();
          try {
            StorageUsage before =
                namespace.isFunctionState() ? usageOf(namespace) : scanUsage(namespace);
            // The length byte in both prefixes keeps "fn:a" from matching "fn:ab".
            byte[] values = StoreSchema.namespacePrefix(ns);
            byte[] chunks = StoreSchema.chunkPrefix(ns);
            try (WriteBatch wb = new WriteBatch()) {
              wb.deleteRange(values, successor(values));
              wb.deleteRange(chunks, successor(chunks));
              wb.delete(StoreSchema.usage(namespace).physicalKey());
              engine.writeSynced(wb, "deleting namespace " + namespace);
            } catch (RocksDBException e) {
              throw RocksErrors.map(e, "deleting namespace " + namespace, engine.path());
            }
            usageCache.put(namespace.name(), StorageUsage.EMPTY);
            for (ChunkWriteStream w : openWriteStreams) {
              if (w.namespace().equals(namespace)) {
                cancelledStreams.add(w);
              }
            }
            LOG.info(
                "deleted namespace {} ({} keys, {} bytes)",
                namespace,
                before.keys(),
                before.bytes());
            return before;
          } finally {
            writes.unlock();
          }
        });
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  static byte[] successor(byte[] prefix) {
    int n = prefix.length;
    while (n > 0 && prefix[n - 1] == (byte) 0xff) {
      n--;
    }
    if (n == 0) {
      throw new IllegalArgumentException("no successor of an all-0xff prefix");
    }
    byte[] out = Arrays.copyOf(prefix, n);
    out[n - 1]++;
    return out;
  }
}
