package io.nsl.storage;

/**
 * Size limits of one store.
 *
 * @param maxKeyBytes longest key accepted (bytes)
 * @param maxValueBytes largest value accepted by {@code write} and returned by {@code read}
 * @param maxStreamBytes largest value accepted through {@code openWriteStream}
 * @param streamChunkBytes size of one sealed chunk of a streamed value
 */
public record StorageLimits(
    int maxKeyBytes, int maxValueBytes, long maxStreamBytes, int streamChunkBytes) {
  public StorageLimits {
    if (maxKeyBytes < 1 || maxKeyBytes > 64 * 1024) {
      throw new IllegalArgumentException("maxKeyBytes must be 1..65536, got " + maxKeyBytes);
    }
    if (maxValueBytes < 1 || maxValueBytes > 64 << 20) {
      throw new IllegalArgumentException("maxValueBytes must be 1..64 MiB, got " + maxValueBytes);
    }
    if (streamChunkBytes < 16 || streamChunkBytes > 16 << 20) {
      throw new IllegalArgumentException(
          "streamChunkBytes must be 16..16 MiB, got " + streamChunkBytes);
    }
    if (maxStreamBytes < 1) {
      throw new IllegalArgumentException("maxStreamBytes must be positive, got " + maxStreamBytes);
    }
  }

  /** 1 KiB keys, 1 MiB values, 1 GiB streams in 64 KiB chunks. */
  public static StorageLimits defaults() {
    return new StorageLimits(1024, 1 << 20, 1L << 30, 64 * 1024);
  }
}
