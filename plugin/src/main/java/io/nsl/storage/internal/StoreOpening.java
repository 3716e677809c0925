package io.nsl.storage.internal;

import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageTamperedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once when a store opens, before it is handed out: the format and key check (or their
 * creation in an empty store), and the collection of orphaned stream chunks.
 */
final class StoreOpening {
  // The name operators know from before the split.
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);

  /** Versions are leased from disk this many at a time, so most writes add no extra record. */
  static final long VERSION_LEASE = 4096;

  private StoreOpening() {}

  /** The version counter as found on disk: the next version to hand out, and the leased ceiling. */
  record Versions(long next, long ceiling) {}

  /**
   * Checks the format record and the key check, or writes them (and the first version lease) into
   * an empty writable store.
   *
   * @throws StorageOpenException data without a format record, or an unknown format
   * @throws StorageKeyMismatchException other encryption setting, or another storage key
   */
  static Versions checkFormat(RocksEngine engine, Sealer sealer) {
    StoreSchema.Format format = engine.readMeta(StoreSchema.FORMAT, sealer);
    if (format == null) {
      try (RocksIterator it = engine.newIterator()) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new StorageOpenException(
              "the store at "
                  + engine.path()
                  + " holds data but no NSL format record; it was not created by NSL or its"
                  + " metadata was removed");
        }
      }
      if (engine.options().readOnly()) {
        return new Versions(0, 0);
      }
      try (WriteBatch wb = new WriteBatch()) {
        engine.putMeta(
            wb,
            StoreSchema.FORMAT,
            new StoreSchema.Format(StoreSchema.Format.CURRENT, sealer.encrypted()),
            sealer);
        engine.putMeta(wb, StoreSchema.KEY_CHECK, true, sealer);
        engine.putMeta(wb, StoreSchema.VERSION_CEILING, VERSION_LEASE, sealer);
        engine.writeSynced(wb, "creating the store");
      } catch (RocksDBException e) {
        throw RocksErrors.map(e, "creating the store", engine.path());
      }
      return new Versions(1, VERSION_LEASE);
    }
    format.requireEncryption(sealer.encrypted(), "the store at " + engine.path());
    try {
      Boolean keyCheck = engine.readMeta(StoreSchema.KEY_CHECK, sealer);
      if (keyCheck == null || !keyCheck) {
        throw new StorageKeyMismatchException(
            "the store at "
                + engine.path()
                + " has no valid key check record; it is corrupt or tampered");
      }
    } catch (StorageTamperedException e) {
      throw new StorageKeyMismatchException(
          "the store at "
              + engine.path()
              + " was sealed with a different storage key (another enclave, or a changed sealing"
              + " identity); open it from the enclave that created it",
          e);
    }
    Long ceiling = engine.readMeta(StoreSchema.VERSION_CEILING, sealer);
    long c = ceiling == null ? 0 : ceiling;
    return new Versions(c + 1, c);
  }

  /**
   * Deletes stream chunks no manifest points at: those of a writer that stopped (crash, kill, lost
   * store) between its first chunk and the manifest its close() commits, and those a damaged
   * manifest kept from being dropped on overwrite. Runs at open, before the store is handed out, so
   * no stream can be in flight. Chunks sort by (namespace, key, streamId), so one manifest lookup
   * decides a whole run. A chunk whose manifest cannot be authenticated, or whose key does not
   * parse, is left alone: deleting what we cannot read would turn tampering into silent loss.
   */
  static void collectOrphanedChunks(RocksEngine engine, Sealer sealer) {
    byte[] prefix = StoreSchema.allChunksPrefix();
    long orphans = 0;
    long streams = 0;
    long kept = 0;
    byte[] runPrefix = null;
    boolean runOrphaned = false;
    boolean runUnreadable = false;
    try (RocksIterator it = engine.newIterator();
        WriteBatch wb = new WriteBatch()) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, prefix)) {
          break;
        }
        Optional<StoreSchema.ChunkKey> parsed = StoreSchema.ChunkKey.decode(k);
        if (parsed.isEmpty()) {
          kept++;
          continue;
        }
        StoreSchema.ChunkKey chunk = parsed.get();
        int runLength = k.length - 4;
        if (runPrefix == null || !Arrays.equals(k, 0, runLength, runPrefix, 0, runPrefix.length)) {
          runPrefix = Arrays.copyOf(k, runLength);
          Boolean orphaned = orphaned(engine, sealer, chunk);
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
      engine.checkIterator(it, "collecting orphaned stream chunks");
      if (wb.count() > 0) {
        engine.writeSynced(wb, "collecting orphaned stream chunks");
      }
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "collecting orphaned stream chunks", engine.path());
    }
    if (orphans > 0) {
      LOG.info(
          "collected {} orphaned chunks of {} unfinished stream(s) in {} (a writer stopped before"
              + " close())",
          orphans,
          streams,
          engine.path());
    }
    if (kept > 0) {
      LOG.warn(
          "{} stream chunks in {} have an unreadable key or a manifest that does not authenticate;"
              + " left in place",
          kept,
          engine.path());
    }
  }

  /** Whether no manifest points at this chunk's stream; {@code null} when it is unreadable. */
  private static Boolean orphaned(RocksEngine engine, Sealer sealer, StoreSchema.ChunkKey chunk) {
    byte[] raw = engine.get(StoreSchema.physical(chunk.ns(), chunk.key()));
    if (raw == null) {
      return true;
    }
    String where =
        new String(chunk.ns(), StandardCharsets.US_ASCII)
            + "/<"
            + chunk.key().length
            + "-byte key>";
    try {
      if (!Sealer.peekHeader(raw, where).manifest()) {
        return true;
      }
      return !Arrays.equals(
          sealer.openManifest(chunk.ns(), chunk.key(), raw, where).streamId(), chunk.streamId());
    } catch (StorageTamperedException e) {
      return null;
    }
  }

  static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }
}
