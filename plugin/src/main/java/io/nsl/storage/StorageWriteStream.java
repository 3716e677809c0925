package io.nsl.storage;

import java.io.OutputStream;

/**
 * Writes one large value in sealed chunks. Nothing is visible to readers until {@link #close()}
 * returns: close seals the last chunk and atomically replaces the key's previous value (synced like
 * any write). {@link #abort()} discards what was written. Not thread-safe: one writer per stream.
 *
 * <p>Failures: the {@code write} and {@code close} methods throw the storage exceptions ({@link
 * StorageValueTooLargeException}, {@link StorageQuotaExceededException}, {@link StorageIoException}
 * ...) unchecked; after a failure the stream is aborted.
 */
public abstract class StorageWriteStream extends OutputStream {
  /** Writes all of {@code b}; throws no checked exception. */
  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public abstract void write(byte[] b, int off, int len);

  @Override
  public abstract void write(int b);

  /** Discards everything written; the key keeps its previous value. Idempotent. */
  public abstract void abort();

  /** Commits the value; returns normally only once it is durable. */
  @Override
  public abstract void close();

  /** The version the value got; valid after {@link #close()}. */
  public abstract long version();
}
