package io.nsl.storage;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Child process of {@link KillDuringWriteIT}: writes forever and prints {@code ACK n} after write
 * {@code n} returned. Each write is one batch (cursor compare-and-set, a value, and every seventh
 * time a streamed value), like the pipeline's cursor and queue updates.
 */
public final class DurabilityChild {
  static final Namespace DATA = Namespace.functionState("durability");
  static final Namespace SVC = Namespace.service();

  private DurabilityChild() {}

  /** A RocksDB folder or a PostgreSQL URL ({@link StorageOptions#forLocation}). */
  static StorageOptions options(String location) {
    return StorageOptions.forLocation(location)
        .withFunctionQuota(new StorageQuota(1L << 40, 1L << 40));
  }

  /** The value written for step {@code n}: 100 to 2,100 pseudo-random bytes, half compressible. */
  static byte[] valueFor(long n) {
    Random r = new Random(n);
    byte[] v = new byte[100 + r.nextInt(2000)];
    if (n % 2 == 0) {
      r.nextBytes(v);
    } else {
      java.util.Arrays.fill(v, (byte) n);
    }
    return v;
  }

  static byte[] streamFor(long n) {
    byte[] v = new byte[150_000];
    new Random(-n).nextBytes(v);
    return v;
  }

  /** The value of the stream {@code orphans} mode commits before it starts the endless ones. */
  static byte[] keptStream() {
    byte[] v = new byte[200_000];
    new Random(77).nextBytes(v);
    return v;
  }

  /**
   * Commits {@link #keptStream()} at {@code SVC/kept} (prints {@code COMMITTED}), then writes two
   * streams that never close — a fresh key and a replacement of {@code kept} — printing {@code
   * CHUNK n} after each chunk-sized write, until killed.
   */
  private static void streamWithoutEnd(String db, PrintStream out) {
    try (PersistentStorageService store =
        PersistentStorageService.initialise(options(db), TestStores.fixedKey(7))) {
      try (StorageWriteStream s = store.openWriteStream(SVC, key("kept", 0))) {
        s.write(keptStream());
      }
      out.println("COMMITTED");
      out.flush();
      StorageWriteStream fresh = store.openWriteStream(SVC, key("lost", 0));
      StorageWriteStream replacing = store.openWriteStream(SVC, key("kept", 0));
      byte[] chunk = new byte[StorageLimits.defaults().streamChunkBytes()];
      Random r = new Random(5);
      for (long n = 1; ; n++) {
        r.nextBytes(chunk);
        fresh.write(chunk);
        replacing.write(chunk);
        out.println("CHUNK " + n);
        out.flush();
      }
    }
  }

  static byte[] key(String prefix, long n) {
    return (prefix + n).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    if (args.length > 1 && args[1].equals("orphans")) {
      streamWithoutEnd(args[0], out);
      return;
    }
    try (PersistentStorageService store =
        PersistentStorageService.initialise(options(args[0]), TestStores.fixedKey(7))) {
      byte[] cursorKey = "cursor".getBytes(StandardCharsets.UTF_8);
      while (true) {
        var cur = store.readVersioned(SVC, cursorKey);
        long n =
            cur.map(v -> Long.parseLong(new String(v.value(), StandardCharsets.UTF_8))).orElse(0L)
                + 1;
        long expected = cur.map(VersionedValue::version).orElse(0L);
        if (n % 7 == 0) {
          try (StorageWriteStream s = store.openWriteStream(SVC, key("s", n))) {
            s.write(streamFor(n));
          }
        }
        store.commit(
            StorageBatch.builder()
                .expectVersion(SVC, cursorKey, expected)
                .put(DATA, key("k", n), valueFor(n))
                .put(SVC, cursorKey, Long.toString(n).getBytes(StandardCharsets.UTF_8))
                .build());
        out.println("ACK " + n);
        out.flush();
      }
    }
  }
}
