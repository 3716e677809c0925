package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.StorageWriteStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * What both engines' chunked write streams share: the size and quota checks, the buffering into
 * chunks of {@code streamChunkBytes}, sealing each chunk under a fresh random stream id, and the
 * close/abort protocol (a failed write or close aborts). An engine says only where a sealed chunk
 * goes ({@link #storeChunk}), how the manifest is committed ({@link #commit}), what to drop on
 * abort ({@link #discard}) and what to let go of once committed ({@link #committed}). Not
 * thread-safe, like any {@code OutputStream}.
 */
abstract class SealedWriteStream extends StorageWriteStream {
  final Namespace namespace;
  final byte[] ns;
  final byte[] key;
  final byte[] streamId = new byte[Sealer.STREAM_ID];
  private final Sealer sealer;
  private final StorageOptions options;
  private final byte[] buf;
  private int bufLen;
  private int chunks;
  private long total;
  private boolean done;
  private long version;

  SealedWriteStream(
      Sealer sealer, StorageOptions options, SecureRandom random, Namespace namespace, byte[] key) {
    this.sealer = sealer;
    this.options = options;
    this.namespace = namespace;
    this.ns = StoreSchema.namespaceBytes(namespace);
    this.key = key.clone();
    random.nextBytes(streamId);
    this.buf = new byte[options.limits().streamChunkBytes()];
  }

  /** Stores chunk {@code index}, already sealed. */
  abstract void storeChunk(int index, byte[] sealed);

  /** Commits the manifest durably and returns the value's new version. */
  abstract long commit(Sealer.Manifest manifest, long total);

  /** Called once after a successful {@link #commit}. */
  abstract void committed();

  /** Called once on abort, with how many chunks were stored; must not throw. */
  abstract void discard(int storedChunks);

  Namespace namespace() {
    return namespace;
  }

  /** Marks the stream finished so later writes fail and close/abort do nothing. */
  final void markDone() {
    done = true;
  }

  @Override
  public final void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public final void write(byte[] b, int off, int len) {
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

  private void emit(boolean last) {
    byte[] sealed = sealer.sealChunk(ns, key, streamId, chunks, last, Arrays.copyOf(buf, bufLen));
    storeChunk(chunks, sealed);
    chunks++;
    bufLen = 0;
  }

  @Override
  public final void close() {
    if (done) {
      return;
    }
    try {
      emit(true);
      version = commit(new Sealer.Manifest(streamId, chunks), total);
      done = true;
      committed();
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  @Override
  public final void abort() {
    if (done) {
      return;
    }
    done = true;
    discard(chunks);
  }

  @Override
  public final long version() {
    if (!done || version == 0) {
      throw new IllegalStateException("the stream has not been committed");
    }
    return version;
  }
}
