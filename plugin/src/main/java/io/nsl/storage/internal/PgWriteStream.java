package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.StorageWriteStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a large value as sealed chunks into {@code nsl_chunks} over its own connection, which
 * holds the stream's session advisory lock until the stream ends (so no chunk collector deletes a
 * live writer's chunks) and inserts chunks with {@code synchronous_commit = off}: the synchronous
 * commit of the manifest that {@link #close()} makes flushes the write-ahead log past them. {@link
 * #abort()} deletes the chunks. Not thread-safe, like any {@code OutputStream}.
 */
final class PgWriteStream extends StorageWriteStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  private final PgStorage store;
  private final StorageOptions options;
  private final Namespace namespace;
  private final byte[] ns;
  private final byte[] key;
  private final byte[] nsId;
  private final byte[] keyId;
  private final long generation;
  private final byte[] streamId = new byte[Sealer.STREAM_ID];
  private final byte[] buf;
  private Connection connection;
  private int bufLen;
  private int chunks;
  private long total;
  private boolean done;
  private long version;

  PgWriteStream(PgStorage store, Namespace namespace, byte[] key, long generation) {
    this.store = store;
    this.options = store.options();
    this.namespace = namespace;
    this.ns = StoreSchema.namespaceBytes(namespace);
    this.key = key.clone();
    this.nsId = store.nsId(ns);
    this.keyId = store.keyId(ns, this.key);
    this.generation = generation;
    store.random().nextBytes(streamId);
    this.buf = new byte[options.limits().streamChunkBytes()];
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
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
      if (namespace.isFunctionState() && after + key.length > options.functionQuota().maxBytes()) {
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

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = store.directConnection();
      try (Statement s = c.createStatement()) {
        s.execute("set synchronous_commit = off");
      }
      if (!PgStorage.tryLockStream(c, streamId)) {
        PgStorage.closeQuietly(c);
        throw new SQLException("stream id lock taken", "55P03");
      }
      connection = c;
    }
    return connection;
  }

  private void emit(boolean last) {
    byte[] sealed =
        store.sealer().sealChunk(ns, key, streamId, chunks, last, Arrays.copyOf(buf, bufLen));
    if (store.isClosed()) {
      throw new io.nsl.storage.StorageClosedException(
          "the store " + store.location() + " is closed");
    }
    try {
      store.insertChunk(connection(), nsId, keyId, streamId, chunks, sealed);
    } catch (SQLException e) {
      throw PgErrors.map(e, "writing a stream chunk", store.location());
    }
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
          store
              .apply(
                  List.of(
                      new PgStorage.PutManifestOp(
                          namespace,
                          key,
                          new Sealer.Manifest(streamId, chunks),
                          total,
                          generation)))
              .version();
      done = true;
      release();
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
    if (connection != null && chunks > 0) {
      try {
        PgStorage.deleteStream(connection, nsId, keyId, streamId);
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
    done = true;
    store.forgetStream(this);
    PgStorage.closeQuietly(connection);
    connection = null;
  }

  @Override
  public long version() {
    if (!done || version == 0) {
      throw new IllegalStateException("the stream has not been committed");
    }
    return version;
  }
}
