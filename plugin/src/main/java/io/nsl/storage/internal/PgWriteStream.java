package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a large value as sealed chunks into {@code nsl_chunks} over its own connection, which
 * holds the stream's session advisory lock until the stream ends (so no chunk collector deletes a
 * live writer's chunks) and inserts chunks with {@code synchronous_commit = off}: the synchronous
 * commit of the manifest that {@link #close()} makes flushes the write-ahead log past them. {@link
 * #abort()} deletes the chunks. Buffering and limits are {@link SealedWriteStream}'s. Not
 * thread-safe, like any {@code OutputStream}.
 */
final class PgWriteStream extends SealedWriteStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  private final PgStorage store;
  private final byte[] nsId;
  private final byte[] keyId;
  private final long generation;
  private Connection connection;

  PgWriteStream(PgStorage store, Namespace namespace, byte[] key, long generation) {
    super(store.sealer(), store.options(), store.random(), namespace, key);
    this.store = store;
    this.nsId = store.names().nsId(ns);
    this.keyId = store.names().keyId(ns, this.key);
    this.generation = generation;
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = store.directConnection();
      try (Statement s = c.createStatement()) {
        s.execute("set synchronous_commit = off");
      }
      if (!PgStreamChunks.tryLock(c, streamId)) {
        PgStorage.closeQuietly(c);
        throw new SQLException("stream id lock taken", "55P03");
      }
      connection = c;
    }
    return connection;
  }

  @Override
  void storeChunk(int index, byte[] sealed) {
    if (store.isClosed()) {
      throw new io.nsl.storage.StorageClosedException(
          "the store " + store.location() + " is closed");
    }
    try {
      store.insertChunk(connection(), nsId, keyId, streamId, index, sealed);
    } catch (SQLException e) {
      throw PgErrors.map(e, "writing a stream chunk", store.location());
    }
  }

  @Override
  long commit(Sealer.Manifest manifest, long total) {
    return store
        .apply(List.of(new PgStorage.PutManifestOp(namespace, key, manifest, total, generation)))
        .version();
  }

  @Override
  void committed() {
    release();
  }

  @Override
  void discard(int chunks) {
    if (connection != null && chunks > 0) {
      try {
        PgStreamChunks.delete(connection, nsId, keyId, streamId);
      } catch (SQLException e) {
        LOG.warn(
            "aborted stream for {} left {} chunks behind, collected at the next open: {}",
            describe(namespace, key),
            chunks,
            e.getMessage());
      }
    }
    release();
  }

  /** Ends the session (and its lock) without deleting anything: chunks stay for the collector. */
  void release() {
    markDone();
    store.forgetStream(this);
    PgStorage.closeQuietly(connection);
    connection = null;
  }
}
