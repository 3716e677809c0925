package io.nsl.storage.internal;

import io.nsl.storage.StorageClosedException;
import java.io.InputStream;
import java.util.Objects;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * Reads a streamed value chunk by chunk from a RocksDB snapshot, so a writer replacing the value
 * meanwhile does not change what this reader sees. Checks every chunk against the manifest: a
 * missing, reordered, foreign or truncated chunk is {@code STORAGE_TAMPERED}. Holds native
 * resources until {@link #close()} (or until the store closes). Not thread-safe.
 */
final class ChunkReadStream extends InputStream {
  private final RocksEngine engine;
  private final Sealer sealer;
  private final byte[] ns;
  private final byte[] key;
  private final Object where;
  private final Snapshot snapshot;
  private final ReadOptions ro;
  private final Sealer.Manifest manifest;
  private final long total;
  private final long version;
  private byte[] current;
  private int pos;
  private int next;
  private long delivered;
  private boolean released;

  /**
   * @param manifest the chunks to read; {@code null} when {@code single} is the whole value (it was
   *     replaced by an ordinary value between the reader's two looks)
   */
  ChunkReadStream(
      RocksEngine engine,
      Sealer sealer,
      byte[] ns,
      byte[] key,
      Object where,
      Snapshot snapshot,
      ReadOptions ro,
      Sealer.Manifest manifest,
      byte[] single,
      long total,
      long version) {
    this.engine = engine;
    this.sealer = sealer;
    this.ns = ns;
    this.key = key.clone();
    this.where = where;
    this.snapshot = snapshot;
    this.ro = ro;
    this.manifest = manifest;
    this.current = single;
    this.total = total;
    this.version = version;
    engine.track(this);
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

  private void loadChunk() {
    byte[] raw =
        engine.guarded(
            () -> {
              synchronized (this) {
                if (released) {
                  throw new StorageClosedException("the read stream for " + where + " is closed");
                }
                return engine.get(
                    ro, new StoreSchema.ChunkKey(ns, key, manifest.streamId(), next).encode());
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
    engine.unlessClosed(this::release);
  }

  /** Frees the snapshot; called by {@link #close()} or by the engine when the store closes. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    engine.untrack(this);
    engine.release(snapshot, ro);
  }
}
