package io.nsl.storage.internal;

import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * Reads a streamed value chunk by chunk from a RocksDB snapshot, so a writer replacing the value
 * meanwhile does not change what this reader sees. Checks every chunk against the manifest: a
 * missing, reordered, foreign or truncated chunk is {@code STORAGE_TAMPERED} ({@link
 * SealedReadStream}). Holds native resources until {@link #close()} (or until the store closes).
 * Not thread-safe.
 */
final class ChunkReadStream extends SealedReadStream {
  private final RocksEngine engine;
  private final Snapshot snapshot;
  private final ReadOptions ro;

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
    super(sealer, ns, key, where, manifest, single, total, version);
    this.engine = engine;
    this.snapshot = snapshot;
    this.ro = ro;
    engine.track(this);
  }

  @Override
  byte[] fetchChunk(int index) {
    return engine.guarded(
        () -> {
          synchronized (this) {
            ensureOpen();
            return engine.get(
                ro, new StoreSchema.ChunkKey(ns, key, manifest.streamId(), index).encode());
          }
        });
  }

  @Override
  public void close() {
    engine.unlessClosed(this::release);
  }

  /** Frees the snapshot; called by {@link #close()} or by the engine when the store closes. */
  synchronized void release() {
    if (!markReleased()) {
      return;
    }
    engine.untrack(this);
    engine.release(snapshot, ro);
  }
}
