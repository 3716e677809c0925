package io.nsl.storage.internal;

import io.nsl.storage.StorageClosedException;
import io.nsl.storage.StorageDiskFullException;
import io.nsl.storage.StorageIoException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageReadOnlyException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * The RocksDB handle and its lifecycle: every native call goes through here, under the lifecycle
 * lock, so none reaches a closed database; RocksDB errors become storage exceptions ({@link
 * RocksErrors}). Knows nothing of sealing or key layout except how to read and write a {@link
 * StoreSchema.MetaRecord}.
 *
 * <p>Threading: {@link #guarded} may run concurrently; {@link #close} waits for them.
 */
final class RocksEngine {
  private final StorageOptions options;
  private final Path path;
  private final Options rocksOptions;
  private final RocksDB db;
  private final WriteOptions syncWrite;
  private final WriteOptions chunkWrite;

  /**
   * The free space a write leaves untouched: at most 64 MiB (room for a memtable flush), at most a
   * twentieth of the file system. Once RocksDB itself meets a full disk it refuses every later
   * write until the store is reopened, even after space is freed; refusing before that keeps the
   * store writable again as soon as space is freed, with no restart.
   */
  static long freeSpaceFloor(long totalBytes) {
    return Math.min(64L << 20, totalBytes / 20);
  }

  private final FileStore fileStore; // null when the JDK cannot tell (then no floor)

  private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private final Set<ChunkReadStream> openReadStreams = ConcurrentHashMap.newKeySet();

  private RocksEngine(StorageOptions options, Options rocksOptions, RocksDB db) {
    this.options = options;
    this.path = options.path();
    this.rocksOptions = rocksOptions;
    this.db = db;
    this.syncWrite = new WriteOptions().setSync(options.syncWrites());
    // Chunks become durable with the synced manifest write that follows them in the same WAL.
    this.chunkWrite = new WriteOptions().setSync(false);
    FileStore fs;
    try {
      fs = Files.getFileStore(path);
    } catch (IOException e) {
      fs = null;
    }
    this.fileStore = fs;
  }

  /** Refuses a write that would leave less than {@link #freeSpaceFloor} free. */
  private void checkFreeSpace(String action) {
    if (fileStore == null) {
      return;
    }
    long usable;
    long total;
    try {
      usable = fileStore.getUsableSpace();
      total = fileStore.getTotalSpace();
    } catch (IOException e) {
      return; // the write itself will say what is wrong
    }
    long floor = freeSpaceFloor(total);
    if (usable < floor) {
      throw new StorageDiskFullException(
          action
              + " refused: the disk under "
              + path
              + " is full ("
              + usable
              + " bytes free; the store keeps "
              + floor
              + " free so that it never runs out mid-write). The write was not acknowledged;"
              + " free space and writes go on by themselves");
    }
  }

  /**
   * Loads the native library and checks the folder, creating it when the options allow; runs before
   * the storage key is asked for, so a wrong path fails without touching the key.
   */
  static void prepareFolder(StorageOptions o) {
    RocksDB.loadLibrary();
    Path path = o.path();
    if (!Files.isDirectory(path) || !Files.exists(path.resolve("CURRENT"))) {
      if (!o.createIfMissing() || o.readOnly()) {
        throw new StorageOpenException(
            "no store at "
                + path
                + "; check the path, or open with createIfMissing to create an empty store");
      }
      createFolder(path);
    }
  }

  /** Opens the database in a folder {@link #prepareFolder} accepted. */
  static RocksEngine open(StorageOptions o) {
    Path path = o.path();
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
    return new RocksEngine(o, ro, db);
  }

  private static void createFolder(Path path) {
    try {
      Files.createDirectories(path);
    } catch (AccessDeniedException e) {
      throw new StorageReadOnlyException(
          "cannot create the store folder " + path + ": permission denied; fix its permissions", e);
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

  Path path() {
    return path;
  }

  StorageOptions options() {
    return options;
  }

  boolean closed() {
    return closed;
  }

  /** Runs {@code action} with the database open; throws {@link StorageClosedException} if not. */
  <T> T guarded(Supplier<T> action) {
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

  /** Runs {@code action} unless the database is closed (it then has nothing left to do). */
  void unlessClosed(Runnable action) {
    life.readLock().lock();
    try {
      if (!closed) {
        action.run();
      }
    } finally {
      life.readLock().unlock();
    }
  }

  void checkWritable() {
    if (options.readOnly()) {
      throw new StorageReadOnlyException(
          "the store at " + path + " was opened read-only; reopen it without readOnly to write");
    }
  }

  // ------------------------------------------------------------------ raw access

  byte[] get(byte[] physicalKey) {
    try {
      return db.get(physicalKey);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "reading", path);
    }
  }

  byte[] get(ReadOptions ro, byte[] physicalKey) {
    try {
      return db.get(ro, physicalKey);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "reading", path);
    }
  }

  /** Writes {@code wb} with the store's sync setting (synced by default). */
  void writeSynced(WriteBatch wb, String action) {
    checkFreeSpace(action);
    try {
      db.write(syncWrite, wb);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, action, path);
    }
  }

  /** Writes without sync: for stream chunks, made durable by the synced manifest after them. */
  void putUnsynced(byte[] physicalKey, byte[] value, String action) {
    checkFreeSpace(action);
    try {
      db.put(chunkWrite, physicalKey, value);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, action, path);
    }
  }

  void writeUnsynced(WriteBatch wb, String action) {
    checkFreeSpace(action);
    try {
      db.write(chunkWrite, wb);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, action, path);
    }
  }

  RocksIterator newIterator() {
    return db.newIterator();
  }

  void checkIterator(RocksIterator it, String action) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, action, path);
    }
  }

  Snapshot snapshot() {
    return db.getSnapshot();
  }

  void release(Snapshot snapshot, ReadOptions ro) {
    ro.close();
    db.releaseSnapshot(snapshot);
  }

  void track(ChunkReadStream in) {
    openReadStreams.add(in);
  }

  void untrack(ChunkReadStream in) {
    openReadStreams.remove(in);
  }

  // ------------------------------------------------------------------ metadata records

  /** The record's value, or {@code null} when absent; sealed records are authenticated. */
  <V> V readMeta(StoreSchema.MetaRecord<V> r, Sealer sealer) {
    byte[] raw = get(r.physicalKey());
    if (raw == null) {
      return null;
    }
    byte[] plain =
        r.sealed() ? sealer.openValue(StoreSchema.META_NS, r.key(), raw, r.where()).body() : raw;
    return r.codec().decode(plain, r.sealed() ? r.where() : path);
  }

  /** Adds the record to {@code wb}: sealed records at version 1, as they always were. */
  <V> void putMeta(WriteBatch wb, StoreSchema.MetaRecord<V> r, V value, Sealer sealer)
      throws RocksDBException {
    byte[] plain = r.codec().encode(value);
    wb.put(
        r.physicalKey(),
        r.sealed() ? sealer.sealValue(StoreSchema.META_NS, r.key(), 1, plain) : plain);
  }

  // ------------------------------------------------------------------ lifecycle

  void flush() {
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

  /** Releases open read streams and the database; later calls are refused by {@link #guarded}. */
  void close() {
    life.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ChunkReadStream in : openReadStreams) {
        in.release();
      }
      openReadStreams.clear();
      syncWrite.close();
      chunkWrite.close();
      db.close();
      rocksOptions.close();
    } finally {
      life.writeLock().unlock();
    }
  }
}
