package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.js.FunctionStateStore;
import io.nsl.js.StateQuotaExceededException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FunctionStateStore} must do, so that a function run in the simulator (on {@code
 * InMemoryFunctionStateStore}) sees what it would see in the service (on the storage adapter): the
 * same refusals with the same exception types (an empty key or one over 1 KiB of UTF-8; a value
 * over 1 MiB; the byte quota counted in UTF-8 key bytes plus value bytes; the key quota), and
 * listings in UTF-8 byte order. A property (seed changes every run; jqwik prints it on failure, pin
 * it with {@code @Property(seed = "...")} to replay) compares random operations with a {@link
 * TreeMap} ordered by UTF-8 bytes.
 */
abstract class FunctionStateStoreContract {
  static final int MAX_KEY_BYTES = 1024;
  static final int MAX_VALUE_BYTES = 1 << 20;

  /** A store open until {@link #close}. */
  interface Fixture extends AutoCloseable {
    FunctionStateStore store();

    @Override
    void close();
  }

  /** An empty store with this quota and the default size limits (1 KiB keys, 1 MiB values). */
  abstract Fixture open(long quotaBytes, long maxKeys);

  private final List<Fixture> opened = new ArrayList<>();

  private FunctionStateStore store(long quotaBytes, long maxKeys) {
    Fixture f = open(quotaBytes, maxKeys);
    opened.add(f);
    return f.store();
  }

  private FunctionStateStore store() {
    return store(8L << 20, 10_000);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Fixture::close);
    opened.clear();
  }

  @Test
  void readsWhatWasPutAndForgetsWhatWasDeleted() {
    FunctionStateStore s = store();
    assertTrue(s.get("a").isEmpty());
    s.put("a", utf8("1"));
    s.put("a", utf8("22"));
    assertEquals("22", str(s.get("a").orElseThrow()));
    assertTrue(s.delete("a"));
    assertFalse(s.delete("a"));
    assertTrue(s.get("a").isEmpty());
  }

  @Test
  void keepsACopyOfWhatItWasGiven() {
    FunctionStateStore s = store();
    byte[] v = utf8("before");
    s.put("k", v);
    v[0] = 'X';
    s.get("k").orElseThrow()[0] = 'Y';
    assertEquals("before", str(s.get("k").orElseThrow()));
  }

  @Test
  void storesAnEmptyValue() {
    FunctionStateStore s = store();
    s.put("k", new byte[0]);
    assertArrayEquals(new byte[0], s.get("k").orElseThrow());
  }

  @Test
  void refusesAnEmptyKeyEverywhere() {
    FunctionStateStore s = store();
    assertThrows(IllegalArgumentException.class, () -> s.put("", utf8("v")));
    assertThrows(IllegalArgumentException.class, () -> s.get(""));
    assertThrows(IllegalArgumentException.class, () -> s.delete(""));
    assertEquals(List.of(), s.list("", 10));
  }

  @Test
  void refusesAKeyWithALoneSurrogateInsteadOfAliasingQuestionMark() {
    FunctionStateStore s = store();
    s.put("a?", utf8("question mark"));
    var e = assertThrows(IllegalArgumentException.class, () -> s.put("a\ud800", utf8("v")));
    assertTrue(e.getMessage().contains("lone surrogate U+D800"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.get("a\udc00"));
    assertThrows(IllegalArgumentException.class, () -> s.delete("a\ud800"));
    assertEquals("question mark", str(s.get("a?").orElseThrow()));
  }

  @Test
  void refusesAKeyOverOneKibOfUtf8() {
    FunctionStateStore s = store();
    String fits = "é".repeat(MAX_KEY_BYTES / 2); // 512 characters, 1,024 bytes
    s.put(fits, utf8("v"));
    assertEquals("v", str(s.get(fits).orElseThrow()));
    String tooLong = "é".repeat(MAX_KEY_BYTES / 2) + "x"; // 513 characters, 1,025 bytes
    var e = assertThrows(IllegalArgumentException.class, () -> s.put(tooLong, utf8("v")));
    assertTrue(e.getMessage().contains("1025 bytes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.get(tooLong));
    assertThrows(IllegalArgumentException.class, () -> s.delete(tooLong));
    assertEquals(List.of(fits), s.list("", 10));
  }

  @Test
  void refusesAValueOverOneMib() {
    FunctionStateStore s = store();
    s.put("fits", new byte[MAX_VALUE_BYTES]);
    var e =
        assertThrows(
            StateQuotaExceededException.class, () -> s.put("big", new byte[MAX_VALUE_BYTES + 1]));
    assertTrue(e.getMessage().contains(Integer.toString(MAX_VALUE_BYTES + 1)), e.getMessage());
    assertTrue(s.get("big").isEmpty());
  }

  @Test
  void countsTheQuotaInUtf8KeyBytes() {
    // "ü" is one character and two bytes: key 2 + value 8 = 10 bytes, exactly the quota.
    FunctionStateStore s = store(10, 100);
    s.put("ü", new byte[8]);
    FunctionStateStore t = store(10, 100);
    assertThrows(StateQuotaExceededException.class, () -> t.put("ü", new byte[9]));
    assertTrue(t.get("ü").isEmpty());
  }

  @Test
  void refusesAWriteOverTheByteQuotaAndWritesNothing() {
    FunctionStateStore s = store(20, 100);
    s.put("a", new byte[9]); // 10
    s.put("b", new byte[9]); // 20
    var e = assertThrows(StateQuotaExceededException.class, () -> s.put("c", new byte[0]));
    assertTrue(e.getMessage().contains("quota"), e.getMessage());
    assertTrue(s.get("c").isEmpty());
    assertThrows(StateQuotaExceededException.class, () -> s.put("a", new byte[10]));
    assertEquals(9, s.get("a").orElseThrow().length);
    s.put("a", new byte[1]); // shrinking is always allowed
    s.put("c", new byte[7]);
    assertTrue(s.delete("b"));
    s.put("d", new byte[9]);
  }

  @Test
  void refusesAKeyOverTheKeyQuota() {
    FunctionStateStore s = store(1 << 20, 3);
    s.put("a", utf8("1"));
    s.put("b", utf8("1"));
    s.put("c", utf8("1"));
    assertThrows(StateQuotaExceededException.class, () -> s.put("d", utf8("1")));
    assertTrue(s.get("d").isEmpty());
    s.put("c", utf8("replacing a key adds none"));
    assertTrue(s.delete("a"));
    s.put("d", utf8("1"));
    assertEquals(List.of("b", "c", "d"), s.list("", 10));
  }

  @Test
  void listsByPrefixInUtf8ByteOrderUpToTheLimit() {
    FunctionStateStore s = store();
    // U+1F600 (non-BMP, a surrogate pair in Java) sorts after U+FFFD in UTF-8 but before it in
    // String.compareTo; the service's store orders by bytes.
    for (String k : List.of("p/2", "p/10", "p/\uFFFD", "p/\uD83D\uDE00", "p/1", "q", "p", "o/9")) {
      s.put(k, utf8("v"));
    }
    assertEquals(List.of("p/1", "p/10", "p/2", "p/\uFFFD", "p/\uD83D\uDE00"), s.list("p/", 100));
    assertEquals(List.of("p/1", "p/10"), s.list("p/", 2));
    assertEquals(List.of(), s.list("p/", 0));
    assertEquals(List.of("p/\uD83D\uDE00"), s.list("p/\uD83D\uDE00", 100));
    assertEquals(8, s.list("", 100).size());
    assertEquals(List.of(), s.list("z", 100));
  }

  @Test
  void refusesANegativeListLimit() {
    FunctionStateStore s = store();
    assertThrows(IllegalArgumentException.class, () -> s.list("", -1));
  }

  // ------------------------------------------------------------------ model

  /** One operation of the model test. */
  sealed interface Op permits Put, Delete, Get, ListKeys {}

  record Put(String key, int size) implements Op {}

  record Delete(String key) implements Op {}

  record Get(String key) implements Op {}

  record ListKeys(String prefix, int limit) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    // Few keys that share prefixes and mix one-, two-, three- and four-byte characters, so
    // operations collide, listings cut between them, and byte order differs from char order.
    Arbitrary<String> keys =
        Arbitraries.of("a", "a/1", "a/10", "a/2", "a/é", "a/\uFFFD", "a/\uD83D\uDE00", "b", "€");
    Arbitrary<String> prefixes = Arbitraries.of("", "a", "a/", "a/1", "b", "\uD83D\uDE00");
    Arbitrary<Op> put =
        Combinators.combine(keys, Arbitraries.integers().between(0, 16)).as(Put::new);
    Arbitrary<Op> delete = keys.map(Delete::new);
    Arbitrary<Op> get = keys.map(Get::new);
    Arbitrary<Op> list =
        Combinators.combine(prefixes, Arbitraries.integers().between(0, 10)).as(ListKeys::new);
    return Arbitraries.oneOf(put, put, delete, get, list).list().ofMinSize(1).ofMaxSize(40);
  }

  /** Quota of 50 bytes and 5 keys: small enough that random puts reach both. */
  @Property(tries = 100, shrinking = ShrinkingMode.FULL)
  void behavesLikeASortedMapWithAQuota(@ForAll("ops") List<Op> ops) {
    try (Fixture f = open(50, 5)) {
      FunctionStateStore s = f.store();
      TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
      List<Op> done = new ArrayList<>();
      for (Op op : ops) {
        done.add(op);
        switch (op) {
          case Put p -> {
            byte[] k = utf8(p.key());
            byte[] v = new byte[p.size()];
            Arrays.fill(v, (byte) done.size());
            byte[] old = model.get(k);
            long bytes = used(model) + (old == null ? k.length + v.length : v.length - old.length);
            long keys = model.size() + (old == null ? 1 : 0);
            boolean grows = old == null ? true : v.length > old.length;
            boolean refused = (grows && bytes > 50) || (old == null && keys > 5);
            if (refused) {
              assertThrows(StateQuotaExceededException.class, () -> s.put(p.key(), v), "" + done);
            } else {
              s.put(p.key(), v);
              model.put(k, v);
            }
          }
          case Delete d ->
              assertEquals(model.remove(utf8(d.key())) != null, s.delete(d.key()), "" + done);
          case Get g -> {
            Optional<byte[]> got = s.get(g.key());
            byte[] want = model.get(utf8(g.key()));
            assertEquals(want != null, got.isPresent(), "" + done);
            got.ifPresent(v -> assertArrayEquals(want, v, "" + done));
          }
          case ListKeys l -> {
            byte[] p = utf8(l.prefix());
            List<String> want =
                model.tailMap(p, true).keySet().stream()
                    .takeWhile(
                        k -> k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length))
                    .limit(l.limit())
                    .map(FunctionStateStoreContract::str)
                    .toList();
            assertEquals(want, s.list(l.prefix(), l.limit()), "" + done);
          }
        }
      }
    }
  }

  private static long used(TreeMap<byte[], byte[]> model) {
    long n = 0;
    for (var e : model.entrySet()) {
      n += e.getKey().length + e.getValue().length;
    }
    return n;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
