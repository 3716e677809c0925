package io.nsl.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a streamed value chunk by chunk in one repeatable-read, read-only transaction on its own
 * connection: its snapshot, so a writer replacing or deleting the value meanwhile does not change
 * what this reader sees. Checks every chunk against the manifest ({@link SealedReadStream}). Holds
 * the connection until {@link #close()} (or until the store closes). Not thread-safe.
 */
final class PgReadStream extends SealedReadStream implements AutoCloseable {
  private final PgStorage store;
  private final Connection connection;
  private final byte[] nsId;
  private final byte[] keyId;

  PgReadStream(
      PgStorage store,
      Connection connection,
      byte[] ns,
      byte[] key,
      byte[] nsId,
      byte[] keyId,
      Object where,
      Sealer.Manifest manifest,
      byte[] single,
      long total,
      long version) {
    super(store.sealer(), ns, key, where, manifest, single, total, version);
    this.store = store;
    this.connection = connection;
    this.nsId = nsId;
    this.keyId = keyId;
  }

  @Override
  synchronized byte[] fetchChunk(int index) {
    ensureOpen();
    try (PreparedStatement p =
        connection.prepareStatement(
            "select record from nsl_chunks where ns = ? and k = ? and stream_id = ? and idx = ?")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      p.setBytes(3, manifest.streamId());
      p.setInt(4, index);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, "reading a stream chunk of " + where, store.location());
    }
  }

  @Override
  public void close() {
    release();
  }

  synchronized void release() {
    if (!markReleased()) {
      return;
    }
    store.forgetStream(this);
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // closing drops the snapshot anyway
    }
    PgStorage.closeQuietly(connection);
  }
}
