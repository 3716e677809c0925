package io.nsl.storage.internal;

import io.nsl.storage.StorageTamperedException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed value's chunk run in the PostgreSQL store: the session advisory lock its writer holds
 * on the stream id, its deletion, and the collector of runs no writer holds and no manifest points
 * at (docs/storage.md, "PostgreSQL", streams). A live writer, in this process or another, holds its
 * stream's lock, so the collector of another process leaves its chunks alone.
 */
final class PgStreamChunks {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  /** Advisory lock class of stream writers ("NSLS"); namespaces use the one-bigint form. */
  private static final int STREAM_LOCK_CLASS = 0x4e534c53;

  private final PgStorage store;

  PgStreamChunks(PgStorage store) {
    this.store = store;
  }

  /**
   * Deletes the chunks of streams no writer holds any more (its session ended: the process died or
   * the store was closed under it) and no manifest points at. A run whose manifest does not
   * authenticate is left alone with a warning, as in RocksDB.
   */
  void collectOrphans() {
    long[] counts = new long[2];
    store.guardedCall(
        () -> {
          try (Connection c = store.directConnection()) {
            List<byte[][]> runs = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement("select distinct ns, k, stream_id from nsl_chunks");
                ResultSet r = p.executeQuery()) {
              while (r.next()) {
                runs.add(new byte[][] {r.getBytes(1), r.getBytes(2), r.getBytes(3)});
              }
            }
            for (byte[][] run : runs) {
              if (!tryLock(c, run[2])) {
                continue;
              }
              try {
                if (orphaned(c, run[0], run[1], run[2])) {
                  delete(c, run[0], run[1], run[2]);
                  counts[0]++;
                } else {
                  counts[1]++;
                }
              } finally {
                unlock(c, run[2]);
              }
            }
          } catch (SQLException e) {
            throw PgErrors.map(e, "collecting orphaned stream chunks", store.location());
          }
          return null;
        });
    if (counts[0] > 0) {
      LOG.info("deleted the chunks of {} unfinished streams", counts[0]);
    }
  }

  private boolean orphaned(Connection c, byte[] nsId, byte[] keyId, byte[] streamId)
      throws SQLException {
    byte[] name;
    byte[] record;
    try (PreparedStatement p =
        c.prepareStatement("select name, record from nsl_values where ns = ? and k = ?")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return true;
        }
        name = r.getBytes(1);
        record = r.getBytes(2);
      }
    }
    try {
      byte[][] loc = store.names().open(nsId, keyId, name);
      Object where = "stream of row " + HexFormat.of().formatHex(keyId, 0, 8);
      if (!Sealer.peekHeader(record, where).manifest()) {
        return true;
      }
      Sealer.Manifest m = store.sealer().openManifest(loc[0], loc[1], record, where);
      return !Arrays.equals(m.streamId(), streamId);
    } catch (StorageTamperedException e) {
      LOG.warn(
          "left stream chunks in place: their value does not authenticate ({})", e.getMessage());
      return false;
    }
  }

  /** Takes the writer's session lock on {@code streamId}; false if another session holds it. */
  static boolean tryLock(Connection c, byte[] streamId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
      p.setInt(1, STREAM_LOCK_CLASS);
      p.setInt(2, lockId(streamId));
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  static void unlock(Connection c, byte[] streamId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("select pg_advisory_unlock(?, ?)")) {
      p.setInt(1, STREAM_LOCK_CLASS);
      p.setInt(2, lockId(streamId));
      p.executeQuery().close();
    }
  }

  /** Deletes one chunk run. */
  static void delete(Connection c, byte[] nsId, byte[] keyId, byte[] streamId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("delete from nsl_chunks where ns = ? and k = ? and stream_id = ?")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      p.setBytes(3, streamId);
      p.executeUpdate();
    }
  }

  private static int lockId(byte[] streamId) {
    return ByteBuffer.wrap(streamId).getInt();
  }
}
