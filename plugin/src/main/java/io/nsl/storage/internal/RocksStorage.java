package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.checkKey;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.RekeyProgress;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageUsage;
import io.nsl.storage.StorageVersionConflictException;
import io.nsl.storage.StorageWriteStream;
import io.nsl.storage.VersionedValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * {@link PersistentStorageService} on RocksDB: the reads, and the entry points of mutations and
 * streams. The parts, one concern each:
 *
 * <ul>
 *   <li>{@link StoreSchema}: every key space with its key layout and value codec;
 *   <li>{@link Sealer}: compression and AES-256-GCM sealing of records;
 *   <li>{@link RocksEngine}: the RocksDB handle, its lifecycle lock, error mapping;
 *   <li>{@link StoreOpening}: format and key check at open, orphaned chunk collection;
 *   <li>{@link Mutations}: writes, versions, quota accounting, namespace deletion;
 *   <li>{@link ChunkWriteStream}, {@link ChunkReadStream}: large values in sealed chunks, on {@link
 *       SealedWriteStream} and {@link SealedReadStream}, which {@link PgStorage} shares;
 *   <li>{@link StoredValue}: what a write finds under a key (shared with {@link PgStorage}).
 * </ul>
 */
public final class RocksStorage implements PersistentStorageService {
  private final StorageOptions options;
  private final RocksEngine engine;
  private final Sealer sealer;
  private final SecureRandom random;
  private final Mutations mutations;
  private final Rekeying rekeying;
  private final EpochKeys epochKeys;

  private RocksStorage(
      RocksEngine engine,
      Sealer sealer,
      EpochKeys keys,
      SecureRandom random,
      StoreOpening.Versions versions) {
    this.options = engine.options();
    this.engine = engine;
    this.sealer = sealer;
    this.random = random;
    this.mutations = new Mutations(engine, sealer, versions);
    this.rekeying = new Rekeying(engine, sealer, mutations);
    this.epochKeys = keys;
  }

  /** See {@link PersistentStorageService#initialise}. */
  public static RocksStorage open(StorageOptions o, StorageKeyProvider keys) {
    RocksEngine.prepareFolder(o);
    SecureRandom random = new SecureRandom();
    EpochKeys epochKeys = o.encrypted() ? new EpochKeys(keys) : null;
    Sealer sealer = new Sealer(epochKeys, o.compressed(), random);
    RocksEngine engine = RocksEngine.open(o);
    try {
      StoreOpening.Versions versions = StoreOpening.checkFormat(engine, sealer);
      if (!o.readOnly()) {
        StoreOpening.collectOrphanedChunks(engine, sealer);
      }
      return new RocksStorage(engine, sealer, epochKeys, random, versions);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------- reads

  // ---------------------------------------------------------------------------------- epochs

  @Override
  public RekeyProgress rekeyStep(int maxRecords) {
    return rekeying.step(maxRecords);
  }

  @Override
  public Optional<RekeyProgress> rekeyCursor() {
    return rekeying.cursor();
  }

  @Override
  public void restartRekey() {
    rekeying.restart();
  }

  @Override
  public SortedMap<Integer, Long> sealedRecordsByEpoch() {
    return rekeying.countByEpoch();
  }

  @Override
  public void forgetEpoch(int epoch) {
    if (epochKeys != null) {
      epochKeys.forget(epoch);
    }
  }

  @Override
  public boolean encrypted() {
    return sealer.encrypted();
  }

  @Override
  public Optional<byte[]> read(Namespace namespace, byte[] key) {
    // The common case without the copies a VersionedValue makes.
    Optional<byte[]> direct =
        engine.guarded(
            () -> {
              byte[] ns = StoreSchema.namespaceBytes(namespace);
              checkKey(key, options.limits());
              byte[] raw = engine.get(StoreSchema.physical(ns, key));
              if (raw == null) {
                return Optional.empty();
              }
              Object where = at(namespace, key);
              Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
              if (h.manifest()) {
                return null;
              }
              return Optional.of(sealer.openValue(ns, key, raw, h, where).body());
            });
    return direct != null ? direct : readVersioned(namespace, key).map(VersionedValue::value);
  }

  @Override
  public Optional<VersionedValue> readVersioned(Namespace namespace, byte[] key) {
    return engine.guarded(
        () -> {
          byte[] ns = StoreSchema.namespaceBytes(namespace);
          checkKey(key, options.limits());
          byte[] raw = engine.get(StoreSchema.physical(ns, key));
          if (raw == null) {
            return Optional.empty();
          }
          return SealedReadStream.readWhole(
              sealer,
              options.limits().maxValueBytes(),
              ns,
              key,
              raw,
              at(namespace, key),
              () -> openChunks(namespace, key));
        });
  }

  @Override
  public boolean exists(Namespace namespace, byte[] key) {
    return engine.guarded(
        () -> {
          checkKey(key, options.limits());
          return engine.get(StoreSchema.physical(StoreSchema.namespaceBytes(namespace), key))
              != null;
        });
  }

  @Override
  public OptionalLong size(Namespace namespace, byte[] key) {
    return engine.guarded(
        () -> {
          byte[] ns = StoreSchema.namespaceBytes(namespace);
          checkKey(key, options.limits());
          byte[] raw = engine.get(StoreSchema.physical(ns, key));
          if (raw == null) {
            return OptionalLong.empty();
          }
          // Authenticate before answering: a tampered header must not leak through as a size.
          return OptionalLong.of(
              sealer.openValue(ns, key, raw, at(namespace, key)).header().plainLength());
        });
  }

  @Override
  public List<byte[]> listKeys(Namespace namespace, byte[] prefix, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return engine.guarded(
        () -> {
          byte[] ns = StoreSchema.namespaceBytes(namespace);
          byte[] start = StoreSchema.physical(ns, prefix);
          int nsPart = StoreSchema.namespacePrefix(ns).length;
          List<byte[]> keys = new ArrayList<>();
          try (RocksIterator it = engine.newIterator()) {
            for (it.seek(start); it.isValid() && keys.size() < limit; it.next()) {
              byte[] k = it.key();
              if (!StoreOpening.startsWith(k, start)) {
                break;
              }
              keys.add(Arrays.copyOfRange(k, nsPart, k.length));
            }
            engine.checkIterator(it, "listing keys of " + namespace);
          }
          return keys;
        });
  }

  @Override
  public StorageUsage usage(Namespace namespace) {
    return mutations.usage(namespace);
  }

  @Override
  public Optional<InputStream> openReadStream(Namespace namespace, byte[] key) {
    return engine.guarded(
        () -> {
          byte[] ns = StoreSchema.namespaceBytes(namespace);
          checkKey(key, options.limits());
          byte[] raw = engine.get(StoreSchema.physical(ns, key));
          if (raw == null) {
            return Optional.empty();
          }
          Object where = at(namespace, key);
          if (!Sealer.peekHeader(raw, where).manifest()) {
            return Optional.of(
                new ByteArrayInputStream(sealer.openValue(ns, key, raw, where).body()));
          }
          return Optional.ofNullable(openChunks(namespace, key));
        });
  }

  /** Opens the chunks of a streamed value under a snapshot; {@code null} if it vanished. */
  private ChunkReadStream openChunks(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    Snapshot snap = engine.snapshot();
    ReadOptions ro = new ReadOptions().setSnapshot(snap);
    boolean handedOut = false;
    try {
      byte[] raw = engine.get(ro, StoreSchema.physical(ns, key));
      if (raw == null) {
        return null;
      }
      Object where = at(namespace, key);
      Sealer.Opened o = sealer.openValue(ns, key, raw, where);
      long length = o.header().plainLength();
      long version = o.header().version();
      ChunkReadStream in =
          o.header().manifest()
              ? new ChunkReadStream(
                  engine,
                  sealer,
                  ns,
                  key,
                  where,
                  snap,
                  ro,
                  Sealer.Manifest.decode(o.body(), where),
                  null,
                  length,
                  version)
              // Replaced by an ordinary value between our two looks; serve it from the snapshot.
              : new ChunkReadStream(
                  engine, sealer, ns, key, where, snap, ro, null, o.body(), length, version);
      handedOut = true;
      return in;
    } finally {
      if (!handedOut) {
        engine.release(snap, ro);
      }
    }
  }

  // ------------------------------------------------------------------------------- mutations

  @Override
  public StorageUsage deleteNamespace(Namespace namespace) {
    return mutations.deleteNamespace(namespace);
  }

  @Override
  public long write(Namespace namespace, byte[] key, byte[] value) {
    return mutations.apply(List.of(new Mutations.PutOp(namespace, key, value))).version();
  }

  @Override
  public boolean delete(Namespace namespace, byte[] key) {
    return mutations.apply(List.of(new Mutations.DeleteOp(namespace, key))).firstExisted();
  }

  @Override
  public boolean compareAndSet(
      Namespace namespace, byte[] key, long expectedVersion, byte[] newValue) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, got " + expectedVersion);
    }
    try {
      mutations.apply(
          List.of(
              new Mutations.ExpectOp(namespace, key, expectedVersion),
              new Mutations.PutOp(namespace, key, newValue)));
      return true;
    } catch (StorageVersionConflictException e) {
      return false;
    }
  }

  @Override
  public long commit(StorageBatch batch) {
    List<Mutations.Mut> ops = new ArrayList<>(batch.ops().size());
    for (StorageBatch.Op op : batch.ops()) {
      ops.add(
          switch (op) {
            case StorageBatch.Put p -> new Mutations.PutOp(p.namespace(), p.key(), p.value());
            case StorageBatch.Delete d -> new Mutations.DeleteOp(d.namespace(), d.key());
            case StorageBatch.ExpectVersion e ->
                new Mutations.ExpectOp(e.namespace(), e.key(), e.version());
          });
    }
    return mutations.apply(ops).version();
  }

  @Override
  public StorageWriteStream openWriteStream(Namespace namespace, byte[] key) {
    return engine.guarded(
        () -> {
          engine.checkWritable();
          StoreSchema.namespaceBytes(namespace);
          checkKey(key, options.limits());
          return new ChunkWriteStream(engine, sealer, mutations, random, namespace, key);
        });
  }

  @Override
  public void flush() {
    engine.flush();
  }

  @Override
  public void close() {
    engine.close();
    mutations.forgetAllStreams();
  }
}
