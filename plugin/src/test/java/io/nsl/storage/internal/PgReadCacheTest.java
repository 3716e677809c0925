package io.nsl.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The read cache's bookkeeping: stamps, own writes, and its memory bound. */
class PgReadCacheTest {
  private static final byte[] NS_A = b("ns-a");
  private static final byte[] NS_B = b("ns-b");

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static PgReadCache.Entry v(String s, long version) {
    return new PgReadCache.Entry(b(s), version);
  }

  @Test
  void anotherStampDropsWhatWasCached() {
    PgReadCache c = new PgReadCache(1 << 20);
    assertFalse(c.validate(NS_A, 7));
    c.put(NS_A, b("k"), v("x", 3));
    c.unpin(NS_A);
    assertTrue(c.validate(NS_A, 7));
    assertArrayEquals(b("x"), c.get(NS_A, b("k")).orElseThrow().value());
    c.unpin(NS_A);
    assertFalse(c.validate(NS_A, 8), "someone wrote the namespace");
    assertTrue(c.get(NS_A, b("k")).isEmpty());
  }

  @Test
  void ownWritesAdvanceTheStampOnlyWhenNobodyWroteBetween() {
    PgReadCache c = new PgReadCache(1 << 20);
    c.validate(NS_A, 5);
    c.put(NS_A, b("a"), v("1", 1));
    c.putKeys(NS_A, List.of(b("a")));
    c.wrote(NS_A, 5, 9, Map.of(ByteBuffer.wrap(b("b")), v("2", 9)), Set.of());
    assertArrayEquals(b("1"), c.get(NS_A, b("a")).orElseThrow().value());
    assertEquals(9, c.get(NS_A, b("b")).orElseThrow().version());
    assertEquals(List.of("a", "b"), c.keys(NS_A).orElseThrow().stream().map(String::new).toList());
    assertFalse(c.get(NS_A, b("zz")).orElseThrow().exists(), "listed whole: absent");
    c.wrote(NS_A, 10, 12, Map.of(ByteBuffer.wrap(b("c")), v("3", 12)), Set.of());
    assertTrue(c.get(NS_A, b("a")).isEmpty(), "stamp 10 is not the cached 9: all dropped");
    c.unpin(NS_A);
    assertTrue(c.validate(NS_A, 12), "caching restarted at the stamp after the write");
  }

  @Test
  void theBoundEvictsTheLeastRecentlyPinnedAndStopsAPinnedNamespaceGrowing() {
    int entry = 1 + 100 + PgReadCache.ENTRY_OVERHEAD; // key, value, overhead
    PgReadCache c = new PgReadCache(3L * entry);
    String hundred = "v".repeat(100);
    c.validate(NS_A, 1);
    c.put(NS_A, b("1"), v(hundred, 1));
    c.put(NS_A, b("2"), v(hundred, 1));
    c.unpin(NS_A);
    c.validate(NS_B, 1);
    c.put(NS_B, b("1"), v(hundred, 1));
    c.put(NS_B, b("2"), v(hundred, 1)); // needs room: A, unpinned, goes
    assertEquals(2L * entry, c.bytes());
    assertFalse(c.validate(NS_A, 1), "A was evicted");
    c.unpin(NS_A);
    c.put(NS_B, b("3"), v(hundred, 1));
    c.put(NS_B, b("4"), v(hundred, 1)); // B is pinned and alone fills the bound
    assertTrue(c.bytes() <= 3L * entry, "bytes " + c.bytes());
    assertTrue(c.get(NS_B, b("4")).isEmpty(), "not cached: read from the database again");
  }

  @Test
  void zeroTurnsTheCacheOffAndANegativeBoundIsRefused() {
    PgReadCache c = new PgReadCache(0);
    c.validate(NS_A, 1);
    c.put(NS_A, b("k"), v("x", 1));
    assertTrue(c.get(NS_A, b("k")).isEmpty());
    assertEquals(0, c.bytes());
    assertThrows(IllegalArgumentException.class, () -> new PgReadCache(-1));
  }
}
