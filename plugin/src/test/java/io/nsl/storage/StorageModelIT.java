package io.nsl.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random operation sequences run against the store and against a {@link TreeMap} per namespace,
 * including close and reopen; after every step the store must answer what the model answers. The
 * seed changes every run, so each build explores new sequences; jqwik prints it with the smallest
 * failing sequence, and {@code @Property(seed = "...")} replays it.
 */
class StorageModelIT {
  // fn:a and fn:ab: one name is a prefix of the other, which a namespace delete must respect.
  private static final List<Namespace> NAMESPACES =
      List.of(
          Namespace.service(),
          Namespace.functionState("a"),
          Namespace.secrets(),
          Namespace.functionState("ab"));

  sealed interface Op permits Put, Del, Cas, Batch, StreamPut, Reopen, DropNamespace {}

  /** {@code deleteNamespace}: the model's map for it is cleared. */
  record DropNamespace(int ns) implements Op {}

  record Put(int ns, byte[] key, byte[] value) implements Op {
    @Override
    public String toString() {
      return "Put(" + ns + "," + Arrays.toString(key) + "," + value.length + "b)";
    }
  }

  record Del(int ns, byte[] key) implements Op {
    @Override
    public String toString() {
      return "Del(" + ns + "," + Arrays.toString(key) + ")";
    }
  }

  /** Compare-and-set with the current version ({@code stale=false}) or a wrong one. */
  record Cas(int ns, byte[] key, byte[] value, boolean stale) implements Op {
    @Override
    public String toString() {
      return "Cas("
          + ns
          + ","
          + Arrays.toString(key)
          + ","
          + value.length
          + "b,stale="
          + stale
          + ")";
    }
  }

  record Batch(List<Put> puts, List<Del> dels) implements Op {}

  record StreamPut(int ns, byte[] key, int size) implements Op {
    @Override
    public String toString() {
      return "StreamPut(" + ns + "," + Arrays.toString(key) + "," + size + "b)";
    }
  }

  record Reopen() implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    // Few distinct keys so that operations collide; keys share prefixes for listKeys.
    Arbitrary<byte[]> keys =
        Arbitraries.of(
            new byte[] {1},
            new byte[] {1, 2},
            new byte[] {1, 3},
            new byte[] {2},
            new byte[] {(byte) 0xff});
    Arbitrary<Integer> ns = Arbitraries.integers().between(0, NAMESPACES.size() - 1);
    Arbitrary<byte[]> values =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
            Arbitraries.integers().between(0, 3000).map(n -> new byte[n]));
    Arbitrary<Put> put = Combinators.combine(ns, keys, values).as(Put::new);
    Arbitrary<Del> del = Combinators.combine(ns, keys).as(Del::new);
    Arbitrary<Op> cas =
        Combinators.combine(ns, keys, values, Arbitraries.of(true, false)).as(Cas::new);
    Arbitrary<Op> batch =
        Combinators.combine(put.list().ofMaxSize(3), del.list().ofMaxSize(2)).as(Batch::new);
    Arbitrary<Op> stream =
        Combinators.combine(ns, keys, Arbitraries.integers().between(0, 700)).as(StreamPut::new);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, put.map(p -> (Op) p)),
            net.jqwik.api.Tuple.of(3, del.map(d -> (Op) d)),
            net.jqwik.api.Tuple.of(2, cas),
            net.jqwik.api.Tuple.of(2, batch),
            net.jqwik.api.Tuple.of(1, stream),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())),
            net.jqwik.api.Tuple.of(1, ns.map(i -> (Op) new DropNamespace(i))));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 60, shrinking = ShrinkingMode.FULL)
  void encryptedStoreBehavesLikeSortedMap(@ForAll("ops") List<Op> ops) {
    run(ops, true);
  }

  @Property(tries = 30, shrinking = ShrinkingMode.FULL)
  void plainStoreBehavesLikeSortedMap(@ForAll("ops") List<Op> ops) {
    run(ops, false);
  }

  private void run(List<Op> ops, boolean encrypted) {
    Path dir;
    try {
      dir = Files.createTempDirectory("nsl-model");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      runAgainst(ops, StorageOptions.defaults(dir).withEncrypted(encrypted));
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Runs {@code ops} on the store {@code base} names (an empty one: the model starts empty) and on
   * the model; the engine's subclass-free entry point ({@code PostgresStorageModelIT}).
   */
  static void runAgainst(List<Op> ops, StorageOptions base) {
    // Small chunks so streams of a few hundred bytes span several chunks.
    StorageOptions options = base.withLimits(new StorageLimits(64, 4096, 1 << 20, 128));
    List<TreeMap<byte[], byte[]>> model = new ArrayList<>();
    for (int i = 0; i < NAMESPACES.size(); i++) {
      model.add(new TreeMap<>(Arrays::compareUnsigned));
    }
    PersistentStorageService store =
        PersistentStorageService.initialise(options, TestStores.fixedKey(3));
    try {
      for (Op op : ops) {
        switch (op) {
          case Put p -> {
            store.write(NAMESPACES.get(p.ns()), p.key(), p.value());
            model.get(p.ns()).put(p.key(), p.value());
          }
          case Del d -> {
            boolean existed = store.delete(NAMESPACES.get(d.ns()), d.key());
            assertEquals(model.get(d.ns()).remove(d.key()) != null, existed, "delete " + d);
          }
          case Cas c -> {
            Namespace n = NAMESPACES.get(c.ns());
            long current = store.readVersioned(n, c.key()).map(VersionedValue::version).orElse(0L);
            long expected = c.stale() ? current + 1 : current;
            boolean written = store.compareAndSet(n, c.key(), expected, c.value());
            assertEquals(!c.stale(), written, "cas " + c);
            if (written) {
              model.get(c.ns()).put(c.key(), c.value());
            }
          }
          case Batch b -> {
            if (b.puts().isEmpty() && b.dels().isEmpty()) {
              continue;
            }
            StorageBatch.Builder builder = StorageBatch.builder();
            b.puts().forEach(p -> builder.put(NAMESPACES.get(p.ns()), p.key(), p.value()));
            b.dels().forEach(d -> builder.delete(NAMESPACES.get(d.ns()), d.key()));
            store.commit(builder.build());
            b.puts().forEach(p -> model.get(p.ns()).put(p.key(), p.value()));
            b.dels().forEach(d -> model.get(d.ns()).remove(d.key()));
          }
          case StreamPut s -> {
            byte[] v = new byte[s.size()];
            new java.util.Random(s.size()).nextBytes(v);
            try (StorageWriteStream out = store.openWriteStream(NAMESPACES.get(s.ns()), s.key())) {
              out.write(v);
            }
            model.get(s.ns()).put(s.key(), v);
          }
          case DropNamespace d -> {
            Namespace n = NAMESPACES.get(d.ns());
            TreeMap<byte[], byte[]> m = model.get(d.ns());
            long bytes =
                m.entrySet().stream().mapToLong(e -> e.getKey().length + e.getValue().length).sum();
            StorageUsage removed = store.deleteNamespace(n);
            if (n.isFunctionState()) {
              assertEquals(new StorageUsage(bytes, m.size()), removed, "removed from " + n);
            } else {
              assertEquals(m.size(), removed.keys(), "keys removed from " + n);
            }
            m.clear();
          }
          case Reopen r -> {
            store.close();
            store = PersistentStorageService.initialise(options, TestStores.fixedKey(3));
          }
        }
        check(store, model);
      }
    } finally {
      store.close();
    }
  }

  private static void check(PersistentStorageService store, List<TreeMap<byte[], byte[]>> model) {
    for (int i = 0; i < NAMESPACES.size(); i++) {
      Namespace n = NAMESPACES.get(i);
      TreeMap<byte[], byte[]> m = model.get(i);
      List<byte[]> keys = store.listKeys(n, new byte[0], 100);
      assertEquals(m.size(), keys.size(), "key count in " + n);
      int j = 0;
      for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
        assertArrayEquals(e.getKey(), keys.get(j++), "key order in " + n);
        assertArrayEquals(e.getValue(), store.read(n, e.getKey()).orElseThrow(), "value in " + n);
        assertEquals(e.getValue().length, store.size(n, e.getKey()).orElseThrow());
      }
      List<byte[]> withPrefix = store.listKeys(n, new byte[] {1}, 100);
      assertEquals(
          m.keySet().stream().filter(k -> k[0] == 1).count(), withPrefix.size(), "prefix in " + n);
      if (n.isFunctionState()) {
        long bytes =
            m.entrySet().stream().mapToLong(e -> e.getKey().length + e.getValue().length).sum();
        assertEquals(new StorageUsage(bytes, m.size()), store.usage(n), "usage of " + n);
      }
      for (byte[] k : m.keySet()) {
        try (InputStream in = store.openReadStream(n, k).orElseThrow()) {
          assertArrayEquals(m.get(k), in.readAllBytes());
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
