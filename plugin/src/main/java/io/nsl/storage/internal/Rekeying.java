package io.nsl.storage.internal;

import io.nsl.storage.RekeyProgress;
import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageTamperedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Moves a store to its key provider's current epoch, a step at a time (decision 0502). Each step
 * runs under the write lock and writes its re-sealed records together with the advanced {@link
 * StoreSchema#REKEY_CURSOR} in one synced batch. Re-sealing is idempotent (a record already under
 * the target epoch is left alone), so a step repeated after a kill, or a cursor rolled back to an
 * earlier position, only repeats work. A move is done after a whole pass that found nothing to
 * re-seal; a pass that re-sealed anything is followed by another.
 */
final class Rekeying {
  /** A step looks at no more than this many records per record it may re-seal. */
  private static final int SCAN_FACTOR = 16;

  private final RocksEngine engine;
  private final Sealer sealer;
  private final Mutations mutations;
  private final byte[] cursorKey = StoreSchema.REKEY_CURSOR.physicalKey();
  private final byte[] formatKey = StoreSchema.FORMAT.physicalKey();

  Rekeying(RocksEngine engine, Sealer sealer, Mutations mutations) {
    this.engine = engine;
    this.sealer = sealer;
    this.mutations = mutations;
  }

  RekeyProgress step(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
    }
    return mutations.locked(() -> stepLocked(maxRecords));
  }

  Optional<RekeyProgress> cursor() {
    return engine.guarded(
        () -> {
          try {
            StoreSchema.RekeyCursor c = engine.readMeta(StoreSchema.REKEY_CURSOR, sealer);
            return Optional.ofNullable(c).map(x -> progress(x, 0, Optional.empty()));
          } catch (StorageTamperedException | StorageKeyMismatchException e) {
            return Optional.empty();
          }
        });
  }

  void restart() {
    mutations.locked(
        () -> {
          try (WriteBatch wb = new WriteBatch()) {
            wb.delete(cursorKey);
            engine.writeSynced(wb, "restarting the rekey cursor");
          } catch (RocksDBException e) {
            throw RocksErrors.map(e, "restarting the rekey cursor", engine.path());
          }
          return null;
        });
  }

  SortedMap<Integer, Long> countByEpoch() {
    return engine.guarded(
        () -> {
          SortedMap<Integer, Long> out = new TreeMap<>();
          try (RocksIterator it = engine.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              int e = Sealer.epochOf(it.value());
              if (e >= 0) {
                out.merge(e, 1L, Long::sum);
              }
            }
            engine.checkIterator(it, "counting records by epoch");
          }
          return out;
        });
  }

  private RekeyProgress stepLocked(int maxRecords) {
    int target = sealer.currentEpoch();
    Optional<String> rejected = Optional.empty();
    StoreSchema.RekeyCursor c = null;
    if (sealer.encrypted()) {
      try {
        c = engine.readMeta(StoreSchema.REKEY_CURSOR, sealer);
      } catch (StorageTamperedException | StorageKeyMismatchException e) {
        rejected =
            Optional.of(
                "the rekey cursor "
                    + StoreSchema.REKEY_CURSOR.where()
                    + " did not authenticate ("
                    + e.getMessage()
                    + "); the move started again from the first record");
      }
    }
    if (c != null && c.target() > target) {
      rejected =
          Optional.of(
              "the rekey cursor names epoch "
                  + c.target()
                  + ", newer than the current epoch "
                  + target
                  + ": the cluster keys were rolled back; the move started again");
      c = null;
    }
    if (c == null || c.target() < target) {
      // No move yet, or the cursor of an earlier rotation: this rotation's first pass.
      c = new StoreSchema.RekeyCursor(target, 0, 0, 0, false, new byte[0]);
    }
    if (!sealer.encrypted()) {
      return new RekeyProgress(target, 0, 0, 0, true, rejected);
    }
    if (c.done()) {
      return progress(c, 0, rejected);
    }
    long resealed = 0;
    long scanned = 0;
    long scanLimit = (long) maxRecords * SCAN_FACTOR;
    byte[] next;
    try (RocksIterator it = engine.newIterator();
        WriteBatch wb = new WriteBatch()) {
      if (c.next().length == 0) {
        it.seekToFirst();
      } else {
        it.seek(c.next());
      }
      for (; it.isValid() && resealed < maxRecords && scanned < scanLimit; it.next()) {
        scanned++;
        byte[] k = it.key();
        if (Arrays.equals(k, cursorKey) || Arrays.equals(k, formatKey)) {
          continue;
        }
        byte[] v = it.value();
        int e = Sealer.epochOf(v);
        if (e < 0 || e == target) {
          continue;
        }
        byte[] moved = reseal(k, v);
        if (moved != null) {
          wb.put(k, moved);
          resealed++;
        }
      }
      engine.checkIterator(it, "re-sealing records under epoch " + target);
      next = it.isValid() ? it.key() : null;
      StoreSchema.RekeyCursor n;
      long inPass = c.movedInPass() + resealed;
      long total = c.movedTotal() + resealed;
      if (next != null) {
        n = new StoreSchema.RekeyCursor(target, c.pass(), inPass, total, false, next);
      } else if (inPass == 0) {
        n = new StoreSchema.RekeyCursor(target, c.pass(), 0, total, true, new byte[0]);
      } else {
        n = new StoreSchema.RekeyCursor(target, c.pass() + 1, 0, total, false, new byte[0]);
      }
      engine.putMeta(wb, StoreSchema.REKEY_CURSOR, n, sealer);
      engine.writeSynced(wb, "re-sealing records under epoch " + target);
      return progress(n, resealed, rejected);
    } catch (RocksDBException e) {
      throw RocksErrors.map(e, "re-sealing records under epoch " + target, engine.path());
    }
  }

  /** The record re-sealed under the current epoch, or null when it is not one to move. */
  private byte[] reseal(byte[] k, byte[] v) {
    int nsLen = k[0] & 0xff;
    if (k.length < 1 + nsLen) {
      throw Sealer.tampered(describe(k), "physical key shorter than its namespace");
    }
    byte[] ns = Arrays.copyOfRange(k, 1, 1 + nsLen);
    byte[] key = Arrays.copyOfRange(k, 1 + nsLen, k.length);
    if (Arrays.equals(ns, StoreSchema.CHUNK_NS)) {
      StoreSchema.ChunkKey chunk =
          StoreSchema.ChunkKey.decode(k)
              .orElseThrow(() -> Sealer.tampered(describe(k), "a chunk key that does not parse"));
      return sealer.resealToCurrent(
          chunk.ns(), chunk.key(), chunk.streamId(), v, describe(k) + " chunk " + chunk.index());
    }
    return sealer.resealToCurrent(ns, key, null, v, describe(k));
  }

  private static String describe(byte[] k) {
    int nsLen = k[0] & 0xff;
    String ns = new String(k, 1, Math.min(nsLen, k.length - 1), StandardCharsets.US_ASCII);
    return ns + "/<" + Math.max(0, k.length - 1 - nsLen) + "-byte key>";
  }

  private static RekeyProgress progress(
      StoreSchema.RekeyCursor c, long now, Optional<String> rejected) {
    return new RekeyProgress(c.target(), now, c.movedTotal(), c.pass(), c.done(), rejected);
  }
}
