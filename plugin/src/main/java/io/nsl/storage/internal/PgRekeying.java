package io.nsl.storage.internal;

import io.nsl.storage.RekeyProgress;
import io.nsl.storage.StorageTamperedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Moves a PostgreSQL store to the key provider's current epoch (decision 0502): every row carries
 * the epoch that sealed it in an (unauthenticated) {@code epoch} column, so a step selects up to N
 * rows of another epoch, re-seals them ({@link Sealer#resealToCurrent}, the same bytes RocksDB
 * writes) and updates them with the cursor in one transaction. The move is done when no row of
 * another epoch is left; a row whose column lies about its epoch is found by {@link #countByEpoch},
 * which reads the records' own headers. Chunks of a stream whose value row is gone cannot be opened
 * (their location is sealed in the value's name) and are left to the orphan collector.
 */
final class PgRekeying {
  private final PgStorage store;
  private final Sealer sealer;

  PgRekeying(PgStorage store) {
    this.store = store;
    this.sealer = store.sealer();
  }

  RekeyProgress step(int maxRecords) {
    int target = sealer.currentEpoch();
    return store.inTransaction(
        "re-sealing records under epoch " + target,
        c -> {
          StoreSchema.RekeyCursor before = readCursor(c);
          long total = before != null && before.target() == target ? before.movedTotal() : 0;
          int budget = maxRecords;
          long moved = 0;
          moved += moveValues(c, target, budget);
          budget -= (int) moved;
          if (budget > 0) {
            long n = moveChunks(c, target, budget);
            moved += n;
            budget -= (int) n;
          }
          if (budget > 0) {
            long n = moveUsage(c, target, budget);
            moved += n;
            budget -= (int) n;
          }
          if (budget > 0) {
            moved += moveMeta(c, target, budget);
          }
          boolean done = moved == 0 || remaining(c, target) == 0;
          total += moved;
          StoreSchema.RekeyCursor cursor =
              new StoreSchema.RekeyCursor(target, 0, total, total, done, new byte[0]);
          PgSchema.writeMeta(
              c,
              StoreSchema.REKEY_CURSOR.name(),
              PgSchema.seal(StoreSchema.REKEY_CURSOR, cursor, sealer));
          return new RekeyProgress(target, moved, total, 0, done, Optional.empty());
        });
  }

  Optional<RekeyProgress> cursor() {
    return store.inQuery(
        "reading the rekey cursor",
        c -> {
          StoreSchema.RekeyCursor k = readCursor(c);
          return k == null
              ? Optional.empty()
              : Optional.of(
                  new RekeyProgress(
                      k.target(), 0, k.movedTotal(), k.pass(), k.done(), Optional.empty()));
        });
  }

  private StoreSchema.RekeyCursor readCursor(Connection c) throws SQLException {
    byte[] raw = PgSchema.readMeta(c, StoreSchema.REKEY_CURSOR.name());
    if (raw == null) {
      return null;
    }
    try {
      return PgSchema.open(StoreSchema.REKEY_CURSOR, raw, sealer);
    } catch (StorageTamperedException e) {
      return null;
    }
  }

  private long moveValues(Connection c, int target, int limit) throws SQLException {
    long moved = 0;
    try (PreparedStatement p =
            c.prepareStatement(
                "select ns, k, name, record from nsl_values where epoch <> ? limit ? for update");
        PreparedStatement u =
            c.prepareStatement(
                "update nsl_values set name = ?, record = ?, epoch = ? where ns = ? and k = ?")) {
      p.setInt(1, target);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          byte[] nsId = r.getBytes(1);
          byte[] keyId = r.getBytes(2);
          byte[] name = r.getBytes(3);
          byte[] record = r.getBytes(4);
          byte[][] loc = store.names().open(nsId, keyId, name);
          Object where = StorageKeys.describe(new io.nsl.storage.Namespace(ascii(loc[0])), loc[1]);
          byte[] newName = sealer.resealToCurrent(PgNames.namespace(), keyId, null, name, where);
          byte[] newRecord = sealer.resealToCurrent(loc[0], loc[1], null, record, where);
          u.setBytes(1, newName == null ? name : newName);
          u.setBytes(2, newRecord == null ? record : newRecord);
          u.setInt(3, target);
          u.setBytes(4, nsId);
          u.setBytes(5, keyId);
          u.executeUpdate();
          moved++;
        }
      }
    }
    return moved;
  }

  private long moveChunks(Connection c, int target, int limit) throws SQLException {
    long moved = 0;
    try (PreparedStatement p =
            c.prepareStatement(
                "select c.ns, c.k, c.stream_id, c.idx, c.record, v.name from nsl_chunks c join"
                    + " nsl_values v on v.ns = c.ns and v.k = c.k where c.epoch <> ? limit ? for"
                    + " update of c");
        PreparedStatement u =
            c.prepareStatement(
                "update nsl_chunks set record = ?, epoch = ? where ns = ? and k = ? and stream_id"
                    + " = ? and idx = ?")) {
      p.setInt(1, target);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          byte[] nsId = r.getBytes(1);
          byte[] keyId = r.getBytes(2);
          byte[] streamId = r.getBytes(3);
          byte[][] loc = store.names().open(nsId, keyId, r.getBytes(6));
          byte[] record = r.getBytes(5);
          byte[] sealed = sealer.resealToCurrent(loc[0], loc[1], streamId, record, "a chunk");
          u.setBytes(1, sealed == null ? record : sealed);
          u.setInt(2, target);
          u.setBytes(3, nsId);
          u.setBytes(4, keyId);
          u.setBytes(5, streamId);
          u.setInt(6, r.getInt(4));
          u.executeUpdate();
          moved++;
        }
      }
    }
    return moved;
  }

  private long moveUsage(Connection c, int target, int limit) throws SQLException {
    long moved = 0;
    try (PreparedStatement p =
            c.prepareStatement(
                "select ns, usage from nsl_namespaces where epoch <> ? limit ? for update");
        PreparedStatement u =
            c.prepareStatement("update nsl_namespaces set usage = ?, epoch = ? where ns = ?")) {
      p.setInt(1, target);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          byte[] nsId = r.getBytes(1);
          byte[] usage = r.getBytes(2);
          byte[] sealed = null;
          if (usage != null) {
            StoreSchema.MetaRecord<?> rec = store.usageRecordOf(nsId);
            sealed =
                sealer.resealToCurrent(StoreSchema.META_NS, rec.key(), null, usage, rec.where());
          }
          u.setBytes(1, sealed == null ? usage : sealed);
          u.setInt(2, target);
          u.setBytes(3, nsId);
          u.executeUpdate();
          moved++;
        }
      }
    }
    return moved;
  }

  private long moveMeta(Connection c, int target, int limit) throws SQLException {
    long moved = 0;
    for (StoreSchema.MetaRecord<?> rec :
        java.util.List.of(StoreSchema.KEY_CHECK, PgSchema.NAME_KEY)) {
      if (moved >= limit) {
        break;
      }
      byte[] raw = PgSchema.readMeta(c, rec.name());
      if (raw != null && Sealer.epochOf(raw) != target) {
        byte[] sealed =
            sealer.resealToCurrent(StoreSchema.META_NS, rec.key(), null, raw, rec.where());
        if (sealed != null) {
          PgSchema.writeMeta(c, rec.name(), sealed);
          moved++;
        }
      }
    }
    return moved;
  }

  private static long remaining(Connection c, int target) throws SQLException {
    long n = 0;
    for (String sql :
        java.util.List.of(
            "select count(*) from nsl_values where epoch <> ?",
            "select count(*) from nsl_chunks c join nsl_values v on v.ns = c.ns and v.k = c.k"
                + " where c.epoch <> ?",
            "select count(*) from nsl_namespaces where epoch <> ?")) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setInt(1, target);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          n += r.getLong(1);
        }
      }
    }
    for (StoreSchema.MetaRecord<?> rec :
        java.util.List.of(StoreSchema.KEY_CHECK, PgSchema.NAME_KEY)) {
      byte[] raw = PgSchema.readMeta(c, rec.name());
      if (raw != null && Sealer.epochOf(raw) != target) {
        n++;
      }
    }
    return n;
  }

  /** Sealed records per epoch, from the records' own headers (values count value and name). */
  SortedMap<Integer, Long> countByEpoch() {
    return store.inQuery(
        "counting sealed records",
        c -> {
          SortedMap<Integer, Long> out = new TreeMap<>();
          for (String sql :
              java.util.List.of(
                  "select record from nsl_values",
                  "select name from nsl_values",
                  "select record from nsl_chunks",
                  "select usage from nsl_namespaces where usage is not null",
                  "select record from nsl_meta where name <> 'format'")) {
            try (PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
              while (r.next()) {
                int e = Sealer.epochOf(r.getBytes(1));
                if (e >= 0) {
                  out.merge(e, 1L, Long::sum);
                }
              }
            }
          }
          return out;
        });
  }

  private static String ascii(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
