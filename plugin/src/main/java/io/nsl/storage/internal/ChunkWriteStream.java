package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.StorageWriteStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a large value as sealed chunks under a fresh random stream id; {@link #close()} commits
 * the manifest that points at them in one synced mutation, {@link #abort()} deletes them. Chunks a
 * writer leaves behind (it crashed before close) are collected at the next open ({@link
 * StoreOpening#collectOrphanedChunks}). Not thread-safe, like any {@code OutputStream}.
 */
final class ChunkWriteStream extends StorageWriteStream {
  // The name operators know from before the split.
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);

  private final RocksEngine engine;
  private final Sealer sealer;
  private final Mutations mutations;
  private final StorageOptions options;
  private final Namespace namespace;
  private final byte[] ns;
  private final byte[] key;
  private final byte[] streamId = new byte[Sealer.STREAM_ID];
  private final byte[] buf;
  private int bufLen;
  private int chunks;
  private long total;
  private boolean done;
  private long version;

  ChunkWriteStream(
      RocksEngine engine,
      Sealer sealer,
      Mutations mutations,
      SecureRandom random,
      Namespace namespace,
      byte[] key) {
    this.engine = engine;
    this.sealer = sealer;
    this.mutations = mutations;
    this.options = engine.options();
    this.namespace = namespace;
    this.ns = StoreSchema.namespaceBytes(namespace);
    this.key = key.clone();
    random.nextBytes(streamId);
    this.buf = new byte[options.limits().streamChunkBytes()];
    mutations.register(this);
  }

  Namespace namespace() {
    return namespace;
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

  private byte[] chunkKey(int index) {
    return new StoreSchema.ChunkKey(ns, key, streamId, index).encode();
  }

  private void emit(boolean last) {
    byte[] sealed = sealer.sealChunk(ns, key, streamId, chunks, last, Arrays.copyOf(buf, bufLen));
    byte[] at = chunkKey(chunks);
    engine.guarded(
        () -> {
          engine.putUnsynced(at, sealed, "writing a stream chunk");
          return null;
        });
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
          mutations
              .apply(
                  List.of(
                      new Mutations.PutManifestOp(
                          namespace, key, new Sealer.Manifest(streamId, chunks), total, this)))
              .version();
      done = true;
      mutations.forget(this);
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

  @Override
  public long version() {
    if (!done || version == 0) {
      throw new IllegalStateException("the stream has not been committed");
    }
    return version;
  }
}
