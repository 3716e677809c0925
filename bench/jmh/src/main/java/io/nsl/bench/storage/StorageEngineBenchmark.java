package io.nsl.bench.storage;

import io.nsl.devnet.LocalPostgres;
import io.nsl.pipeline.FunctionLocks;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageOptions;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RocksDB against PostgreSQL for what a function's state and a fulfilment do to the store (issue
 * 19): read and write a 1 KiB value of a function's state, list a function's 100 keys, and commit a
 * batch of 10 puts across two namespaces. Both engines as in production: sealed, compressed,
 * durable (fsync per RocksDB write; synchronous commit on PostgreSQL). PostgreSQL is the machine's
 * own ({@link LocalPostgres}, a fresh server on loopback), or the server {@code NSL_BENCH_PG_URL}
 * names. One thread: each operation's latency decides its rate.
 *
 * <p>Engines: {@code rocksdb}; {@code postgresql} without the read cache ({@code readCacheBytes}
 * 0); {@code postgresql-cached} with it, where get and list run with the function's state pinned
 * for the whole iteration (as one long run holding the lock: reads from memory); put and batch run
 * unpinned there too (a pinned run's writes are held until its release, which {@link #functionRun}
 * measures). {@link #functionRun} is what one request does to its function's state: take the
 * function's lock, read 3 values, write 1, release: on RocksDB (one process) the lock is {@link
 * FunctionLocks#IN_PROCESS} and the put is synced at once; on PostgreSQL the shared lock row of
 * several workers ({@link SharedFunctionLocks}, which pins the state while held: the put is held
 * and committed with the release), with and without the cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StorageEngineBenchmark {
  private static final int KEYS = 100;
  private static final Namespace FN = Namespace.functionState("bench");
  private static final Namespace SVC = Namespace.service();

  @Param({"rocksdb", "postgresql", "postgresql-cached"})
  public String engine;

  private StatePin pin = StatePin.NONE;
  private FunctionLocks locks = FunctionLocks.IN_PROCESS;

  private Path dir;
  private LocalPostgres server;
  private PersistentStorageService store;
  private byte[][] values;
  private long counter;

  @Setup(Level.Trial)
  public void open() throws IOException {
    StorageOptions o;
    if (engine.equals("rocksdb")) {
      dir = Files.createTempDirectory("nsl-bench");
      o = StorageOptions.defaults(dir);
    } else {
      String url = System.getenv("NSL_BENCH_PG_URL");
      if (url == null) {
        server = LocalPostgres.start("bench");
        url = server.storeUrl();
      }
      o = StorageOptions.postgres(url);
      if (!engine.equals("postgresql-cached")) {
        o = o.withReadCacheBytes(0);
      }
    }
    Random r = new Random(1);
    values = new byte[64][1024];
    for (byte[] v : values) {
      r.nextBytes(v);
    }
    store = PersistentStorageService.initialise(o, StorageEngineBenchmark::key32);
    for (int i = 0; i < KEYS; i++) {
      store.write(FN, key(i), values[i & 63]);
    }
    if (!engine.equals("rocksdb")) {
      StorageSharedRows rows = new StorageSharedRows(store);
      WorkerRegistry registry =
          new WorkerRegistry(rows, "bench", "ab", WorkerRegistry.Timing.DEFAULT, Clock.systemUTC());
      registry.heartbeat();
      locks = new SharedFunctionLocks(rows, registry, Duration.ofMinutes(10), Clock.systemUTC());
    }
  }

  /** The reads on the cached engine run pinned, as inside one long locked run. */
  @Setup(Level.Iteration)
  public void pinForIteration(org.openjdk.jmh.infra.BenchmarkParams params) {
    String b = params.getBenchmark();
    if (engine.equals("postgresql-cached")
        && (b.endsWith("get1KiB") || b.endsWith("list100Keys"))) {
      byte[] lockRow = "workers/lock/bench-run".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      long v = store.write(SVC, lockRow, new byte[] {1});
      pin = store.pin(FN, new StorageFence(SVC, lockRow, v, new byte[] {1}));
    }
  }

  @TearDown(Level.Iteration)
  public void unpin() {
    pin.close();
    pin = StatePin.NONE;
  }

  private static byte[] key32(String purpose) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 1);
    return k;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    pin.close();
    store.close();
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] key(long i) {
    return ("state/" + (i % KEYS)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] get1KiB() {
    long i = counter++;
    return store.read(FN, key(i * 31)).orElseThrow();
  }

  @Benchmark
  public long put1KiB() {
    long i = counter++;
    return store.write(FN, key(i * 31), values[(int) (i & 63)]);
  }

  @Benchmark
  public List<byte[]> list100Keys() {
    return store.listKeys(FN, "state/".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1000);
  }

  /** A fulfilment's shape: 9 state puts and a service record, one atomic batch. */
  @Benchmark
  public long batchOf10() {
    long i = counter++;
    StorageBatch.Builder b = StorageBatch.builder();
    for (int j = 0; j < 9; j++) {
      b.put(FN, key(i * 9 + j), values[(int) ((i + j) & 63)]);
    }
    b.put(SVC, ByteBuffer.allocate(8).putLong(i & 1023).array(), values[(int) (i & 63)]);
    return store.commit(b.build());
  }

  /** A signed answer's size with a short result: the record a run commits with its release. */
  private static final int ANSWER_BYTES = 85 + 100;

  /**
   * One request's use of its function's state: lock, 3 gets, 1 put, unlock, with the request's
   * answer recorded in the release (decision 1010, "A run's answer recorded with its release"; a
   * record per run, never removed here: the records of ended requests go 10 minutes later).
   */
  @Benchmark
  public long functionRun() throws InterruptedException {
    long i = counter++;
    try (FunctionLocks.Held held = locks.acquire("bench", Duration.ofSeconds(10)).orElseThrow()) {
      long n = 0;
      for (int j = 0; j < 3; j++) {
        n += store.read(FN, key(i * 3 + j)).orElseThrow().length;
      }
      n += store.write(FN, key(i * 7), values[(int) (i & 63)]);
      held.recordAnswer(runBase + i, Arrays.copyOf(values[(int) (i & 63)], ANSWER_BYTES));
      return n;
    }
  }

  // Request ids of this trial's runs start here: a store reused across trials (NSL_BENCH_PG_URL)
  // holds the records of earlier ones, which would answer these runs instead.
  private final long runBase = System.nanoTime();
}
