package io.nsl.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageFenceLostException;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuota;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageTamperedException;
import io.nsl.testing.LocalPostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read cache, the held writes and the fence of pinned namespaces, with two store instances on
 * one database as two workers would have: a run's writes are seen by its own reads and land only
 * with its release, all together; what one instance writes (or an administrator edits with SQL) is
 * seen by the other at its next pin; and a release under a fence whose lock row moved writes
 * nothing.
 */
class PostgresReadCacheIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x3c);
        return k;
      };
  private static final Namespace FN = Namespace.functionState("f1");
  private static final Namespace SVC = Namespace.service();
  private static final byte[] LOCK = utf8("workers/lock/f1");

  private final List<PersistentStorageService> open = new ArrayList<>();
  private String url;

  @BeforeEach
  void database() {
    url = pg.freshDatabase("cache");
  }

  @AfterEach
  void close() {
    open.forEach(PersistentStorageService::close);
    open.clear();
  }

  private PgStorage store() {
    return store(StorageOptions.postgres(url));
  }

  private PgStorage store(StorageOptions o) {
    PgStorage s = (PgStorage) PersistentStorageService.initialise(o, KEY);
    open.add(s);
    return s;
  }

  private static final byte[] HELD = utf8("held");
  private static final byte[] FREE = utf8("free");

  /** Takes the "lock" as a worker would: a new version of the lock row, the fence. */
  private static StorageFence lock(PersistentStorageService s) {
    return new StorageFence(SVC, LOCK, s.write(SVC, LOCK, HELD), HELD);
  }

  @Test
  void aWriteAtAnotherInstanceIsSeenAtTheNextPin() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "k", utf8("one"));
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("one", str(w1.read(FN, "k").orElseThrow()));
      assertEquals("one", str(w1.read(FN, "k").orElseThrow()));
    }
    assertTrue(w1.readCache().hits() >= 1, "the second read came from memory");
    io.nsl.storage.ReadCacheStats stats = w1.readCacheStats().orElseThrow();
    assertEquals(w1.readCache().hits(), stats.hits(), "what /metrics shows");
    assertEquals(w1.readCache().misses(), stats.misses());
    assertTrue(stats.bytes() > 0 && stats.maxBytes() > 0, stats.toString());
    try (StatePin p = w2.pin(FN, lock(w2))) {
      w2.write(FN, "k", utf8("two"));
      w2.write(FN, "new", utf8("n"));
      assertTrue(p.release(FREE) > 0);
    }
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("two", str(w1.read(FN, "k").orElseThrow()));
      assertEquals("n", str(w1.read(FN, "new").orElseThrow()));
      assertEquals(2, w1.listKeys(FN, new byte[0], 10).size());
    }
  }

  @Test
  void aDeletionAtAnotherInstanceIsSeenAtTheNextPin() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "k", utf8("one"));
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals(List.of("k"), strs(w1.listKeys(FN, new byte[0], 10)));
      assertTrue(w1.exists(FN, "k"));
    }
    w2.deleteNamespace(FN);
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertFalse(w1.exists(FN, "k"));
      assertEquals(List.of(), w1.listKeys(FN, new byte[0], 10));
    }
  }

  @Test
  void ownWritesAreServedFromMemoryAndKeptAcrossPinsWhenNobodyElseWrote() {
    PgStorage w1 = store();
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertTrue(w1.read(FN, "a").isEmpty());
      assertEquals(List.of(), w1.listKeys(FN, new byte[0], 10));
      w1.write(FN, "a", utf8("1"));
      w1.write(FN, "b", utf8("2"));
      w1.delete(FN, "b");
      assertEquals("1", str(w1.read(FN, "a").orElseThrow()));
      assertTrue(w1.read(FN, "b").isEmpty());
      assertEquals(List.of("a"), strs(w1.listKeys(FN, new byte[0], 10)));
      p.release(FREE);
    }
    long missesBefore = w1.readCache().misses();
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("1", str(w1.read(FN, "a").orElseThrow()));
      assertEquals(
          w1.readVersioned(FN, utf8("a")).orElseThrow().version(),
          w1.readVersioned(FN, utf8("a")).orElseThrow().version());
      assertEquals(List.of("a"), strs(w1.listKeys(FN, new byte[0], 10)));
    }
    assertEquals(missesBefore, w1.readCache().misses(), "no read went to the database");
    PgStorage fresh = store();
    assertEquals("1", str(fresh.read(FN, "a").orElseThrow()));
    assertTrue(fresh.read(FN, "b").isEmpty());
  }

  @Test
  void aRowEditedWithSqlIsSeenAtTheNextPin() throws SQLException {
    PgStorage w1 = store();
    w1.write(FN, "a", utf8("apple"));
    w1.write(FN, "b", utf8("banana"));
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("apple", str(w1.read(FN, "a").orElseThrow()));
    }
    // The administrator copies b's sealed record over a's (same namespace, valid ciphertext).
    try (Connection c = pg.connect(url);
        PreparedStatement s =
            c.prepareStatement(
                "update nsl_values set record = (select record from nsl_values where k = ?)"
                    + " where k = ?")) {
      s.setBytes(1, w1.names().keyId(StoreSchema.namespaceBytes(FN), utf8("b")));
      s.setBytes(2, w1.names().keyId(StoreSchema.namespaceBytes(FN), utf8("a")));
      assertEquals(1, s.executeUpdate());
    }
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertThrows(StorageTamperedException.class, () -> w1.read(FN, "a"));
    }
  }

  @Test
  void aReleaseUnderAFenceWhoseLockMovedIsRefusedAndNothingOfTheRunIsWritten() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "k", utf8("before"));
    StatePin stale = w1.pin(FN, lock(w1));
    assertEquals("before", str(w1.read(FN, "k").orElseThrow()));
    w1.write(FN, "first", utf8("w1")); // a write before the lock lapsed
    // w1 freezes; its lock lapses and w2 takes it over and writes.
    try (StatePin p = w2.pin(FN, lock(w2))) {
      w2.write(FN, "k", utf8("w2"));
      p.release(FREE);
    }
    w1.write(FN, "k", utf8("w1"));
    StorageFenceLostException e =
        assertThrows(StorageFenceLostException.class, () -> stale.release(FREE));
    assertTrue(e.getMessage().contains("taken over"), e.getMessage());
    assertTrue(stale.fenceLost());
    stale.close();
    assertEquals("w2", str(w2.read(FN, "k").orElseThrow()));
    assertFalse(w2.exists(FN, "first"), "not even the write made before the takeover");
    assertEquals("free", str(w2.read(SVC, LOCK).orElseThrow()), "w2's release stands");
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("w2", str(w1.read(FN, "k").orElseThrow()), "no stale read after the pin");
      assertFalse(w1.exists(FN, "first"));
      w1.write(FN, "k", utf8("w1 again"));
      assertTrue(p.release(FREE) > 0);
      assertFalse(p.fenceLost());
    }
    assertEquals("w1 again", str(w2.read(FN, "k").orElseThrow()));
  }

  /**
   * The one-statement take (decision 1010, "Round trips"): after this store's own release of the
   * lock row, the next take is one statement, at a version reserved by that release; once another
   * store took and released the row in between, it writes nothing and answers empty, even though
   * this store still remembers the row as it left it.
   */
  @Test
  void aTakeAfterThisStoresReleaseIsOneStatementAndWritesNothingOnceAnotherTookTheRow() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    StatePin.Taken first = w1.takeAndPin(FN, SVC, LOCK, 0, HELD, FREE).orElseThrow();
    w1.write(FN, "k", utf8("one"));
    long r1 = first.pin().release(FREE);
    assertTrue(r1 > first.version());
    assertEquals(r1, w2.readVersioned(SVC, LOCK).orElseThrow().version(), "one commit");
    assertEquals(r1, w2.readVersioned(FN, utf8("k")).orElseThrow().version());
    assertTrue(w1.takeAndPin(FN, SVC, LOCK, r1 - 1, HELD, FREE).isEmpty(), "a stale version");

    StatePin.Taken second = w1.takeAndPin(FN, SVC, LOCK, r1, HELD, FREE).orElseThrow();
    assertEquals(1, w1.statePins().oneStatementTakes());
    assertTrue(second.version() > r1, second.version() + " after " + r1);
    assertEquals(second.version(), w2.readVersioned(SVC, LOCK).orElseThrow().version());
    assertEquals("held", str(w2.read(SVC, LOCK).orElseThrow()));
    assertEquals("one", str(w1.read(FN, "k").orElseThrow()));
    w1.write(FN, "k", utf8("two"));
    long r2 = second.pin().release(FREE);
    assertTrue(r2 > second.version());
    assertEquals("two", str(w2.read(FN, "k").orElseThrow()));

    StatePin.Taken other = w2.takeAndPin(FN, SVC, LOCK, r2, utf8("w2"), FREE).orElseThrow();
    assertEquals(0, w2.statePins().oneStatementTakes(), "w2 never released the row: the long way");
    w2.write(FN, "k", utf8("w2"));
    long r3 = other.pin().release(FREE);
    assertEquals(2, w1.statePins().oneStatementReleases(), "a pin knows the row it was taken with");
    assertEquals(1, w2.statePins().oneStatementReleases());

    assertTrue(w1.takeAndPin(FN, SVC, LOCK, r2, HELD, FREE).isEmpty(), "w2 moved the row on");
    assertEquals(r3, w1.readVersioned(SVC, LOCK).orElseThrow().version(), "nothing written");
    assertEquals("free", str(w1.read(SVC, LOCK).orElseThrow()));
    StatePin.Taken again = w1.takeAndPin(FN, SVC, LOCK, r3, HELD, FREE).orElseThrow();
    assertEquals("w2", str(w1.read(FN, "k").orElseThrow()), "the cache saw w2's write");
    again.pin().close();
  }

  /**
   * A take at this store's own release after another store took and released the row: the statement
   * that finds the row moved on reads it and reserves the next take's version, so the take at the
   * version found is one statement, with no read between (issue 19: a lock handed from worker to
   * worker is two round trips, not three). If the row moves again first, that take writes nothing.
   */
  @Test
  void aTakeThatFindsTheRowMovedOnAnswersItAndTheTakeAtItsVersionIsOneStatement() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    long r1 = w1.takeAndPin(FN, SVC, LOCK, 0, HELD, FREE).orElseThrow().pin().release(FREE);
    long seen = w2.readToTake(SVC, LOCK).orElseThrow().version();
    StatePin.Taken byW2 = w2.takeAndPin(FN, SVC, LOCK, seen, utf8("w2"), FREE).orElseThrow();

    StatePin.Attempt busy = w1.takeAndPinOrRead(FN, SVC, LOCK, r1, HELD, FREE);
    assertTrue(busy.taken().isEmpty());
    assertEquals("w2", str(busy.found().orElseThrow().value()), "held by w2, read in the take");
    assertEquals(byW2.version(), busy.found().orElseThrow().version());
    assertEquals("w2", str(w2.read(SVC, LOCK).orElseThrow()), "nothing written");
    long r2 = byW2.pin().release(FREE);

    long before = w1.statePins().oneStatementTakes();
    StatePin.Attempt free = w1.takeAndPinOrRead(FN, SVC, LOCK, byW2.version(), HELD, FREE);
    assertTrue(free.taken().isEmpty());
    assertEquals(r2, free.found().orElseThrow().version());
    assertEquals("free", str(free.found().orElseThrow().value()));
    assertEquals(before, w1.statePins().oneStatementTakes(), "the failed try took nothing");
    StatePin.Taken taken = w1.takeAndPin(FN, SVC, LOCK, r2, HELD, FREE).orElseThrow();
    assertEquals(before + 1, w1.statePins().oneStatementTakes(), "no read between: one statement");
    assertTrue(taken.version() > r2);
    w1.write(FN, "k", utf8("w1"));
    long r3 = taken.pin().release(FREE);

    // Found, then moved again before the take: the take writes nothing.
    long w2Seen = w2.readToTake(SVC, LOCK).orElseThrow().version();
    StatePin.Taken w2again = w2.takeAndPin(FN, SVC, LOCK, w2Seen, utf8("w2"), FREE).orElseThrow();
    long r4 = w2again.pin().release(FREE);
    StatePin.Attempt stale = w1.takeAndPinOrRead(FN, SVC, LOCK, r3, HELD, FREE);
    assertEquals(r4, stale.found().orElseThrow().version());
    long v = w2.readVersioned(SVC, LOCK).orElseThrow().version();
    assertTrue(w2.compareAndSet(SVC, LOCK, v, utf8("w2 by hand")));
    assertTrue(w1.takeAndPin(FN, SVC, LOCK, r4, HELD, FREE).isEmpty());
    assertEquals("w2 by hand", str(w1.read(SVC, LOCK).orElseThrow()), "nothing written");
  }

  /**
   * A take by another store than the last releaser: {@code readToTake} reserves the take's version
   * with the read, so the take is one statement; if the row moves between the read and the take,
   * the take writes nothing.
   */
  @Test
  void aTakeAfterAReadToTakeIsOneStatementAndWritesNothingIfTheRowMovedSinceTheRead() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    long r1 = w1.takeAndPin(FN, SVC, LOCK, 0, HELD, FREE).orElseThrow().pin().release(FREE);
    long seen = w2.readToTake(SVC, LOCK).orElseThrow().version();
    assertEquals(r1, seen);
    StatePin.Taken taken = w2.takeAndPin(FN, SVC, LOCK, seen, utf8("w2"), FREE).orElseThrow();
    assertEquals(1, w2.statePins().oneStatementTakes());
    assertTrue(taken.version() > seen);
    assertEquals("w2", str(w1.read(SVC, LOCK).orElseThrow()));
    w2.write(FN, "k", utf8("w2"));
    long r2 = taken.pin().release(FREE);

    long seenAgain = w2.readToTake(SVC, LOCK).orElseThrow().version();
    assertEquals(r2, seenAgain);
    long v = w1.readVersioned(SVC, LOCK).orElseThrow().version();
    assertTrue(w1.compareAndSet(SVC, LOCK, v, utf8("w1"))); // w1 takes it between read and take
    assertTrue(w2.takeAndPin(FN, SVC, LOCK, seenAgain, utf8("w2"), FREE).isEmpty());
    assertEquals(1, w2.statePins().oneStatementTakes());
    assertEquals("w1", str(w2.read(SVC, LOCK).orElseThrow()), "nothing written");
    assertEquals("w2", str(w1.read(FN, "k").orElseThrow()));
  }

  /**
   * The one-statement release compares the lock row byte for byte with what the take wrote: a row
   * taken over after a one-statement take (same holder's value, another version) refuses the run's
   * writes, and none of the statement's parts writes anything.
   */
  @Test
  void aOneStatementReleaseAfterATakeoverWritesNoneOfItsParts() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "gone", utf8("x"));
    long r1 = w1.takeAndPin(FN, SVC, LOCK, 0, HELD, FREE).orElseThrow().pin().release(FREE);
    StatePin stale = w1.takeAndPin(FN, SVC, LOCK, r1, HELD, FREE).orElseThrow().pin();
    w1.write(FN, "a", utf8("w1"));
    assertTrue(w1.delete(FN, "gone"));
    long usageBefore = w2.usage(FN).bytes();
    // w1 freezes past its lock; w2 takes the row over, writing the same value w1 wrote.
    long v = w2.readVersioned(SVC, LOCK).orElseThrow().version();
    assertTrue(w2.compareAndSet(SVC, LOCK, v, HELD));
    StorageFenceLostException e =
        assertThrows(StorageFenceLostException.class, () -> stale.release(FREE));
    assertTrue(e.getMessage().contains("taken over"), e.getMessage());
    assertTrue(stale.fenceLost());
    assertEquals(1, w1.statePins().oneStatementReleases(), "only the first release");
    assertFalse(w2.exists(FN, "a"));
    assertTrue(w2.exists(FN, "gone"));
    assertEquals(usageBefore, w2.usage(FN).bytes());
    assertEquals("held", str(w2.read(SVC, LOCK).orElseThrow()), "w2's take stands");
  }

  /**
   * A lock's take may be lost in a database crash and its version handed to another take: the fence
   * compares the row's value too, so a row at the right version holding another holder's value does
   * not let the run commit.
   */
  @Test
  void aFenceAtTheRightVersionButAnotherValueIsRefused() {
    PgStorage w1 = store();
    long v = w1.write(SVC, LOCK, utf8("held by w2"));
    StatePin p = w1.pin(FN, new StorageFence(SVC, LOCK, v, utf8("held by w1")));
    w1.write(FN, "k", utf8("w1"));
    assertThrows(StorageFenceLostException.class, () -> p.release(FREE));
    assertTrue(p.fenceLost());
    assertFalse(store().exists(FN, "k"));
    assertEquals("held by w2", str(store().read(SVC, LOCK).orElseThrow()));
  }

  @Test
  void aRunsWritesAreSeenByItsReadsAndLandOnlyWithItsRelease() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "b", utf8("old"));
    long version;
    try (StatePin p = w1.pin(FN, lock(w1))) {
      version = w1.write(FN, "a", utf8("apple"));
      assertTrue(w1.delete(FN, "b"));
      assertFalse(w1.delete(FN, "b"), "deleted by this run already");
      assertEquals("apple", str(w1.read(FN, "a").orElseThrow()));
      assertEquals(version, w1.readVersioned(FN, utf8("a")).orElseThrow().version());
      assertEquals(5, w1.size(FN, utf8("a")).orElseThrow());
      assertFalse(w1.exists(FN, "b"));
      assertEquals(List.of("a"), strs(w1.listKeys(FN, new byte[0], 10)));
      assertTrue(w2.read(FN, "a").isEmpty(), "another instance sees nothing before the release");
      assertEquals("old", str(w2.read(FN, "b").orElseThrow()));
      assertEquals(version, p.release(FREE));
    }
    assertEquals("apple", str(w2.read(FN, "a").orElseThrow()));
    assertEquals(version, w2.readVersioned(FN, utf8("a")).orElseThrow().version());
    assertFalse(w2.exists(FN, "b"));
    assertEquals(
        version,
        w2.readVersioned(SVC, LOCK).orElseThrow().version(),
        "the release and the writes are one commit");
    assertEquals("free", str(w2.read(SVC, LOCK).orElseThrow()));
    assertEquals(1, w2.usage(FN).keys());
  }

  @Test
  void aPinClosedWithoutItsReleaseWritesNothing() {
    PgStorage w1 = store();
    StatePin p = w1.pin(FN, lock(w1));
    w1.write(FN, "a", utf8("apple"));
    p.close();
    assertTrue(w1.read(FN, "a").isEmpty());
    assertThrows(IllegalStateException.class, () -> p.release(FREE));
    assertEquals("held", str(w1.read(SVC, LOCK).orElseThrow()));
  }

  @Test
  void theQuotaCountsTheRunsHeldWrites() {
    PgStorage w1 = store(StorageOptions.postgres(url).withFunctionQuota(new StorageQuota(1000, 2)));
    w1.write(FN, "a", utf8("1"));
    try (StatePin p = w1.pin(FN, lock(w1))) {
      w1.write(FN, "b", utf8("2"));
      StorageQuotaExceededException e =
          assertThrows(StorageQuotaExceededException.class, () -> w1.write(FN, "c", utf8("3")));
      assertTrue(e.getMessage().contains("3 keys"), e.getMessage());
      w1.write(FN, "b", utf8("22")); // a replacement adds no key
      w1.delete(FN, "a");
      w1.write(FN, "c", utf8("3"));
      assertThrows(StorageQuotaExceededException.class, () -> w1.write(FN, "d", new byte[1000]));
      p.release(FREE);
    }
    assertEquals(2, w1.usage(FN).keys());
    assertEquals(2 + 1 + 1 + 1, w1.usage(FN).bytes());
  }

  @Test
  void otherWritesOfAPinnedNamespaceAreRefusedDuringTheRun() {
    PgStorage w1 = store();
    try (StatePin p = w1.pin(FN, lock(w1))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  w1.commit(
                      io.nsl.storage.StorageBatch.builder().put(FN, utf8("x"), utf8("y")).build()));
      assertTrue(e.getMessage().contains("pinned"), e.getMessage());
      assertThrows(
          IllegalStateException.class, () -> w1.compareAndSet(FN, utf8("x"), 0, utf8("y")));
    }
    assertTrue(w1.read(FN, "x").isEmpty());
  }

  /**
   * A lock's take is committed lazily (decision 1010, "Durability of a take"): another instance
   * sees it at once, and the setting stays with its transaction, not with the pooled connection.
   */
  @Test
  void aLazyBatchIsSeenAtOnceAndLeavesTheConnectionSynchronous() {
    PgStorage w1 = store();
    long v = w1.commit(io.nsl.storage.StorageBatch.builder().lazy().put(SVC, LOCK, HELD).build());
    assertEquals(v, store().readVersioned(SVC, LOCK).orElseThrow().version());
    assertEquals(
        "on",
        w1.inQuery(
            "checking",
            c -> {
              try (var r = c.createStatement().executeQuery("show synchronous_commit")) {
                r.next();
                return r.getString(1);
              }
            }));
  }

  @Test
  void aNamespaceIsPinnedOnceAtATimeAndOnlyFunctionStateCanBe() {
    PgStorage w1 = store();
    StorageFence f = lock(w1);
    try (StatePin p = w1.pin(FN, f)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> w1.pin(FN, f));
      assertTrue(e.getMessage().contains("already pinned"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> w1.pin(SVC, f));
    w1.pin(FN, f).close(); // free again
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> strs(List<byte[]> keys) {
    return keys.stream().map(PostgresReadCacheIT::str).toList();
  }
}
