package io.nsl.storage.internal;

import io.nsl.storage.StorageClosedException;
import io.nsl.storage.StorageIoException;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.VersionedValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What both engines' chunked read streams share: handing out the chunks in order, opening each
 * against the manifest, and the checks that make a missing, reordered, foreign or truncated chunk
 * {@code STORAGE_TAMPERED}. An engine says only how to fetch chunk {@code i} from its snapshot
 * ({@link #fetchChunk}), calling {@link #ensureOpen()} while it holds this stream's lock. Not
 * thread-safe.
 */
abstract class SealedReadStream extends InputStream {
  final byte[] ns;
  final byte[] key;
  final Object where;
  final Sealer.Manifest manifest;
  private final Sealer sealer;
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
  SealedReadStream(
      Sealer sealer,
      byte[] ns,
      byte[] key,
      Object where,
      Sealer.Manifest manifest,
      byte[] single,
      long total,
      long version) {
    this.sealer = sealer;
    this.ns = ns;
    this.key = key.clone();
    this.where = where;
    this.manifest = manifest;
    this.current = single;
    this.total = total;
    this.version = version;
  }

  /**
   * The whole value a stored record {@code raw} holds: opened in place if it is an ordinary value,
   * else read through the stream {@code openChunks} gives, if it is no larger than {@code
   * maxValueBytes} ({@link StorageValueTooLargeException} otherwise). Empty if {@code openChunks}
   * gives {@code null} (the value vanished).
   */
  static Optional<VersionedValue> readWhole(
      Sealer sealer,
      int maxValueBytes,
      byte[] ns,
      byte[] key,
      byte[] raw,
      Object where,
      Supplier<? extends SealedReadStream> openChunks) {
    Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
    if (!h.manifest()) {
      Sealer.Opened o = sealer.openValue(ns, key, raw, h, where);
      return Optional.of(new VersionedValue(o.body(), o.header().version()));
    }
    if (h.plainLength() > maxValueBytes) {
      throw new StorageValueTooLargeException(
          "value "
              + where
              + " has "
              + h.plainLength()
              + " bytes, more than read returns ("
              + maxValueBytes
              + "); read it with openReadStream");
    }
    try (SealedReadStream in = openChunks.get()) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] all = in.readAllBytes();
      return Optional.of(new VersionedValue(all, in.version()));
    } catch (IOException e) {
      throw new StorageIoException("reading " + where + " failed: " + e.getMessage(), e);
    }
  }

  /** The sealed chunk {@code index} of {@link #manifest}, or {@code null} if there is none. */
  abstract byte[] fetchChunk(int index);

  long version() {
    return version;
  }

  /** Throws if the stream was released; call while holding this stream's lock. */
  final void ensureOpen() {
    if (released) {
      throw new StorageClosedException("the read stream for " + where + " is closed");
    }
  }

  /** Marks the stream released; {@code false} if it already was. */
  final synchronized boolean markReleased() {
    if (released) {
      return false;
    }
    released = true;
    return true;
  }

  @Override
  public final int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) {
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
    byte[] raw = fetchChunk(next);
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
}
