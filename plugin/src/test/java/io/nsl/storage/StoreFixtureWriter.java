package io.nsl.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the store fixtures {@link StoreWrittenBeforeSplitIT} opens, through the public API only,
 * so the same source runs against any NSL version: {@code java -cp <that version's jar and libs>
 * StoreFixtureWriter <folder>}. The fixtures in the test resources were written by the jar of main
 * at 29e0716 (the single-file RocksStorage, before issue 15 split it). Writes {@code encrypted/}
 * and {@code plain/} stores and, beside each, {@code expected.txt}: every key's version and the
 * usage of the function namespace, as that version reported them.
 */
public final class StoreFixtureWriter {
  static final Namespace SERVICE = Namespace.service();
  static final Namespace FN = Namespace.functionState("demo");
  static final Namespace SECRETS = Namespace.secrets();
  static final int STREAM_BYTES = 200_000;

  private StoreFixtureWriter() {}

  /** The same key as {@code TestStores.fixedKey(7)}, repeated here so this file stands alone. */
  static StorageKeyProvider key() {
    return purpose -> {
      byte[] k = new byte[32];
      Arrays.fill(k, (byte) 7);
      k[0] = (byte) purpose.length();
      return k;
    };
  }

  /** The streamed value: not compressible to nothing, and every byte depends on its position. */
  static byte[] streamed() {
    byte[] b = new byte[STREAM_BYTES];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((i * 31 + i / 251) % 251);
    }
    return b;
  }

  /** A secret long enough to be compressed. */
  static byte[] secret() {
    return "the same sentence, again and again. ".repeat(80).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    write(root.resolve("encrypted"), StorageOptions.defaults(root.resolve("encrypted/db")));
    write(
        root.resolve("plain"),
        StorageOptions.defaults(root.resolve("plain/db")).withEncrypted(false));
  }

  private static void write(Path folder, StorageOptions options) throws IOException {
    Map<String, String> expected = new TreeMap<>();
    try (PersistentStorageService s = PersistentStorageService.initialise(options, key())) {
      s.write(SERVICE, "cursor", utf8("1234"));
      long cursor = s.readVersioned(SERVICE, utf8("cursor")).orElseThrow().version();
      s.compareAndSet(SERVICE, utf8("cursor"), cursor, utf8("1235"));
      s.commit(
          StorageBatch.builder()
              .put(SERVICE, utf8("q/1"), utf8("first"))
              .put(SERVICE, utf8("q/2"), utf8("second"))
              .put(FN, utf8("counter"), utf8("41"))
              .put(FN, utf8("gone"), utf8("soon deleted"))
              .build());
      s.write(FN, "counter", utf8("42"));
      s.delete(FN, utf8("gone"));
      try (StorageWriteStream out = s.openWriteStream(FN, utf8("big"))) {
        out.write(streamed());
      }
      s.write(SECRETS, "s1", secret());
      for (var e :
          Map.of(
                  "service/cursor", key(SERVICE, "cursor"),
                  "service/q/1", key(SERVICE, "q/1"),
                  "service/q/2", key(SERVICE, "q/2"),
                  "fn:demo/counter", key(FN, "counter"),
                  "fn:demo/big", key(FN, "big"),
                  "secrets/s1", key(SECRETS, "s1"))
              .entrySet()) {
        expected.put(
            "version " + e.getKey(),
            String.valueOf(
                s.readVersioned(e.getValue().ns(), e.getValue().key()).orElseThrow().version()));
      }
      StorageUsage u = s.usage(FN);
      expected.put("usage fn:demo", u.bytes() + " " + u.keys());
      s.flush();
    }
    try (OutputStream out = Files.newOutputStream(folder.resolve("expected.txt"))) {
      for (var e : expected.entrySet()) {
        out.write((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record At(Namespace ns, byte[] key) {}

  private static At key(Namespace ns, String key) {
    return new At(ns, utf8(key));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
