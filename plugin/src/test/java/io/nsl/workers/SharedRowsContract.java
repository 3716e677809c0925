package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link SharedRows} must do; one subclass per implementation. */
abstract class SharedRowsContract {
  abstract SharedRows rows();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keysAreExactlyThoseOfAScanUnderThePrefix() {
    SharedRows r = rows();
    r.put("claim/1", b("a"));
    r.put("claim/22", b("b"));
    r.put("lease/w1", b("c"));
    assertEquals(r.scan("claim/").keySet(), r.keys("claim/"));
    assertEquals(java.util.Set.of("claim/1", "claim/22"), r.keys("claim/"));
    r.delete("claim/1");
    assertEquals(java.util.Set.of("claim/22"), r.keys("claim/"));
  }

  @Test
  void putIfVersionZeroWritesOnlyWhenAbsent() {
    SharedRows r = rows();
    assertTrue(r.putIfVersion("claim/1", 0, b("a")));
    assertFalse(r.putIfVersion("claim/1", 0, b("b")));
    assertArrayEquals(b("a"), r.get("claim/1").orElseThrow().value());
  }

  @Test
  void putIfVersionRefusesAStaleVersion() {
    SharedRows r = rows();
    r.put("lock/f", b("a"));
    long v = r.get("lock/f").orElseThrow().version();
    assertTrue(v > 0);
    assertTrue(r.putIfVersion("lock/f", v, b("b")));
    assertFalse(r.putIfVersion("lock/f", v, b("c")), "the version moved with the last write");
    assertArrayEquals(b("b"), r.get("lock/f").orElseThrow().value());
  }

  @Test
  void swapIfVersionAnswersTheVersionItWroteOrZero() {
    SharedRows r = rows();
    long v1 = r.swapIfVersion("lock/g", 0, b("a"));
    assertTrue(v1 > 0);
    assertEquals(v1, r.get("lock/g").orElseThrow().version());
    assertEquals(0, r.swapIfVersion("lock/g", 0, b("b")), "present: nothing written");
    long v2 = r.swapIfVersion("lock/g", v1, b("c"));
    assertTrue(v2 > v1);
    assertEquals(0, r.swapIfVersion("lock/g", v1, b("d")), "a stale version");
    assertArrayEquals(b("c"), r.get("lock/g").orElseThrow().value());
  }

  @Test
  void scanSeesOnlyItsPrefixInKeyOrder() {
    SharedRows r = rows();
    r.put("lease/b", b("2"));
    r.put("lease/a", b("1"));
    r.put("claim/9", b("x"));
    assertEquals(List.of("lease/a", "lease/b"), List.copyOf(r.scan("lease/").keySet()));
    r.delete("lease/a");
    r.delete("lease/none");
    assertEquals(List.of("lease/b"), List.copyOf(r.scan("lease/").keySet()));
  }

  @Test
  void deleteIfVersionRemovesOnlyTheVersionRead() {
    SharedRows r = rows();
    r.put("api/nonce/k", b("1"));
    long v = r.get("api/nonce/k").orElseThrow().version();
    r.put("api/nonce/k", b("2")); // rewritten after it was read
    assertFalse(r.deleteIfVersion("api/nonce/k", v));
    assertTrue(r.get("api/nonce/k").isPresent());
    assertTrue(r.deleteIfVersion("api/nonce/k", r.get("api/nonce/k").orElseThrow().version()));
    assertTrue(r.get("api/nonce/k").isEmpty());
  }

  @Test
  void swapAllWritesEveryRowAtOneVersionOrNone() {
    SharedRows r = rows();
    r.put("claim/2", b("old"));
    long v2 = r.get("claim/2").orElseThrow().version();
    java.util.Map<String, Long> expected = new java.util.TreeMap<>();
    java.util.Map<String, byte[]> values = new java.util.TreeMap<>();
    expected.put("claim/1", 0L);
    values.put("claim/1", b("a"));
    expected.put("claim/2", v2 + 1); // stale: nothing may be written
    values.put("claim/2", b("b"));
    assertEquals(0, r.swapAllIfVersions(expected, values));
    assertTrue(r.get("claim/1").isEmpty(), "all or nothing");
    assertArrayEquals(b("old"), r.get("claim/2").orElseThrow().value());
    expected.put("claim/2", v2);
    long v = r.swapAllIfVersions(expected, values);
    assertTrue(v > v2);
    assertEquals(v, r.get("claim/1").orElseThrow().version());
    assertEquals(v, r.get("claim/2").orElseThrow().version());
    assertArrayEquals(b("b"), r.get("claim/2").orElseThrow().value());
  }

  @Test
  void deleteAllRemovesEveryRowAtItsVersionOrNone() {
    SharedRows r = rows();
    r.put("claim/1", b("a"));
    r.put("claim/2", b("b"));
    long v1 = r.get("claim/1").orElseThrow().version();
    long v2 = r.get("claim/2").orElseThrow().version();
    r.put("claim/2", b("c")); // moved since it was read
    assertFalse(r.deleteAllIfVersions(java.util.Map.of("claim/1", v1, "claim/2", v2)));
    assertEquals(java.util.Set.of("claim/1", "claim/2"), r.keys("claim/"), "all or nothing");
    long v2now = r.get("claim/2").orElseThrow().version();
    assertTrue(r.deleteAllIfVersions(java.util.Map.of("claim/1", v1, "claim/2", v2now)));
    assertEquals(java.util.Set.of(), r.keys("claim/"));
  }

  /**
   * A function lock's take that finds the row moved on answers the row as it stands (the store may
   * read it in the take's own round trip), and writes nothing; a take at the version found follows.
   */
  @Test
  void aTakeOrReadTakesAtItsVersionOrAnswersTheRowAsItStandsAndWritesNothing() {
    SharedRows r = rows();
    SharedRows.Attempt first =
        r.swapLazilyAndPinStateOrRead("f", "lock/f", 0, b("held"), b("free"));
    io.nsl.storage.StatePin.Taken taken = first.taken().orElseThrow();
    assertTrue(first.found().isEmpty());
    assertEquals(taken.version(), r.get("lock/f").orElseThrow().version());
    taken.pin().close();

    SharedRows.Attempt moved = r.swapLazilyAndPinStateOrRead("f", "lock/f", 0, b("x"), b("free"));
    assertTrue(moved.taken().isEmpty());
    SharedRows.Row found = moved.found().orElseThrow();
    assertEquals(taken.version(), found.version());
    assertArrayEquals(b("held"), found.value());
    assertArrayEquals(b("held"), r.get("lock/f").orElseThrow().value(), "nothing written");

    SharedRows.Attempt absent =
        r.swapLazilyAndPinStateOrRead("g", "lock/g", found.version(), b("x"), b("free"));
    assertTrue(absent.taken().isEmpty());
    assertTrue(absent.found().isEmpty(), "no row: found nothing");
    assertTrue(r.get("lock/g").isEmpty());

    SharedRows.Attempt next =
        r.swapLazilyAndPinStateOrRead("f", "lock/f", found.version(), b("next"), b("free"));
    io.nsl.storage.StatePin.Taken again = next.taken().orElseThrow();
    assertTrue(again.version() > found.version());
    assertArrayEquals(b("next"), r.get("lock/f").orElseThrow().value());
    again.pin().close();
  }

  @Test
  void concurrentCompareAndSetLetsExactlyOneWin() throws InterruptedException {
    SharedRows r = rows();
    AtomicInteger wins = new AtomicInteger();
    List<Thread> ts = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      ts.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    if (r.putIfVersion("claim/7", 0, b("w" + n))) {
                      wins.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : ts) {
      t.join();
    }
    assertEquals(1, wins.get());
  }
}
