package io.nsl.storage.internal;

import io.nsl.storage.StorageClosedException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Reads a streamed value chunk by chunk in one repeatable-read, read-only transaction on its own
 * connection: its snapshot, so a writer replacing or deleting the value meanwhile does not change
 * what this reader sees. Checks every chunk against the manifest as {@link ChunkReadStream} does.
 * Holds the connection until {@link #close()} (or until the store closes). Not thread-safe.
 */
final class PgReadStream extends InputStream implements AutoCloseable {
  private final PgStorage store;
  private final Connection connection;
  private final byte[] ns;
  private final byte[] key;
  private final byte[] nsId;
  private final byte[] keyId;
  private final Object where;
  private final Sealer.Manifest manifest;
  private final long total;
  private final long version;
  private byte[] current;
  private int pos;
  private int next;
  private long delivered;
  private boolean released;

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
    this.store = store;
    this.connection = connection;
    this.ns = ns;
    this.key = key.clone();
    this.nsId = nsId;
    this.keyId = keyId;
    this.where = where;
    this.manifest = manifest;
    this.current = single;
    this.total = total;
    this.version = version;
  }

  long version() {
    return version;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
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

  private synchronized void loadChunk() {
    if (released) {
      throw new StorageClosedException("the read stream for " + where + " is closed");
    }
    byte[] raw;
    try (PreparedStatement p =
        connection.prepareStatement(
            "select record from nsl_chunks where ns = ? and k = ? and stream_id = ? and idx = ?")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      p.setBytes(3, manifest.streamId());
      p.setInt(4, next);
      try (ResultSet r = p.executeQuery()) {
        raw = r.next() ? r.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, "reading a stream chunk of " + where, store.location());
    }
    if (raw == null) {
      throw Sealer.tampered(
          where, "chunk " + next + " of " + manifest.chunkCount() + " is missing (truncated)");
    }
    current =
        store
            .sealer()
            .openChunk(ns, key, manifest.streamId(), next, manifest.chunkCount(), raw, where);
    pos = 0;
    next++;
    delivered += current.length;
    if (delivered > total) {
      throw Sealer.tampered(where, "stream is longer than its manifest says");
    }
  }

  @Override
  public void close() {
    release();
  }

  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    store.forgetStream(this);
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // closing drops the snapshot anyway
    }
    PgStorage.closeQuietly(connection);
  }
}
