package io.nsl.storage;

import static io.nsl.storage.TestStores.bytes;
import static io.nsl.storage.TestStores.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every store configuration must have. Subclasses pick the configuration (encrypted
 * or plain); the tests here must not depend on which.
 */
abstract class PersistentStorageContract {
  static final Namespace FN = Namespace.functionState("f1");
  static final Namespace SVC = Namespace.service();
  static final Namespace SECRETS = Namespace.secrets();

  @TempDir Path dir;
  PersistentStorageService store;

  abstract StorageOptions options(Path path);

  StorageKeyProvider keys() {
    return TestStores.fixedKey(7);
  }

  PersistentStorageService open(StorageOptions o) {
    return PersistentStorageService.initialise(o, keys());
  }

  @BeforeEach
  void openStore() {
    store = open(options(dir.resolve("db")));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  void reopen() {
    store.close();
    store = open(options(dir.resolve("db")));
  }

  @Test
  void writesAndReadsBack() {
    store.write(SVC, "cursor", bytes("42"));
    assertEquals("42", str(store.read(SVC, "cursor").orElseThrow()));
  }

  @Test
  void readsAbsentKeyAsEmpty() {
    assertTrue(store.read(SVC, "nothing").isEmpty());
    assertTrue(store.readVersioned(SVC, bytes("nothing")).isEmpty());
    assertTrue(store.size(SVC, bytes("nothing")).isEmpty());
    assertTrue(store.openReadStream(SVC, bytes("nothing")).isEmpty());
  }

  @Test
  void overwriteReplacesValueAndRaisesVersion() {
    long v1 = store.write(SVC, "k", bytes("one"));
    long v2 = store.write(SVC, "k", bytes("two"));
    assertTrue(v2 > v1);
    VersionedValue v = store.readVersioned(SVC, bytes("k")).orElseThrow();
    assertEquals("two", str(v.value()));
    assertEquals(v2, v.version());
  }

  @Test
  void deleteReportsWhetherKeyExisted() {
    store.write(SVC, "k", bytes("v"));
    assertTrue(store.exists(SVC, "k"));
    assertTrue(store.delete(SVC, "k"));
    assertFalse(store.exists(SVC, "k"));
    assertFalse(store.delete(SVC, "k"));
    assertTrue(store.read(SVC, "k").isEmpty());
  }

  @Test
  void emptyValueIsAValue() {
    store.write(SVC, "empty", new byte[0]);
    assertTrue(store.exists(SVC, "empty"));
    assertArrayEquals(new byte[0], store.read(SVC, "empty").orElseThrow());
    assertEquals(OptionalLong.of(0), store.size(SVC, bytes("empty")));
  }

  @Test
  void namespacesKeepEqualKeysApart() {
    store.write(SVC, "k", bytes("service"));
    store.write(FN, "k", bytes("function"));
    store.write(SECRETS, "k", bytes("secret"));
    assertEquals("service", str(store.read(SVC, "k").orElseThrow()));
    assertEquals("function", str(store.read(FN, "k").orElseThrow()));
    assertEquals("secret", str(store.read(SECRETS, "k").orElseThrow()));
    store.delete(FN, "k");
    assertTrue(store.exists(SVC, "k"));
  }

  @Test
  void listsKeysByPrefixInByteOrderWithinNamespace() {
    store.write(SVC, "queue/0002", bytes("b"));
    store.write(SVC, "queue/0001", bytes("a"));
    store.write(SVC, "queue/0010", bytes("c"));
    store.write(SVC, "cursor", bytes("x"));
    store.write(Namespace.functionState("other"), "queue/0000", bytes("elsewhere"));
    List<String> keys =
        store.listKeys(SVC, bytes("queue/"), 100).stream().map(TestStores::str).toList();
    assertEquals(List.of("queue/0001", "queue/0002", "queue/0010"), keys);
    assertEquals(2, store.listKeys(SVC, bytes("queue/"), 2).size());
    assertEquals(4, store.listKeys(SVC, new byte[0], 100).size());
  }

  @Test
  void listsBinaryKeysInUnsignedOrder() {
    store.write(SVC, new byte[] {(byte) 0xff}, bytes("high"));
    store.write(SVC, new byte[] {0x00, 0x01}, bytes("low"));
    store.write(SVC, new byte[] {0x7f}, bytes("mid"));
    List<byte[]> keys = store.listKeys(SVC, new byte[0], 10);
    assertArrayEquals(new byte[] {0x00, 0x01}, keys.get(0));
    assertArrayEquals(new byte[] {0x7f}, keys.get(1));
    assertArrayEquals(new byte[] {(byte) 0xff}, keys.get(2));
  }

  @Test
  void sizeIsTheWrittenLengthEvenWhenCompressed() {
    byte[] v = new byte[5000]; // zeros compress well
    store.write(SVC, "z", v);
    assertEquals(OptionalLong.of(5000), store.size(SVC, bytes("z")));
    assertArrayEquals(v, store.read(SVC, "z").orElseThrow());
  }

  @Test
  void valuesSurviveReopen() {
    byte[] random = new byte[3000];
    new Random(1).nextBytes(random);
    store.write(SVC, "r", random);
    store.write(FN, "f", bytes("state"));
    reopen();
    assertArrayEquals(random, store.read(SVC, "r").orElseThrow());
    assertEquals("state", str(store.read(FN, "f").orElseThrow()));
  }

  @Test
  void compareAndSetWritesOnlyAtTheExpectedVersion() {
    assertTrue(store.compareAndSet(SVC, bytes("c"), 0, bytes("first")));
    assertFalse(store.compareAndSet(SVC, bytes("c"), 0, bytes("again")));
    long v = store.readVersioned(SVC, bytes("c")).orElseThrow().version();
    assertFalse(store.compareAndSet(SVC, bytes("c"), v + 1, bytes("wrong")));
    assertTrue(store.compareAndSet(SVC, bytes("c"), v, bytes("second")));
    assertEquals("second", str(store.read(SVC, "c").orElseThrow()));
  }

  @Test
  void versionsNeverRepeatAcrossDeleteAndReopen() {
    long v1 = store.write(SVC, "k", bytes("a"));
    store.delete(SVC, "k");
    reopen();
    long v2 = store.write(SVC, "k", bytes("b"));
    assertTrue(v2 > v1, v2 + " > " + v1);
    // A compare-and-set holding the old version must not succeed on the new value (no ABA).
    assertFalse(store.compareAndSet(SVC, bytes("k"), v1, bytes("stale")));
  }

  @Test
  void batchLandsAtomicallyAcrossNamespaces() {
    long version =
        store.commit(
            StorageBatch.builder()
                .put(SVC, bytes("cursor"), bytes("100"))
                .put(SVC, bytes("queue/1"), bytes("req"))
                .put(FN, bytes("state"), bytes("s"))
                .build());
    assertEquals(version, store.readVersioned(SVC, bytes("cursor")).orElseThrow().version());
    assertEquals(version, store.readVersioned(FN, bytes("state")).orElseThrow().version());
  }

  @Test
  void batchWithFailedVersionCheckWritesNothing() {
    store.write(SVC, "cursor", bytes("100"));
    long stale = store.readVersioned(SVC, bytes("cursor")).orElseThrow().version();
    store.write(SVC, "cursor", bytes("101"));
    StorageBatch batch =
        StorageBatch.builder()
            .expectVersion(SVC, bytes("cursor"), stale)
            .put(SVC, bytes("cursor"), bytes("102"))
            .put(SVC, bytes("queue/7"), bytes("req"))
            .delete(FN, bytes("x"))
            .build();
    StorageVersionConflictException e =
        assertThrows(StorageVersionConflictException.class, () -> store.commit(batch));
    assertEquals("STORAGE_VERSION_CONFLICT", e.code());
    assertTrue(e.retryable());
    assertEquals("101", str(store.read(SVC, "cursor").orElseThrow()));
    assertFalse(store.exists(SVC, "queue/7"));
  }

  @Test
  void batchCanDeleteAndPutTheSameKeyInOrder() {
    store.write(SVC, "k", bytes("old"));
    store.commit(
        StorageBatch.builder()
            .delete(SVC, bytes("k"))
            .expectVersion(SVC, bytes("k"), 0)
            .put(SVC, bytes("k"), bytes("new"))
            .build());
    assertEquals("new", str(store.read(SVC, "k").orElseThrow()));
  }

  @Test
  void streamsLargeValuesInChunks() throws IOException {
    for (int size : new int[] {0, 1, 64 * 1024, 64 * 1024 * 3, 64 * 1024 * 3 + 17}) {
      byte[] value = new byte[size];
      new Random(size).nextBytes(value);
      byte[] key = bytes("blob-" + size);
      try (StorageWriteStream out = store.openWriteStream(SVC, key)) {
        for (int off = 0; off < size; off += 10_000) {
          out.write(value, off, Math.min(10_000, size - off));
        }
      }
      try (InputStream in = store.openReadStream(SVC, key).orElseThrow()) {
        assertArrayEquals(value, in.readAllBytes(), "size " + size);
      }
      assertEquals(OptionalLong.of(size), store.size(SVC, key));
      assertArrayEquals(value, store.read(SVC, key).orElseThrow(), "read of streamed " + size);
    }
  }

  @Test
  void streamedValueSurvivesReopenAndReplacement() throws IOException {
    byte[] big = new byte[200_000];
    new Random(3).nextBytes(big);
    try (StorageWriteStream out = store.openWriteStream(SVC, bytes("b"))) {
      out.write(big);
    }
    reopen();
    try (InputStream in = store.openReadStream(SVC, bytes("b")).orElseThrow()) {
      assertArrayEquals(big, in.readAllBytes());
    }
    store.write(SVC, "b", bytes("small now"));
    assertEquals("small now", str(store.read(SVC, "b").orElseThrow()));
    try (InputStream in = store.openReadStream(SVC, bytes("b")).orElseThrow()) {
      assertEquals("small now", str(in.readAllBytes()));
    }
  }

  @Test
  void readStreamSeesSnapshotWhileValueIsReplaced() throws IOException {
    byte[] big = new byte[300_000];
    new Random(4).nextBytes(big);
    try (StorageWriteStream out = store.openWriteStream(SVC, bytes("b"))) {
      out.write(big);
    }
    try (InputStream in = store.openReadStream(SVC, bytes("b")).orElseThrow()) {
      byte[] first = in.readNBytes(10);
      store.write(SVC, "b", bytes("replaced"));
      byte[] rest = in.readAllBytes();
      byte[] all = new byte[first.length + rest.length];
      System.arraycopy(first, 0, all, 0, first.length);
      System.arraycopy(rest, 0, all, first.length, rest.length);
      assertArrayEquals(big, all);
    }
  }

  @Test
  void abortedStreamKeepsThePreviousValue() {
    store.write(SVC, "b", bytes("before"));
    StorageWriteStream out = store.openWriteStream(SVC, bytes("b"));
    out.write(new byte[200_000]);
    out.abort();
    assertEquals("before", str(store.read(SVC, "b").orElseThrow()));
  }

  /**
   * A writer that stops before close() (here: the store is closed under it, as a crash would)
   * leaves sealed chunks no manifest points at: a new stream to a fresh key, and a replacement
   * stream to a key whose committed stream must stay. Opening the store collects the first two and
   * keeps the live one.
   */
  @Test
  void orphanedChunksOfAnUnclosedStreamAreCollectedAtOpen() throws IOException {
    byte[] kept = new byte[200_000];
    new Random(6).nextBytes(kept);
    try (StorageWriteStream out = store.openWriteStream(SVC, bytes("kept"))) {
      out.write(kept);
    }
    store.close();
    int live = chunkCount();
    assertTrue(live >= 3, "a 200 kB stream is several chunks, got " + live);
    store = open(options(dir.resolve("db")));
    StorageWriteStream lost = store.openWriteStream(SVC, bytes("lost"));
    lost.write(new byte[200_000]);
    StorageWriteStream replacing = store.openWriteStream(SVC, bytes("kept"));
    replacing.write(new byte[200_000]);
    store.close(); // neither stream is closed nor aborted
    int before = chunkCount();
    assertTrue(before >= live + 6, "the unclosed streams left chunks on disk: " + before);

    store = open(options(dir.resolve("db")));
    store.close();
    assertEquals(live, chunkCount(), "only the committed stream's chunks are left");

    store = open(options(dir.resolve("db")));
    assertTrue(store.openReadStream(SVC, bytes("lost")).isEmpty());
    try (InputStream in = store.openReadStream(SVC, bytes("kept")).orElseThrow()) {
      assertArrayEquals(kept, in.readAllBytes());
    }
  }

  /**
   * Whether several instances may open one store at once (PostgreSQL); an embedded store (RocksDB)
   * refuses a second open while the first is in use.
   */
  boolean sharedByInstances() {
    return false;
  }

  /** Stream chunks in the engine; the store must be closed (RocksDB locks its folder). */
  int chunkCount() {
    int[] n = {0};
    TestStores.editRaw(dir.resolve("db"), db -> n[0] = TestStores.chunkKeys(db).size());
    return n[0];
  }

  @Test
  void readRefersLargeStreamedValuesToTheStreamApi() {
    StorageOptions small =
        options(dir.resolve("small")).withLimits(new StorageLimits(64, 1000, 1 << 20, 256));
    try (PersistentStorageService s = open(small)) {
      try (StorageWriteStream out = s.openWriteStream(SVC, bytes("b"))) {
        out.write(new byte[5000]);
      }
      StorageValueTooLargeException e =
          assertThrows(StorageValueTooLargeException.class, () -> s.read(SVC, "b"));
      assertTrue(e.getMessage().contains("openReadStream"), e.getMessage());
    }
  }

  // ------------------------------------------------------------------ deleteNamespace

  /** fn:f1 with values and a stream; neighbours whose names or keys share its prefix. */
  private void fillNamespaceAndNeighbours(PersistentStorageService s) {
    s.write(FN, "a", new byte[300]);
    s.write(FN, "b", bytes("bee"));
    try (StorageWriteStream out = s.openWriteStream(FN, bytes("blob"))) {
      out.write(new byte[150_000]);
    }
    s.write(Namespace.functionState("f10"), "a", bytes("neighbour with a longer name"));
    s.write(Namespace.functionState("f0"), "a", bytes("neighbour sorting just before"));
    s.write(Namespace.functionState("f2"), "a", bytes("neighbour sorting just after"));
    try (StorageWriteStream out =
        s.openWriteStream(Namespace.functionState("f10"), bytes("blob"))) {
      out.write(new byte[70_000]);
    }
    s.write(SVC, "fn:f1", bytes("a service key named like the namespace"));
  }

  private void assertNeighboursIntact(PersistentStorageService s) throws IOException {
    assertEquals(
        "neighbour with a longer name",
        str(s.read(Namespace.functionState("f10"), "a").orElseThrow()));
    assertEquals(
        "neighbour sorting just before",
        str(s.read(Namespace.functionState("f0"), "a").orElseThrow()));
    assertEquals(
        "neighbour sorting just after",
        str(s.read(Namespace.functionState("f2"), "a").orElseThrow()));
    try (InputStream in =
        s.openReadStream(Namespace.functionState("f10"), bytes("blob")).orElseThrow()) {
      assertEquals(70_000, in.readAllBytes().length);
    }
    assertEquals("a service key named like the namespace", str(s.read(SVC, "fn:f1").orElseThrow()));
  }

  @Test
  void deleteNamespaceRemovesEveryKeyAndStreamAndResetsUsage() throws IOException {
    fillNamespaceAndNeighbours(store);
    StorageUsage before = store.usage(FN);
    assertEquals(3, before.keys());
    StorageUsage f10 = store.usage(Namespace.functionState("f10"));

    StorageUsage removed = store.deleteNamespace(FN);

    assertEquals(before, removed, "answers what the namespace held");
    assertEquals(StorageUsage.EMPTY, store.usage(FN));
    assertEquals(List.of(), store.listKeys(FN, new byte[0], 100));
    assertFalse(store.exists(FN, "a"));
    assertTrue(store.openReadStream(FN, bytes("blob")).isEmpty());
    assertNeighboursIntact(store);
    assertEquals(f10, store.usage(Namespace.functionState("f10")));

    store.close();
    int chunks = chunkCount();
    assertEquals(2, chunks, "only f10's stream chunks remain on disk (70 kB = 2 chunks)");
    store = open(options(dir.resolve("db")));
    assertEquals(StorageUsage.EMPTY, store.usage(FN), "the reset usage is persisted");
    assertEquals(List.of(), store.listKeys(FN, new byte[0], 100));
    assertNeighboursIntact(store);
  }

  @Test
  void deletedNamespaceGetsItsWholeQuotaBackAndVersionsKeepRising() {
    StorageOptions q = options(dir.resolve("q")).withFunctionQuota(new StorageQuota(1000, 3));
    try (PersistentStorageService s = open(q)) {
      s.write(FN, "a", new byte[400]);
      long last = s.write(FN, "b", new byte[400]);
      assertThrows(StorageQuotaExceededException.class, () -> s.write(FN, "c", new byte[400]));
      s.deleteNamespace(FN);
      long v = s.write(FN, "a", new byte[900]);
      assertTrue(v > last, "version " + v + " after delete, " + last + " before: never reused");
      assertTrue(s.compareAndSet(FN, bytes("b"), 0, new byte[10]), "b is absent again");
      assertThrows(StorageQuotaExceededException.class, () -> s.write(FN, "c", new byte[100]));
    }
  }

  @Test
  void deleteOfAnEmptyOrUnknownNamespaceIsANoOp() {
    store.write(SVC, "k", bytes("v"));
    assertEquals(StorageUsage.EMPTY, store.deleteNamespace(Namespace.functionState("never-used")));
    assertEquals("v", str(store.read(SVC, "k").orElseThrow()));
  }

  @Test
  void streamOpenWhileItsNamespaceIsDeletedCannotCommitIntoIt() {
    store.write(FN, "x", bytes("old"));
    StorageWriteStream out = store.openWriteStream(FN, bytes("late"));
    out.write(new byte[100_000]);
    store.deleteNamespace(FN);
    out.write(new byte[100_000]);
    StorageNamespaceDeletedException e =
        assertThrows(StorageNamespaceDeletedException.class, out::close);
    assertEquals("STORAGE_NAMESPACE_DELETED", e.code());
    assertTrue(e.getMessage().contains("fn:f1"), e.getMessage());
    assertFalse(store.exists(FN, "late"));
    assertEquals(StorageUsage.EMPTY, store.usage(FN));
    store.close();
    assertEquals(0, chunkCount(), "the refused stream's chunks were dropped");
    store = open(options(dir.resolve("db")));
  }

  @Test
  void readStreamOpenedBeforeTheDeleteStillReadsItsSnapshot() throws IOException {
    byte[] big = new byte[150_000];
    new Random(8).nextBytes(big);
    try (StorageWriteStream out = store.openWriteStream(FN, bytes("blob"))) {
      out.write(big);
    }
    try (InputStream in = store.openReadStream(FN, bytes("blob")).orElseThrow()) {
      byte[] head = in.readNBytes(10);
      store.deleteNamespace(FN);
      byte[] rest = in.readAllBytes();
      assertEquals(big.length, head.length + rest.length);
      assertArrayEquals(Arrays.copyOfRange(big, 10, big.length), rest);
    }
    assertTrue(store.openReadStream(FN, bytes("blob")).isEmpty());
  }

  @Test
  void deleteNamespaceOnAReadOnlyStoreIsRefused() {
    store.write(FN, "a", bytes("v"));
    store.close();
    store = open(options(dir.resolve("db")).withReadOnly(true));
    assertThrows(StorageReadOnlyException.class, () -> store.deleteNamespace(FN));
    assertEquals("v", str(store.read(FN, "a").orElseThrow()));
  }

  @Test
  void rejectsEmptyAndOverlongKeys() {
    assertThrows(InvalidStorageKeyException.class, () -> store.write(SVC, new byte[0], bytes("v")));
    byte[] longKey = new byte[1025];
    InvalidStorageKeyException e =
        assertThrows(InvalidStorageKeyException.class, () -> store.write(SVC, longKey, bytes("v")));
    assertEquals("STORAGE_INVALID_KEY", e.code());
    assertTrue(e.getMessage().contains("1025"), e.getMessage());
    store.write(SVC, new byte[1024], bytes("fits"));
  }

  @Test
  void rejectsBadNamespaceNamesNamingTheCharacter() {
    InvalidStorageKeyException e =
        assertThrows(InvalidStorageKeyException.class, () -> new Namespace("Fn"));
    assertTrue(e.getMessage().contains("U+0046 at position 0"), e.getMessage());
    assertThrows(InvalidStorageKeyException.class, () -> new Namespace("!meta"));
    assertThrows(InvalidStorageKeyException.class, () -> new Namespace(""));
  }

  @Test
  void rejectsOversizeValueAndOversizeStream() {
    StorageOptions small =
        options(dir.resolve("small")).withLimits(new StorageLimits(64, 1000, 3000, 256));
    try (PersistentStorageService s = open(small)) {
      StorageValueTooLargeException e =
          assertThrows(
              StorageValueTooLargeException.class, () -> s.write(SVC, "k", new byte[1001]));
      assertEquals("STORAGE_VALUE_TOO_LARGE", e.code());
      assertTrue(e.getMessage().contains("1001"), e.getMessage());
      s.write(SVC, "k", new byte[1000]);
      StorageWriteStream out = s.openWriteStream(SVC, bytes("big"));
      out.write(new byte[3000]);
      assertThrows(StorageValueTooLargeException.class, () -> out.write(1));
      assertFalse(s.exists(SVC, "big"));
    }
  }

  @Test
  void enforcesFunctionQuotaOnBytesAndKeys() {
    StorageOptions q = options(dir.resolve("q")).withFunctionQuota(new StorageQuota(1000, 3));
    try (PersistentStorageService s = open(q)) {
      s.write(FN, "a", new byte[400]);
      s.write(FN, "b", new byte[400]);
      StorageQuotaExceededException bytesOver =
          assertThrows(StorageQuotaExceededException.class, () -> s.write(FN, "c", new byte[400]));
      assertEquals("STORAGE_QUOTA_EXCEEDED", bytesOver.code());
      assertFalse(s.exists(FN, "c"));
      s.write(FN, "c", new byte[10]);
      assertThrows(StorageQuotaExceededException.class, () -> s.write(FN, "d", new byte[1]));
      // Overwriting with a smaller value and deleting free quota.
      s.write(FN, "a", new byte[1]);
      s.delete(FN, "b");
      s.write(FN, "d", new byte[500]);
      assertEquals(new StorageUsage(1 + 10 + 500 + 3, 3), s.usage(FN));
      // Other namespaces are not metered.
      s.write(SVC, "big", new byte[5000]);
      // A batch that would go over writes nothing.
      assertThrows(
          StorageQuotaExceededException.class,
          () ->
              s.commit(
                  StorageBatch.builder()
                      .put(SVC, bytes("x"), bytes("y"))
                      .put(FN, bytes("e"), new byte[600])
                      .build()));
      assertFalse(s.exists(SVC, "x"));
    }
  }

  @Test
  void quotaUsageSurvivesReopen() {
    StorageOptions q = options(dir.resolve("q")).withFunctionQuota(new StorageQuota(1000, 10));
    try (PersistentStorageService s = open(q)) {
      s.write(FN, "a", new byte[900]);
    }
    try (PersistentStorageService s = open(q)) {
      assertEquals(new StorageUsage(901, 1), s.usage(FN));
      assertThrows(StorageQuotaExceededException.class, () -> s.write(FN, "b", new byte[200]));
    }
  }

  @Test
  void quotaLimitsStreamsToo() {
    StorageOptions q = options(dir.resolve("q")).withFunctionQuota(new StorageQuota(10_000, 10));
    try (PersistentStorageService s = open(q)) {
      StorageWriteStream out = s.openWriteStream(FN, bytes("blob"));
      assertThrows(StorageQuotaExceededException.class, () -> out.write(new byte[20_000]));
      assertFalse(s.exists(FN, "blob"));
      assertEquals(StorageUsage.EMPTY, s.usage(FN));
    }
  }

  @Test
  void readOnlyStoreReadsAndRefusesWrites() {
    store.write(SVC, "k", bytes("v"));
    store.close();
    try (PersistentStorageService ro = open(options(dir.resolve("db")).withReadOnly(true))) {
      assertEquals("v", str(ro.read(SVC, "k").orElseThrow()));
      StorageReadOnlyException e =
          assertThrows(StorageReadOnlyException.class, () -> ro.write(SVC, "k", bytes("x")));
      assertEquals("STORAGE_READ_ONLY", e.code());
    }
    store = open(options(dir.resolve("db")));
  }

  @Test
  void closedStoreRefusesUse() {
    store.close();
    store.close();
    StorageClosedException e =
        assertThrows(StorageClosedException.class, () -> store.read(SVC, "k"));
    assertEquals("STORAGE_CLOSED", e.code());
    store = open(options(dir.resolve("db")));
  }

  @Test
  void missingFolderWithoutCreateIsAClearError() {
    StorageOpenException e =
        assertThrows(
            StorageOpenException.class,
            () -> open(options(dir.resolve("nowhere")).withCreateIfMissing(false)));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  @Test
  void secondOpenOfTheSameStoreIsRefusedOrSharedByTheEngine() {
    if (!sharedByInstances()) {
      StorageOpenException e =
          assertThrows(StorageOpenException.class, () -> open(options(dir.resolve("db"))));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      return;
    }
    try (PersistentStorageService second = open(options(dir.resolve("db")))) {
      long v = store.write(SVC, "k", bytes("from the first"));
      assertEquals(v, second.readVersioned(SVC, bytes("k")).orElseThrow().version());
      assertFalse(second.compareAndSet(SVC, bytes("k"), 0, bytes("lost race")));
      assertTrue(second.compareAndSet(SVC, bytes("k"), v, bytes("from the second")));
      assertEquals("from the second", str(store.read(SVC, "k").orElseThrow()));
      assertTrue(second.write(SVC, "k", bytes("x")) > v, "one version counter for both");
    }
  }

  @Test
  void concurrentCompareAndSetIncrementsLoseNothing() throws Exception {
    int threads = 4;
    int perThread = 50;
    store.write(SVC, "counter", bytes("0"));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    while (true) {
                      VersionedValue v = store.readVersioned(SVC, bytes("counter")).orElseThrow();
                      int n = Integer.parseInt(str(v.value()));
                      if (store.compareAndSet(
                          SVC, bytes("counter"), v.version(), bytes(Integer.toString(n + 1)))) {
                        break;
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        Integer.toString(threads * perThread), str(store.read(SVC, "counter").orElseThrow()));
  }

  @Test
  void concurrentWritersToDistinctKeysAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    store.write(FN, "t" + id + "/" + i, bytes("v" + id + i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, store.listKeys(FN, new byte[0], 1000).size());
    assertEquals(200, store.usage(FN).keys());
    assertEquals(Optional.of("v37"), store.read(FN, "t3/7").map(TestStores::str));
  }
}
