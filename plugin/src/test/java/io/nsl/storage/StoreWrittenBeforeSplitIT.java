package io.nsl.storage;

import static io.nsl.storage.StoreFixtureWriter.FN;
import static io.nsl.storage.StoreFixtureWriter.SECRETS;
import static io.nsl.storage.StoreFixtureWriter.SERVICE;
import static io.nsl.storage.TestStores.bytes;
import static io.nsl.storage.TestStores.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stores written by the code before the storage split (test resources {@code store-before-split},
 * made by {@link StoreFixtureWriter}) open with today's code: same values, versions and usage, the
 * streamed value reads back whole, and writing continues above the old versions. The on-disk format
 * did not change; if it ever does, this test is where the migration shows that old stores still
 * open.
 */
class StoreWrittenBeforeSplitIT {
  @TempDir Path dir;

  private Path copyOf(String kind) {
    try {
      Path from =
          Path.of(getClass().getResource("/io/nsl/storage/store-before-split/" + kind).toURI());
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path to = dir.resolve(kind).resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
      return dir.resolve(kind);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> expected(Path folder) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(folder.resolve("expected.txt"))) {
      int eq = line.indexOf('=');
      out.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return out;
  }

  private static StorageOptions options(String kind, Path db) {
    StorageOptions o = StorageOptions.defaults(db).withCreateIfMissing(false);
    return kind.equals("plain") ? o.withEncrypted(false) : o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"encrypted", "plain"})
  void opensWithTheSameContent(String kind) throws IOException {
    Path folder = copyOf(kind);
    Map<String, String> expected = expected(folder);
    StorageOptions options = options(kind, folder.resolve("db"));
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options, StoreFixtureWriter.key())) {
      assertEquals(kind.equals("encrypted"), s.encrypted());
      assertEquals("1235", str(s.read(SERVICE, "cursor").orElseThrow()));
      assertEquals("first", str(s.read(SERVICE, "q/1").orElseThrow()));
      assertEquals("second", str(s.read(SERVICE, "q/2").orElseThrow()));
      assertEquals("42", str(s.read(FN, "counter").orElseThrow()));
      assertFalse(s.exists(FN, "gone"));
      assertArrayEquals(StoreFixtureWriter.secret(), s.read(SECRETS, "s1").orElseThrow());
      try (InputStream in = s.openReadStream(FN, bytes("big")).orElseThrow()) {
        assertArrayEquals(StoreFixtureWriter.streamed(), in.readAllBytes());
      }
      for (var e : expected.entrySet()) {
        if (e.getKey().startsWith("version ")) {
          String at = e.getKey().substring("version ".length());
          int slash = at.indexOf('/');
          Namespace ns = new Namespace(at.substring(0, slash));
          byte[] key = at.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
          assertEquals(
              Long.parseLong(e.getValue()),
              s.readVersioned(ns, key).orElseThrow().version(),
              "version of " + at);
        }
      }
      StorageUsage u = s.usage(FN);
      assertEquals(expected.get("usage fn:demo"), u.bytes() + " " + u.keys());
      assertEquals(
          List.of("q/1", "q/2"),
          s.listKeys(SERVICE, bytes("q/"), 10).stream().map(TestStores::str).toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"encrypted", "plain"})
  void keepsWritingAboveTheOldVersions(String kind) throws IOException {
    Path folder = copyOf(kind);
    long highest =
        expected(folder).entrySet().stream()
            .filter(e -> e.getKey().startsWith("version "))
            .mapToLong(e -> Long.parseLong(e.getValue()))
            .max()
            .orElseThrow();
    StorageOptions options = options(kind, folder.resolve("db"));
    long written;
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options, StoreFixtureWriter.key())) {
      written = s.write(FN, "counter", bytes("43"));
      assertTrue(written > highest, written + " must be above " + highest);
      try (StorageWriteStream out = s.openWriteStream(FN, bytes("big"))) {
        out.write(new byte[70_000]);
      }
    }
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options, StoreFixtureWriter.key())) {
      assertEquals("43", str(s.read(FN, "counter").orElseThrow()));
      assertEquals(written, s.readVersioned(FN, bytes("counter")).orElseThrow().version());
      assertEquals(70_000, s.size(FN, bytes("big")).orElseThrow());
      assertEquals(new StorageUsage(2 + 7 + 3 + 70_000, 2), s.usage(FN));
    }
  }
}
