package io.nsl.storage.internal;

import io.nsl.storage.InvalidStorageKeyException;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageClosedException;
import io.nsl.storage.StorageIoException;
import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageNamespaceDeletedException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuota;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageReadOnlyException;
import io.nsl.storage.StorageTamperedException;
import io.nsl.storage.StorageUsage;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.StorageVersionConflictException;
import io.nsl.storage.StorageWriteStream;
import io.nsl.storage.VersionedValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PersistentStorageService} on RocksDB. One column family; a physical key is {@code u8
 * namespaceLength || namespace || key}, so namespaces never overlap. Internal namespaces start with
 * {@code '!'}, which public {@link Namespace} names cannot: {@code !meta} (format, key check,
 * version lease, quota usage) and {@code !chunk} (chunks of streamed values).
 *
 * <p>Mutations run one at a time under {@link #writes}: they read the previous value's header
 * (quota accounting, stream chunks to drop, version checks), then write one RocksDB batch with
 * {@code sync}. The lifecycle lock keeps every native call away from a closed database.
 */
public final class RocksStorage implements PersistentStorageService {
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);

  private static final byte[] META = "!meta".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNK = "!chunk".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] K_FORMAT = ascii("format");
  private static final byte[] K_KEYCHECK = ascii("keycheck");
  private static final byte[] K_SEQ = ascii("seq");
  private static final byte[] FORMAT_MAGIC = ascii("NSLS");
  private static final byte[] KEYCHECK_PLAIN = ascii("nsl-storage-keycheck-v1");

  /** Versions are leased from disk this many at a time, so most writes add no extra record. */
  private static final long VERSION_LEASE = 4096;

  private final StorageOptions options;
  private final Path path;
  private final Options rocksOptions;
  private final RocksDB db;
  private final WriteOptions syncWrite;
  private final WriteOptions chunkWrite;
  private final Sealer sealer;
  private final SecureRandom random;

  private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private final ReentrantLock writes = new ReentrantLock();
  private final Set<ChunkInputStream> openReadStreams = ConcurrentHashMap.newKeySet();
  private final Set<ChunkOutputStream> openWriteStreams = ConcurrentHashMap.newKeySet();

  /** Streams whose namespace was deleted while they were open; added and checked under writes. */
  private final Set<ChunkOutputStream> cancelledStreams = ConcurrentHashMap.newKeySet();

  // Guarded by writes.
  private long nextVersion;
  private long versionCeiling;
  private final Map<String, StorageUsage> usageCache = new HashMap<>();

  private RocksStorage(
      StorageOptions options,
      Options rocksOptions,
      RocksDB db,
      Sealer sealer,
      SecureRandom random) {
    this.options = options;
    this.path = options.path();
    this.rocksOptions = rocksOptions;
    this.db = db;
    this.sealer = sealer;
    this.random = random;
    this.syncWrite = new WriteOptions().setSync(options.syncWrites());
    // Chunks become durable with the synced manifest write that follows them in the same WAL.
    this.chunkWrite = new WriteOptions().setSync(false);
  }

  /** See {@link PersistentStorageService#initialise}. */
  public static RocksStorage open(StorageOptions o, StorageKeyProvider keys) {
    RocksDB.loadLibrary();
    Path path = o.path();
    if (!Files.isDirectory(path) || !Files.exists(path.resolve("CURRENT"))) {
      if (!o.createIfMissing() || o.readOnly()) {
        throw new StorageOpenException(
            "no store at "
                + path
                + "; check the path, or open with createIfMissing to create an empty store");
      }
      try {
        Files.createDirectories(path);
      } catch (AccessDeniedException e) {
        throw new StorageReadOnlyException(
            "cannot create the store folder " + path + ": permission denied; fix its permissions",
            e);
      } catch (FileSystemException e) {
        if (String.valueOf(e.getReason()).contains("Read-only")) {
          throw new StorageReadOnlyException(
              "cannot create the store folder " + path + ": read-only file system", e);
        }
        throw new StorageIoException("cannot create the store folder " + path + ": " + e, e);
      } catch (IOException e) {
        throw new StorageIoException("cannot create the store folder " + path + ": " + e, e);
      }
    }
    byte[] aesKey = null;
    if (o.encrypted()) {
      aesKey = keys.deriveStorageKey(StorageKeyProvider.STORAGE_PURPOSE);
      if (aesKey == null || aesKey.length != 32) {
        int n = aesKey == null ? -1 : aesKey.length;
        if (aesKey != null) {
          Arrays.fill(aesKey, (byte) 0);
        }
        throw new StorageOpenException(
            "the storage key provider returned " + n + " bytes; an AES-256 key has 32");
      }
    }
    SecureRandom random = new SecureRandom();
    Sealer sealer;
    try {
      sealer = new Sealer(aesKey, o.compressed(), random);
    } finally {
      if (aesKey != null) {
        Arrays.fill(aesKey, (byte) 0);
      }
    }
    Options ro =
        new Options()
            .setCreateIfMissing(o.createIfMissing())
            // Values arrive sealed (random-looking) and already deflated by us.
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setKeepLogFileNum(3);
    RocksDB db;
    try {
      db =
          o.readOnly()
              ? RocksDB.openReadOnly(ro, path.toString())
              : RocksDB.open(ro, path.toString());
    } catch (RocksDBException e) {
      ro.close();
      throw RocksErrors.map(e, "opening the store", path);
    }
    RocksStorage s = new RocksStorage(o, ro, db, sealer, random);
    try {
      s.checkFormat();
      if (!o.readOnly()) {
        s.collectOrphanedChunks();
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void checkFormat() {
    byte[] format = get(phys(META, K_FORMAT));
    if (format == null) {
      try (RocksIterator it = db.newIterator()) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new StorageOpenException(
              "the store at "
                  + path
                  + " holds data but no NSL format record; it was not created by NSL or its"
                  + " metadata was removed");
        }
      }
      if (options.readOnly()) {
        return;
      }
      byte[] rec =
          ByteBuffer.allocate(6)
              .put(FORMAT_MAGIC)
              .put((byte) 1)
              .put((byte) (sealer.encrypted() ? 1 : 0))
              .array();
      try (WriteBatch wb = new WriteBatch()) {
        wb.put(phys(META, K_FORMAT), rec);
        wb.put(phys(META, K_KEYCHECK), sealer.sealValue(META, K_KEYCHECK, 1, KEYCHECK_PLAIN));
        versionCeiling = VERSION_LEASE;
        wb.put(phys(META, K_SEQ), sealer.sealValue(META, K_SEQ, 1, longBytes(versionCeiling)));
        db.write(syncWrite, wb);
      } catch (RocksDBException e) {
        throw RocksErrors.map(e, "creating the store", path);
      }
      nextVersion = 1;
      return;
    }
    if (format.length != 6
        || !Arrays.equals(Arrays.copyOf(format, 4), FORMAT_MAGIC)
        || format[4] != 1) {
      throw new StorageOpenException(
          "the store at " + path + " has an unknown format record; it needs another NSL version");
    }
    boolean createdEncrypted = format[5] == 1;
    if (createdEncrypted != sealer.encrypted()) {
      throw new StorageKeyMismatchException(
          "the store at "
              + path
              + " was created "
              + (createdEncrypted ? "encrypted" : "without encryption")
              + " and was opened "
              + (sealer.encrypted() ? "with" : "without")
              + " encryption; open it with encryption "
              + (createdEncrypted ? "on" : "off"));
    }
    byte[] kc = get(phys(META, K_KEYCHECK));
    try {
      if (kc == null
          || !Arrays.equals(
              sealer.openValue(META, K_KEYCHECK, kc, "!meta/keycheck").body(), KEYCHECK_PLAIN)) {
        throw new StorageKeyMismatchException(
            "the store at " + path + " has no valid key check record; it is corrupt or tampered");
      }
    } catch (StorageTamperedException e) {
      throw new StorageKeyMismatchException(
          "the store at "
              + path
              + " was sealed with a different storage key (another enclave, or a changed sealing"
              + " identity); open it from the enclave that created it",
          e);
    }
    byte[] seq = get(phys(META, K_SEQ));
    versionCeiling =
        seq == null
            ? 0
            : ByteBuffer.wrap(sealer.openValue(META, K_SEQ, seq, "!meta/seq").body()).getLong();
    nextVersion = versionCeiling + 1;
  }

  /**
   * Deletes stream chunks no manifest points at: those of a writer that stopped (crash, kill, lost
   * store) between its first chunk and the manifest its close() commits, and those a damaged
   * manifest kept from being dropped on overwrite. Runs at open, before the store is handed out, so
   * no stream can be in flight. Chunks sort by (namespace, key, streamId), so one manifest lookup
   * decides a whole run. A chunk whose manifest cannot be authenticated, or whose key does not
   * parse, is left alone: deleting what we cannot read would turn tampering into silent loss.
   */
  private void collectOrphanedChunks() {
    byte[] prefix = phys(CHUNK, new byte[0]);
    long orphans = 0;
    long streams = 0;
    long kept = 0;
    byte[] runPrefix = null;
    boolean runOrphaned = false;
    boolean runUnreadable = false;
    try (RocksIterator it = db.newIterator();
        WriteBatch wb = new WriteBatch()) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, prefix)) {
          break;
        }
        // inner = u8 len(ns) || ns || u32 len(key) || key || streamId || u32 index
        int p = prefix.length;
        int nsLen = k.length > p ? k[p] & 0xff : -1;
        int keyLenAt = p + 1 + nsLen;
        if (nsLen < 1 || k.length < keyLenAt + 4) {
          kept++;
          continue;
        }
        int keyLen = ByteBuffer.wrap(k, keyLenAt, 4).getInt();
        int idAt = keyLenAt + 4 + keyLen;
        if (keyLen < 1 || k.length != idAt + Sealer.STREAM_ID + 4) {
          kept++;
          continue;
        }
        if (runPrefix == null
            || !Arrays.equals(k, 0, idAt + Sealer.STREAM_ID, runPrefix, 0, runPrefix.length)) {
          runPrefix = Arrays.copyOf(k, idAt + Sealer.STREAM_ID);
          byte[] ns = Arrays.copyOfRange(k, p + 1, p + 1 + nsLen);
          byte[] key = Arrays.copyOfRange(k, keyLenAt + 4, idAt);
          byte[] streamId = Arrays.copyOfRange(k, idAt, idAt + Sealer.STREAM_ID);
          Boolean orphaned = orphaned(ns, key, streamId);
          runUnreadable = orphaned == null;
          runOrphaned = orphaned != null && orphaned;
          if (runOrphaned) {
            streams++;
          }
        }
        if (runOrphaned) {
          wb.delete(k);
          orphans++;
        } else if (runUnreadable) {
          kept++;
        }
      }
      checkIterator(it, "collecting orphaned stream chunks");
      if (wb.count() > 0) {
        db.write(syncWrite, wb);
      }
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "collecting orphaned stream chunks", path);
    }
    if (orphans > 0) {
      LOG.info(
          "collected {} orphaned chunks of {} unfinished stream(s) in {} (a writer stopped before"
              + " close())",
          orphans,
          streams,
          path);
    }
    if (kept > 0) {
      LOG.warn(
          "{} stream chunks in {} have an unreadable key or a manifest that does not authenticate;"
              + " left in place",
          kept,
          path);
    }
  }

  /** Whether no manifest points at this stream; {@code null} when the manifest is unreadable. */
  private Boolean orphaned(byte[] ns, byte[] key, byte[] streamId) {
    byte[] raw = get(phys(ns, key));
    if (raw == null) {
      return true;
    }
    String where = new String(ns, StandardCharsets.US_ASCII) + "/<" + key.length + "-byte key>";
    try {
      if (!Sealer.peekHeader(raw, where).manifest()) {
        return true;
      }
      return !Arrays.equals(sealer.openManifest(ns, key, raw, where).streamId(), streamId);
    } catch (StorageTamperedException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------- reads

  @Override
  public boolean encrypted() {
    return sealer.encrypted();
  }

  @Override
  public Optional<byte[]> read(Namespace namespace, byte[] key) {
    // The common case without the copies a VersionedValue makes.
    Optional<byte[]> direct =
        guarded(
            () -> {
              byte[] ns = nsBytes(namespace);
              checkKey(key);
              byte[] raw = get(phys(ns, key));
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
    return guarded(
        () -> {
          byte[] ns = nsBytes(namespace);
          checkKey(key);
          byte[] raw = get(phys(ns, key));
          if (raw == null) {
            return Optional.empty();
          }
          Object where = at(namespace, key);
          Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
          if (!h.manifest()) {
            Sealer.Opened o = sealer.openValue(ns, key, raw, h, where);
            return Optional.of(new VersionedValue(o.body(), o.header().version()));
          }
          if (h.plainLength() > options.limits().maxValueBytes()) {
            throw new StorageValueTooLargeException(
                "value "
                    + where
                    + " has "
                    + h.plainLength()
                    + " bytes, more than read returns ("
                    + options.limits().maxValueBytes()
                    + "); read it with openReadStream");
          }
          try (ChunkInputStream in = openChunks(namespace, key)) {
            if (in == null) {
              return Optional.empty();
            }
            byte[] all = in.readAllBytes();
            return Optional.of(new VersionedValue(all, in.version));
          } catch (IOException e) {
            throw new StorageIoException("reading " + where + " failed: " + e.getMessage(), e);
          }
        });
  }

  @Override
  public boolean exists(Namespace namespace, byte[] key) {
    return guarded(
        () -> {
          checkKey(key);
          return get(phys(nsBytes(namespace), key)) != null;
        });
  }

  @Override
  public OptionalLong size(Namespace namespace, byte[] key) {
    return guarded(
        () -> {
          byte[] ns = nsBytes(namespace);
          checkKey(key);
          byte[] raw = get(phys(ns, key));
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
    return guarded(
        () -> {
          byte[] ns = nsBytes(namespace);
          byte[] start = phys(ns, prefix);
          int nsPart = 1 + ns.length;
          List<byte[]> keys = new ArrayList<>();
          try (RocksIterator it = db.newIterator()) {
            for (it.seek(start); it.isValid() && keys.size() < limit; it.next()) {
              byte[] k = it.key();
              if (!startsWith(k, start)) {
                break;
              }
              keys.add(Arrays.copyOfRange(k, nsPart, k.length));
            }
            checkIterator(it, "listing keys of " + namespace);
          }
          return keys;
        });
  }

  @Override
  public StorageUsage usage(Namespace namespace) {
    if (namespace.isFunctionState()) {
      // Same lock order as mutations (lifecycle, then writes).
      return guarded(
          () -> {
            writes.lock();
            try {
              return usageOf(namespace);
            } finally {
              writes.unlock();
            }
          });
    }
    return guarded(() -> scanUsage(namespace));
  }

  private StorageUsage scanUsage(Namespace namespace) {
    byte[] start = phys(nsBytes(namespace), new byte[0]);
    long bytes = 0;
    long keys = 0;
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(start); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, start)) {
          break;
        }
        keys++;
        bytes +=
            k.length - start.length + Sealer.peekHeader(it.value(), namespace.name()).plainLength();
      }
      checkIterator(it, "measuring " + namespace);
    }
    return new StorageUsage(bytes, keys);
  }

  @Override
  public StorageUsage deleteNamespace(Namespace namespace) {
    return guarded(
        () -> {
          checkWritable();
          byte[] ns = nsBytes(namespace);
          writes.lock();
          try {
            StorageUsage before =
                namespace.isFunctionState() ? usageOf(namespace) : scanUsage(namespace);
            // Values: u8 len || ns || key. Chunks: !chunk / u8 len || ns || u32 len(key) || ...
            // The length byte keeps "fn:a" from matching "fn:ab" in both ranges.
            byte[] values = phys(ns, new byte[0]);
            byte[] chunks = phys(CHUNK, values);
            try (WriteBatch wb = new WriteBatch()) {
              wb.deleteRange(values, successor(values));
              wb.deleteRange(chunks, successor(chunks));
              wb.delete(phys(META, usageKey(namespace)));
              db.write(syncWrite, wb);
            } catch (RocksDBException e) {
              throw RocksErrors.map(e, "deleting namespace " + namespace, path);
            }
            usageCache.put(namespace.name(), StorageUsage.EMPTY);
            for (ChunkOutputStream w : openWriteStreams) {
              if (w.namespace.equals(namespace)) {
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
  private static byte[] successor(byte[] prefix) {
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

  @Override
  public Optional<InputStream> openReadStream(Namespace namespace, byte[] key) {
    return guarded(
        () -> {
          byte[] ns = nsBytes(namespace);
          checkKey(key);
          byte[] raw = get(phys(ns, key));
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
  private ChunkInputStream openChunks(Namespace namespace, byte[] key) {
    byte[] ns = nsBytes(namespace);
    Snapshot snap = db.getSnapshot();
    ReadOptions ro = new ReadOptions().setSnapshot(snap);
    boolean handedOut = false;
    try {
      byte[] raw = get(ro, phys(ns, key));
      if (raw == null) {
        return null;
      }
      Object where = at(namespace, key);
      Sealer.Opened o = sealer.openValue(ns, key, raw, where);
      if (!o.header().manifest()) {
        // Replaced by an ordinary value between our two looks; serve it from the snapshot.
        ChunkInputStream single =
            new ChunkInputStream(
                ns, key, where, snap, ro, null, o.header().plainLength(), o.header().version());
        single.current = o.body();
        openReadStreams.add(single);
        handedOut = true;
        return single;
      }
      Sealer.Manifest m = Sealer.Manifest.decode(o.body(), where);
      ChunkInputStream in =
          new ChunkInputStream(
              ns, key, where, snap, ro, m, o.header().plainLength(), o.header().version());
      openReadStreams.add(in);
      handedOut = true;
      return in;
    } finally {
      if (!handedOut) {
        ro.close();
        db.releaseSnapshot(snap);
      }
    }
  }

  // ------------------------------------------------------------------------------- mutations

  @Override
  public long write(Namespace namespace, byte[] key, byte[] value) {
    return apply(List.of(new PutOp(namespace, key, value))).version;
  }

  @Override
  public boolean delete(Namespace namespace, byte[] key) {
    return apply(List.of(new DeleteOp(namespace, key))).firstExisted;
  }

  @Override
  public boolean compareAndSet(
      Namespace namespace, byte[] key, long expectedVersion, byte[] newValue) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, got " + expectedVersion);
    }
    try {
      apply(
          List.of(
              new ExpectOp(namespace, key, expectedVersion), new PutOp(namespace, key, newValue)));
      return true;
    } catch (StorageVersionConflictException e) {
      return false;
    }
  }

  @Override
  public long commit(StorageBatch batch) {
    List<Mut> ops = new ArrayList<>(batch.ops().size());
    for (StorageBatch.Op op : batch.ops()) {
      ops.add(
          switch (op) {
            case StorageBatch.Put p -> new PutOp(p.namespace(), p.key(), p.value());
            case StorageBatch.Delete d -> new DeleteOp(d.namespace(), d.key());
            case StorageBatch.ExpectVersion e -> new ExpectOp(e.namespace(), e.key(), e.version());
          });
    }
    return apply(ops).version;
  }

  @Override
  public StorageWriteStream openWriteStream(Namespace namespace, byte[] key) {
    return guarded(
        () -> {
          checkWritable();
          nsBytes(namespace);
          checkKey(key);
          return new ChunkOutputStream(namespace, key);
        });
  }

  @Override
  public void flush() {
    guarded(
        () -> {
          if (options.readOnly()) {
            return null;
          }
          try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            db.flush(f);
            db.flushWal(true);
          } catch (RocksDBException e) {
            throw RocksErrors.map(e, "flushing", path);
          }
          return null;
        });
  }

  @Override
  public void close() {
    life.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ChunkInputStream in : openReadStreams) {
        in.release();
      }
      openReadStreams.clear();
      openWriteStreams.clear();
      cancelledStreams.clear();
      syncWrite.close();
      chunkWrite.close();
      db.close();
      rocksOptions.close();
    } finally {
      life.writeLock().unlock();
    }
  }

  private sealed interface Mut permits PutOp, PutManifestOp, DeleteOp, ExpectOp {
    Namespace namespace();

    byte[] key();
  }

  private record PutOp(Namespace namespace, byte[] key, byte[] value) implements Mut {}

  private record PutManifestOp(
      Namespace namespace,
      byte[] key,
      Sealer.Manifest manifest,
      long total,
      ChunkOutputStream stream)
      implements Mut {}

  private record DeleteOp(Namespace namespace, byte[] key) implements Mut {}

  private record ExpectOp(Namespace namespace, byte[] key, long version) implements Mut {}

  /** What a key holds before a mutation; {@code authentic} when its header was authenticated. */
  private record Current(
      boolean exists, long version, long plainLength, Sealer.Manifest manifest, boolean authentic) {
    static final Current ABSENT = new Current(false, 0, 0, null, true);
  }

  private record Applied(long version, boolean firstExisted) {}

  private Applied apply(List<Mut> ops) {
    return guarded(
        () -> {
          checkWritable();
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
    Map<ByteBuffer, Current> seen = new HashMap<>();
    Map<Namespace, long[]> deltas = new LinkedHashMap<>();
    try (WriteBatch wb = new WriteBatch()) {
      for (Mut m : ops) {
        byte[] ns = nsBytes(m.namespace());
        byte[] key = m.key();
        checkKey(key);
        byte[] pk = phys(ns, key);
        ByteBuffer id = ByteBuffer.wrap(pk);
        Current cur = seen.get(id);
        boolean needAuth = m instanceof ExpectOp;
        if (cur == null || (needAuth && !cur.authentic())) {
          cur = load(m.namespace(), ns, key, pk, needAuth);
        }
        if (firstExisted == null) {
          firstExisted = cur.exists();
        }
        switch (m) {
          case ExpectOp e -> {
            if (cur.version() != e.version()) {
              throw new StorageVersionConflictException(
                  describe(m.namespace(), key)
                      + " is at version "
                      + cur.version()
                      + ", expected "
                      + e.version()
                      + "; another writer changed it. Read it again and retry");
            }
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
            account(deltas, m.namespace(), key.length, cur, true, value.length);
            seen.put(id, new Current(true, version, value.length, null, true));
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
            account(deltas, m.namespace(), key.length, cur, true, p.total());
            seen.put(id, new Current(true, version, p.total(), p.manifest(), true));
          }
          case DeleteOp d -> {
            if (cur.exists()) {
              wb.delete(pk);
              dropChunks(wb, ns, key, cur);
              account(deltas, m.namespace(), key.length, cur, false, 0);
            }
            seen.put(id, Current.ABSENT);
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
        if ((d[0] > 0 && bytes > quota.maxBytes()) || (d[1] > 0 && keys > quota.maxKeys())) {
          throw new StorageQuotaExceededException(
              "function state "
                  + n
                  + " would use "
                  + bytes
                  + " bytes in "
                  + keys
                  + " keys, over its quota of "
                  + quota.maxBytes()
                  + " bytes and "
                  + quota.maxKeys()
                  + " keys; nothing was written. Delete state or raise the quota");
        }
        StorageUsage nu = new StorageUsage(bytes, keys);
        newUsage.put(n.name(), nu);
        byte[] uk = usageKey(n);
        wb.put(
            phys(META, uk),
            sealer.sealValue(
                META, uk, 1, ByteBuffer.allocate(16).putLong(bytes).putLong(keys).array()));
      }
      long ceiling = versionCeiling;
      if (version > ceiling) {
        ceiling = version + VERSION_LEASE;
        wb.put(phys(META, K_SEQ), sealer.sealValue(META, K_SEQ, 1, longBytes(ceiling)));
      }
      if (wb.count() > 0) {
        try {
          db.write(syncWrite, wb);
        } catch (RocksDBException e) {
          throw RocksErrors.map(e, "writing", path);
        }
      }
      nextVersion = version + 1;
      versionCeiling = ceiling;
      usageCache.putAll(newUsage);
      return new Applied(version, firstExisted != null && firstExisted);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "preparing a write", path);
    }
  }

  private Current load(
      Namespace namespace, byte[] ns, byte[] key, byte[] pk, boolean authenticate) {
    byte[] raw = get(pk);
    if (raw == null) {
      return Current.ABSENT;
    }
    Object where = at(namespace, key);
    if (authenticate) {
      Sealer.Opened o = sealer.openValue(ns, key, raw, where);
      Sealer.Manifest m = o.header().manifest() ? Sealer.Manifest.decode(o.body(), where) : null;
      return new Current(true, o.header().version(), o.header().plainLength(), m, true);
    }
    Sealer.ValueHeader h;
    try {
      h = Sealer.peekHeader(raw, where);
    } catch (StorageTamperedException e) {
      // Overwriting or deleting a damaged value is how one recovers from it.
      return new Current(true, 0, 0, null, false);
    }
    Sealer.Manifest m = null;
    if (h.manifest()) {
      try {
        m = sealer.openManifest(ns, key, raw, where);
      } catch (StorageTamperedException e) {
        LOG.warn("stream manifest of {} is damaged; its chunks stay behind as garbage", where);
      }
    }
    return new Current(true, h.version(), h.plainLength(), m, false);
  }

  private void dropChunks(WriteBatch wb, byte[] ns, byte[] key, Current cur)
      throws RocksDBException {
    if (cur.manifest() == null) {
      return;
    }
    for (int i = 0; i < cur.manifest().chunkCount(); i++) {
      wb.delete(chunkKey(ns, key, cur.manifest().streamId(), i));
    }
  }

  private static void account(
      Map<Namespace, long[]> deltas,
      Namespace n,
      int keyLen,
      Current cur,
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

  /** Caller holds {@link #writes}. */
  private StorageUsage usageOf(Namespace n) {
    StorageUsage u = usageCache.get(n.name());
    if (u != null) {
      return u;
    }
    byte[] uk = usageKey(n);
    byte[] raw = get(phys(META, uk));
    if (raw == null) {
      u = StorageUsage.EMPTY;
    } else {
      ByteBuffer b = ByteBuffer.wrap(sealer.openValue(META, uk, raw, "!meta/usage of " + n).body());
      u = new StorageUsage(b.getLong(), b.getLong());
    }
    usageCache.put(n.name(), u);
    return u;
  }

  // ------------------------------------------------------------------------------- streams

  private final class ChunkOutputStream extends StorageWriteStream {
    private final Namespace namespace;
    private final byte[] ns;
    private final byte[] key;
    private final byte[] streamId = new byte[Sealer.STREAM_ID];
    private final byte[] buf;
    private int bufLen;
    private int chunks;
    private long total;
    private boolean done;
    private long version;

    ChunkOutputStream(Namespace namespace, byte[] key) {
      this.namespace = namespace;
      this.ns = nsBytes(namespace);
      this.key = key.clone();
      random.nextBytes(streamId);
      this.buf = new byte[options.limits().streamChunkBytes()];
      openWriteStreams.add(this);
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (done) {
        throw new IllegalStateException("stream for " + describe(namespace, key) + " is closed");
      }
      try {
        long after = total + len;
        if (after > options.limits().maxStreamBytes()) {
          throw new StorageValueTooLargeException(
              "stream for "
                  + describe(namespace, key)
                  + " passed the limit of "
                  + options.limits().maxStreamBytes()
                  + " bytes; nothing was written");
        }
        if (namespace.isFunctionState()
            && after + key.length > options.functionQuota().maxBytes()) {
          throw new StorageQuotaExceededException(
              "stream for "
                  + describe(namespace, key)
                  + " passed the function's quota of "
                  + options.functionQuota().maxBytes()
                  + " bytes; nothing was written");
        }
        while (len > 0) {
          if (bufLen == buf.length) {
            emit(false);
          }
          int n = Math.min(len, buf.length - bufLen);
          System.arraycopy(b, off, buf, bufLen, n);
          bufLen += n;
          off += n;
          len -= n;
          total += n;
        }
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
    }

    private void emit(boolean last) {
      byte[] sealed = sealer.sealChunk(ns, key, streamId, chunks, last, Arrays.copyOf(buf, bufLen));
      guarded(
          () -> {
            try {
              db.put(chunkWrite, chunkKey(ns, key, streamId, chunks), sealed);
            } catch (RocksDBException e) {
              throw RocksErrors.map(e, "writing a stream chunk", path);
            }
            return null;
          });
      chunks++;
      bufLen = 0;
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      try {
        emit(true);
        version =
            apply(
                    List.of(
                        new PutManifestOp(
                            namespace, key, new Sealer.Manifest(streamId, chunks), total, this)))
                .version;
        done = true;
        openWriteStreams.remove(this);
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
    }

    @Override
    public void abort() {
      if (done) {
        return;
      }
      done = true;
      openWriteStreams.remove(this);
      cancelledStreams.remove(this);
      if (chunks == 0 || closed) {
        return;
      }
      try (WriteBatch wb = new WriteBatch()) {
        for (int i = 0; i < chunks; i++) {
          wb.delete(chunkKey(ns, key, streamId, i));
        }
        guarded(
            () -> {
              try {
                db.write(chunkWrite, wb);
              } catch (RocksDBException e) {
                throw RocksErrors.map(e, "dropping an aborted stream", path);
              }
              return null;
            });
      } catch (RuntimeException | RocksDBException e) {
        LOG.warn(
            "aborted stream for {} left {} chunks behind as garbage: {}",
            describe(namespace, key),
            chunks,
            e.getMessage());
      }
    }

    @Override
    public long version() {
      if (!done || version == 0) {
        throw new IllegalStateException("the stream has not been committed");
      }
      return version;
    }
  }

  private final class ChunkInputStream extends InputStream {
    private final byte[] ns;
    private final byte[] key;
    private final Object where;
    private final Snapshot snapshot;
    private final ReadOptions ro;
    private final Sealer.Manifest manifest;
    private final long total;
    final long version;
    byte[] current;
    private int pos;
    private int next;
    private long delivered;
    private boolean released;

    ChunkInputStream(
        byte[] ns,
        byte[] key,
        Object where,
        Snapshot snapshot,
        ReadOptions ro,
        Sealer.Manifest manifest,
        long total,
        long version) {
      this.ns = ns;
      this.key = key.clone();
      this.where = where;
      this.snapshot = snapshot;
      this.ro = ro;
      this.manifest = manifest;
      this.total = total;
      this.version = version;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      while (current == null || pos == current.length) {
        if (manifest == null || next == manifest.chunkCount()) {
          if (manifest != null && delivered != total) {
            throw Sealer.tampered(
                where, "stream ended after " + delivered + " of " + total + " bytes");
          }
          return -1;
        }
        loadChunk();
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    private void loadChunk() {
      byte[] raw =
          guarded(
              () -> {
                synchronized (this) {
                  if (released) {
                    throw new StorageClosedException("the read stream for " + where + " is closed");
                  }
                  return get(ro, chunkKey(ns, key, manifest.streamId(), next));
                }
              });
      if (raw == null) {
        throw Sealer.tampered(
            where, "chunk " + next + " of " + manifest.chunkCount() + " is missing (truncated)");
      }
      current =
          sealer.openChunk(ns, key, manifest.streamId(), next, manifest.chunkCount(), raw, where);
      pos = 0;
      next++;
      delivered += current.length;
      if (delivered > total) {
        throw Sealer.tampered(where, "stream is longer than its manifest says");
      }
    }

    @Override
    public void close() {
      life.readLock().lock();
      try {
        if (!closed) {
          release();
        }
      } finally {
        life.readLock().unlock();
      }
    }

    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      openReadStreams.remove(this);
      ro.close();
      db.releaseSnapshot(snapshot);
    }
  }

  // ------------------------------------------------------------------------------- helpers

  private <T> T guarded(Supplier<T> action) {
    life.readLock().lock();
    try {
      if (closed) {
        throw new StorageClosedException(
            "the store at " + path + " is closed; open it again with initialise");
      }
      return action.get();
    } finally {
      life.readLock().unlock();
    }
  }

  private void checkWritable() {
    if (options.readOnly()) {
      throw new StorageReadOnlyException(
          "the store at " + path + " was opened read-only; reopen it without readOnly to write");
    }
  }

  private byte[] get(byte[] pk) {
    try {
      return db.get(pk);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "reading", path);
    }
  }

  private byte[] get(ReadOptions ro, byte[] pk) {
    try {
      return db.get(ro, pk);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "reading", path);
    }
  }

  private void checkIterator(RocksIterator it, String action) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, action, path);
    }
  }

  private void checkKey(byte[] key) {
    if (key == null || key.length == 0) {
      throw new InvalidStorageKeyException("a storage key must have at least one byte");
    }
    if (key.length > options.limits().maxKeyBytes()) {
      throw new InvalidStorageKeyException(
          "storage key of "
              + key.length
              + " bytes is longer than the limit of "
              + options.limits().maxKeyBytes()
              + " bytes; use a shorter key (a hash of a long name, for example)");
    }
  }

  private static byte[] nsBytes(Namespace n) {
    return n.name().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] phys(byte[] ns, byte[] key) {
    byte[] out = new byte[1 + ns.length + key.length];
    out[0] = (byte) ns.length;
    System.arraycopy(ns, 0, out, 1, ns.length);
    System.arraycopy(key, 0, out, 1 + ns.length, key.length);
    return out;
  }

  private static byte[] chunkKey(byte[] ns, byte[] key, byte[] streamId, int index) {
    byte[] inner =
        ByteBuffer.allocate(1 + ns.length + 4 + key.length + streamId.length + 4)
            .put((byte) ns.length)
            .put(ns)
            .putInt(key.length)
            .put(key)
            .put(streamId)
            .putInt(index)
            .array();
    return phys(CHUNK, inner);
  }

  private static byte[] usageKey(Namespace n) {
    return ascii("usage:" + n.name());
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** A key's location for messages, rendered only when a message is built. */
  private static Object at(Namespace n, byte[] key) {
    return new Object() {
      @Override
      public String toString() {
        return describe(n, key);
      }
    };
  }

  /** Names a key in messages: printable ASCII as is, anything else as hex; never the value. */
  static String describe(Namespace n, byte[] key) {
    boolean printable = true;
    for (byte b : key) {
      if (b < 0x20 || b > 0x7e) {
        printable = false;
        break;
      }
    }
    String k;
    if (printable) {
      k = new String(key, StandardCharsets.US_ASCII);
    } else {
      k = "0x" + java.util.HexFormat.of().formatHex(key);
    }
    if (k.length() > 80) {
      k = k.substring(0, 77) + "...";
    }
    return n.name() + "/" + k;
  }
}
