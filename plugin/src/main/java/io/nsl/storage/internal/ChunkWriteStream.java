package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import java.security.SecureRandom;
import java.util.List;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a large value as sealed chunks under a fresh random stream id; {@link #close()} commits
 * the manifest that points at them in one synced mutation, {@link #abort()} deletes them. Chunks a
 * writer leaves behind (it crashed before close) are collected at the next open ({@link
 * StoreOpening#collectOrphanedChunks}). Buffering and limits are {@link SealedWriteStream}'s. Not
 * thread-safe, like any {@code OutputStream}.
 */
final class ChunkWriteStream extends SealedWriteStream {
  // The name operators know from before the split.
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);

  private final RocksEngine engine;
  private final Mutations mutations;

  ChunkWriteStream(
      RocksEngine engine,
      Sealer sealer,
      Mutations mutations,
      SecureRandom random,
      Namespace namespace,
      byte[] key) {
    super(sealer, engine.options(), random, namespace, key);
    this.engine = engine;
    this.mutations = mutations;
    mutations.register(this);
  }

  private byte[] chunkKey(int index) {
    return new StoreSchema.ChunkKey(ns, key, streamId, index).encode();
  }

  @Override
  void storeChunk(int index, byte[] sealed) {
    byte[] at = chunkKey(index);
    engine.guarded(
        () -> {
          engine.putUnsynced(at, sealed, "writing a stream chunk");
          return null;
        });
  }

  @Override
  long commit(Sealer.Manifest manifest, long total) {
    return mutations
        .apply(List.of(new Mutations.PutManifestOp(namespace, key, manifest, total, this)))
        .version();
  }

  @Override
  void committed() {
    mutations.forget(this);
  }

  @Override
  void discard(int chunks) {
    mutations.forget(this);
    if (chunks == 0 || engine.closed()) {
      return;
    }
    try (WriteBatch wb = new WriteBatch()) {
      for (int i = 0; i < chunks; i++) {
        wb.delete(chunkKey(i));
      }
      engine.guarded(
          () -> {
            engine.writeUnsynced(wb, "dropping an aborted stream");
            return null;
          });
    } catch (RuntimeException | org.rocksdb.RocksDBException e) {
      LOG.warn(
          "aborted stream for {} left {} chunks behind as garbage: {}",
          describe(namespace, key),
          chunks,
          e.getMessage());
    }
  }
}
