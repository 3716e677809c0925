package io.nsl.storage;

import static io.nsl.storage.TestStores.bytes;
import static io.nsl.storage.TestStores.chunkKeys;
import static io.nsl.storage.TestStores.physical;
import static io.nsl.storage.TestStores.rawDelete;
import static io.nsl.storage.TestStores.rawGet;
import static io.nsl.storage.TestStores.rawPut;
import static io.nsl.storage.TestStores.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator with the disk in hand can try, and what the encrypted store must refuse. Each
 * test writes through the store, edits the RocksDB files directly, and reopens.
 */
class StorageTamperIT {
  static final Namespace SVC = Namespace.service();
  static final Namespace FN = Namespace.functionState("f1");

  @TempDir Path dir;

  PersistentStorageService open() {
    return PersistentStorageService.initialise(
        StorageOptions.defaults(dir.resolve("db")), TestStores.fixedKey(7));
  }

  @Test
  void rejectsFlippedBitInValue() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("hello value"));
    }
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          byte[] pk = physical("service", bytes("k"));
          byte[] v = rawGet(db, pk);
          v[v.length - 20] ^= 0x01;
          rawPut(db, pk, v);
        });
    try (PersistentStorageService s = open()) {
      StorageTamperedException e =
          assertThrows(StorageTamperedException.class, () -> s.read(SVC, "k"));
      assertEquals("STORAGE_TAMPERED", e.code());
      assertTrue(e.getMessage().contains("service/k"), e.getMessage());
      assertFalse(e.getMessage().contains("hello"), e.getMessage());
      assertThrows(StorageTamperedException.class, () -> s.size(SVC, bytes("k")));
      // Overwriting a damaged value is the way to recover it.
      s.write(SVC, "k", bytes("fresh"));
      assertEquals("fresh", str(s.read(SVC, "k").orElseThrow()));
    }
  }

  @Test
  void rejectsFlippedVersionInHeader() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("v"));
    }
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          byte[] pk = physical("service", bytes("k"));
          byte[] v = rawGet(db, pk);
          v[9] ^= 0x01; // low byte of the version
          rawPut(db, pk, v);
        });
    try (PersistentStorageService s = open()) {
      assertThrows(StorageTamperedException.class, () -> s.readVersioned(SVC, bytes("k")));
      // A compare-and-set against a forged version must not go through.
      assertThrows(
          StorageTamperedException.class, () -> s.compareAndSet(SVC, bytes("k"), 0, bytes("x")));
    }
  }

  @Test
  void rejectsValuesSwappedBetweenKeys() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "a", bytes("value of a"));
      s.write(SVC, "b", bytes("value of b"));
    }
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          byte[] a = rawGet(db, physical("service", bytes("a")));
          byte[] b = rawGet(db, physical("service", bytes("b")));
          rawPut(db, physical("service", bytes("a")), b);
          rawPut(db, physical("service", bytes("b")), a);
        });
    try (PersistentStorageService s = open()) {
      assertThrows(StorageTamperedException.class, () -> s.read(SVC, "a"));
      assertThrows(StorageTamperedException.class, () -> s.read(SVC, "b"));
    }
  }

  @Test
  void rejectsValueCopiedToAnotherNamespace() {
    try (PersistentStorageService s = open()) {
      s.write(Namespace.secrets(), "k", bytes("secret"));
    }
    TestStores.editRaw(
        dir.resolve("db"),
        db ->
            rawPut(db, physical("fn:f1", bytes("k")), rawGet(db, physical("secrets", bytes("k")))));
    try (PersistentStorageService s = open()) {
      assertThrows(StorageTamperedException.class, () -> s.read(FN, "k"));
    }
  }

  @Test
  void rejectsUnencryptedValueSlippedIntoEncryptedStore() {
    Path plainDir = dir.resolve("plain");
    try (PersistentStorageService p =
        PersistentStorageService.initialise(
            StorageOptions.defaults(plainDir).withEncrypted(false), TestStores.fixedKey(7))) {
      p.write(SVC, "k", bytes("operator's value"));
    }
    byte[][] forged = new byte[1][];
    TestStores.editRaw(plainDir, db -> forged[0] = rawGet(db, physical("service", bytes("k"))));
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("real"));
    }
    TestStores.editRaw(
        dir.resolve("db"), db -> rawPut(db, physical("service", bytes("k")), forged[0]));
    try (PersistentStorageService s = open()) {
      StorageTamperedException e =
          assertThrows(StorageTamperedException.class, () -> s.read(SVC, "k"));
      assertTrue(e.getMessage().contains("unencrypted"), e.getMessage());
    }
  }

  @Test
  void rejectsTruncatedStream() throws IOException {
    writeStream(3 * 64 * 1024 + 5);
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          List<byte[]> chunks = chunkKeys(db);
          assertEquals(4, chunks.size());
          rawDelete(db, chunks.get(3));
        });
    try (PersistentStorageService s = open();
        InputStream in = s.openReadStream(SVC, bytes("blob")).orElseThrow()) {
      StorageTamperedException e = assertThrows(StorageTamperedException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  @Test
  void rejectsStreamCutShortAtAChunkBoundary() throws IOException {
    // The attacker drops the last chunk and tries to make the one before it look last by copying
    // the real last chunk's bytes into its place: the index is bound in, so it is refused.
    writeStream(3 * 64 * 1024);
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          List<byte[]> chunks = chunkKeys(db);
          rawPut(db, chunks.get(1), rawGet(db, chunks.get(2)));
          rawDelete(db, chunks.get(2));
        });
    try (PersistentStorageService s = open();
        InputStream in = s.openReadStream(SVC, bytes("blob")).orElseThrow()) {
      assertThrows(StorageTamperedException.class, in::readAllBytes);
    }
  }

  @Test
  void rejectsReorderedChunks() throws IOException {
    writeStream(3 * 64 * 1024);
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          List<byte[]> chunks = chunkKeys(db);
          byte[] c0 = rawGet(db, chunks.get(0));
          byte[] c1 = rawGet(db, chunks.get(1));
          rawPut(db, chunks.get(0), c1);
          rawPut(db, chunks.get(1), c0);
        });
    try (PersistentStorageService s = open();
        InputStream in = s.openReadStream(SVC, bytes("blob")).orElseThrow()) {
      assertThrows(StorageTamperedException.class, in::readAllBytes);
    }
  }

  @Test
  void rejectsChunkFromAnotherStream() throws IOException {
    try (PersistentStorageService s = open()) {
      for (String k : List.of("one", "two")) {
        try (StorageWriteStream out = s.openWriteStream(SVC, bytes(k))) {
          out.write(new byte[100]);
        }
      }
    }
    TestStores.editRaw(
        dir.resolve("db"),
        db -> {
          List<byte[]> chunks = chunkKeys(db);
          assertEquals(2, chunks.size());
          byte[] a = rawGet(db, chunks.get(0));
          rawPut(db, chunks.get(1), a);
        });
    try (PersistentStorageService s = open()) {
      int refused = 0;
      for (String k : List.of("one", "two")) {
        try (InputStream in = s.openReadStream(SVC, bytes(k)).orElseThrow()) {
          in.readAllBytes();
        } catch (StorageTamperedException e) {
          refused++;
        }
      }
      assertEquals(1, refused);
    }
  }

  @Test
  void refusesToOpenWithAnotherEnclavesKey() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("v"));
    }
    StorageKeyMismatchException e =
        assertThrows(
            StorageKeyMismatchException.class,
            () ->
                PersistentStorageService.initialise(
                    StorageOptions.defaults(dir.resolve("db")), TestStores.fixedKey(8)));
    assertEquals("STORAGE_KEY_MISMATCH", e.code());
    assertTrue(e.getMessage().contains("different storage key"), e.getMessage());
  }

  @Test
  void refusesToOpenEncryptedStoreAsPlain() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("v"));
    }
    StorageKeyMismatchException e =
        assertThrows(
            StorageKeyMismatchException.class,
            () ->
                PersistentStorageService.initialise(
                    StorageOptions.defaults(dir.resolve("db")).withEncrypted(false),
                    TestStores.fixedKey(7)));
    assertTrue(e.getMessage().contains("encryption on"), e.getMessage());
  }

  @Test
  void keyProviderArrayIsClearedAfterOpen() {
    byte[][] handedOut = new byte[1][];
    StorageKeyProvider keys =
        purpose -> {
          handedOut[0] = new byte[32];
          Arrays.fill(handedOut[0], (byte) 5);
          return handedOut[0];
        };
    PersistentStorageService.initialise(StorageOptions.defaults(dir.resolve("k")), keys).close();
    assertArrayEquals(new byte[32], handedOut[0]);
  }

  @Test
  void valuesAreNotInPlaintextOnDisk() throws IOException {
    String marker = "PLAINTEXT-MARKER-4f1c";
    try (PersistentStorageService s = open()) {
      for (int i = 0; i < 50; i++) {
        s.write(SVC, "k" + i, bytes(marker + i));
      }
      s.flush();
    }
    byte[] needle = bytes(marker);
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        assertFalse(indexOf(content, needle) >= 0, "plaintext found in " + f.getFileName());
      }
    }
  }

  /**
   * Documents a limit rather than a defence: putting back an older sealed value of the same key (a
   * disk rollback) is not detected by the store, because nothing outside the disk remembers the
   * latest version. See docs/storage.md, "Rollback".
   */
  @Test
  void rollbackOfOneKeyToAnOlderSealedValueIsNotDetected() {
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("old"));
    }
    byte[][] old = new byte[1][];
    TestStores.editRaw(
        dir.resolve("db"), db -> old[0] = rawGet(db, physical("service", bytes("k"))));
    try (PersistentStorageService s = open()) {
      s.write(SVC, "k", bytes("new"));
    }
    TestStores.editRaw(
        dir.resolve("db"), db -> rawPut(db, physical("service", bytes("k")), old[0]));
    try (PersistentStorageService s = open()) {
      assertEquals("old", str(s.read(SVC, "k").orElseThrow()));
    }
  }

  private void writeStream(int size) throws IOException {
    byte[] v = new byte[size];
    new Random(9).nextBytes(v);
    try (PersistentStorageService s = open()) {
      try (StorageWriteStream out = s.openWriteStream(SVC, bytes("blob"))) {
        out.write(v);
      }
      try (InputStream in = s.openReadStream(SVC, bytes("blob")).orElseThrow()) {
        assertArrayEquals(v, in.readAllBytes());
      }
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
