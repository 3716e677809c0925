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
 * The read cache and the fence of pinned namespaces, with two store instances on one database as
 * two workers would have: what one instance writes (or an administrator edits with SQL) is seen by
 * the other at its next pin, and a write under a fence whose lock row moved is refused.
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
    PgStorage s =
        (PgStorage) PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    open.add(s);
    return s;
  }

  /** Takes the "lock" as a worker would: a new version of the lock row, the fence. */
  private static StorageFence lock(PersistentStorageService s) {
    return new StorageFence(SVC, LOCK, s.write(SVC, LOCK, utf8("held")));
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
    try (StatePin p = w2.pin(FN, lock(w2))) {
      w2.write(FN, "k", utf8("two"));
      w2.write(FN, "new", utf8("n"));
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
  void aWriteUnderAFenceWhoseLockMovedIsRefusedAndNothingIsWritten() {
    PgStorage w1 = store();
    PgStorage w2 = store();
    w1.write(FN, "k", utf8("before"));
    StatePin stale = w1.pin(FN, lock(w1));
    assertEquals("before", str(w1.read(FN, "k").orElseThrow()));
    // w1 freezes; its lock lapses and w2 takes it over and writes.
    try (StatePin p = w2.pin(FN, lock(w2))) {
      w2.write(FN, "k", utf8("w2"));
    }
    StorageFenceLostException e =
        assertThrows(StorageFenceLostException.class, () -> w1.write(FN, "k", utf8("w1")));
    assertTrue(e.getMessage().contains("taken over"), e.getMessage());
    assertTrue(stale.fenceLost());
    stale.close();
    assertEquals("w2", str(w2.read(FN, "k").orElseThrow()));
    try (StatePin p = w1.pin(FN, lock(w1))) {
      assertEquals("w2", str(w1.read(FN, "k").orElseThrow()), "no stale read after the pin");
      w1.write(FN, "k", utf8("w1 again"));
      assertFalse(p.fenceLost());
    }
    assertEquals("w1 again", str(w2.read(FN, "k").orElseThrow()));
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
