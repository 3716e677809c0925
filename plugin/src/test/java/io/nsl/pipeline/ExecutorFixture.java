package io.nsl.pipeline;

import io.nsl.chain.GatewayRequest;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One worker's request executor for tests, with what it runs on: a store, a request queue, the
 * executor's metrics and supervisor; every function's code is {@link #CODE}, every owner one
 * address, the signer signs with zeros. Built, not started ({@link #start()}); {@link #close()}
 * stops the executor and its supervisor and closes the store. Two kinds:
 *
 * <ul>
 *   <li>{@link #onPostgres}: a worker as several run it, each "process" its own instance on one
 *       real PostgreSQL database: its registry row heartbeated once, its queue in the store under
 *       {@code w/<id>/}, shared function locks, and a function that adds 1 to a counter in its
 *       state and answers {@code {"n":N}}, so a run applied twice shows.
 *   <li>{@link #onDisk}: the execution records in an embedded store, the queue in memory, and the
 *       lock and the function the test gives.
 * </ul>
 *
 * The static helpers (requests, waits, the executor itself) serve tests that wire more than this.
 */
final class ExecutorFixture implements AutoCloseable {
  static final String CODE = "function main(input) { return input; }";

  /** Retries and restarts after 1 or 2 ms, so that no test waits for a backoff. */
  static final RetryPolicy FAST =
      new RetryPolicy(
          3,
          Duration.ofMillis(1),
          Duration.ofMillis(1),
          Duration.ofMillis(1),
          Duration.ofMillis(1),
          Duration.ofMillis(2),
          Duration.ofMillis(1),
          Duration.ofMillis(2));

  /** One key for every store instance: the workers on one database read what the others wrote. */
  static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x6b);
        return k;
      };

  /** How long a test waits for a condition: it bounds a broken run and measures nothing. */
  static final Duration WAIT = Duration.ofSeconds(60);

  /** The state of {@link #onPostgres}'s function. */
  static final Namespace COUNTER = Namespace.functionState("counter");

  final PersistentStorageService storage;
  final PipelineMetrics metrics = new PipelineMetrics();
  final Supervisor supervisor;
  final RequestQueue queue;
  final RequestExecutor executor;
  private final AtomicInteger runs = new AtomicInteger();

  private ExecutorFixture(
      PersistentStorageService storage,
      RetryPolicy retry,
      Function<PipelineMetrics, RequestQueue> queue,
      Function<PersistentStorageService, FunctionRunner> runner,
      int threads,
      FunctionLocks locks) {
    this.storage = storage;
    this.supervisor = new Supervisor(retry, (loop, error) -> {});
    this.queue = queue.apply(metrics);
    FunctionRunner inner = runner.apply(storage);
    FunctionRunner counted =
        inv -> {
          runs.incrementAndGet();
          return inner.run(inv);
        };
    this.executor = executor(this.queue, storage, counted, metrics, retry, threads, locks);
  }

  /**
   * Worker {@code workerId} on the PostgreSQL database at {@code url}, one executor thread, the
   * default retry policy; its shared function locks pass through {@code watch} (identity: as they
   * are).
   */
  static ExecutorFixture onPostgres(
      String url, String workerId, UnaryOperator<FunctionLocks> watch) {
    PersistentStorageService storage =
        PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    try {
      Clock clock = Clock.systemUTC();
      return new ExecutorFixture(
          storage,
          RetryPolicy.DEFAULT,
          metrics ->
              new RequestQueue(
                  new PrefixedServiceStore(new StorageServiceStore(storage), "w/" + workerId + "/"),
                  1,
                  clock,
                  metrics),
          on -> inv -> increment(on),
          1,
          watch.apply(sharedLocks(storage, workerId, clock)));
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  /** Worker {@code workerId} on the PostgreSQL database at {@code url}, its locks as they are. */
  static ExecutorFixture onPostgres(String url, String workerId) {
    return onPostgres(url, workerId, UnaryOperator.identity());
  }

  /**
   * An executor of {@code threads} threads whose runs take {@code locks} and run {@code runner};
   * its execution records in an embedded store in {@code dir}, its queue in memory.
   */
  static ExecutorFixture onDisk(
      Path dir, RetryPolicy retry, int threads, FunctionLocks locks, FunctionRunner runner) {
    PersistentStorageService storage =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("s")), purpose -> new byte[32]);
    return new ExecutorFixture(
        storage,
        retry,
        metrics -> new RequestQueue(new InMemoryServiceStore(), 1, Clock.systemUTC(), metrics),
        on -> runner,
        threads,
        locks);
  }

  /**
   * The function locks of worker {@code workerId} on {@code storage}, as a worker takes them: its
   * registry row (in the membership rows) heartbeated once, a lock held up to 60 s unreleased.
   */
  static SharedFunctionLocks sharedLocks(
      PersistentStorageService storage, String workerId, Clock clock) {
    WorkerRegistry registry =
        new WorkerRegistry(
            new StorageSharedRows(storage, StorageSharedRows.MEMBERSHIP),
            workerId,
            "ab",
            new WorkerRegistry.Timing(
                Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(1)),
            clock);
    registry.heartbeat();
    return new SharedFunctionLocks(
        new StorageSharedRows(storage), registry, Duration.ofSeconds(60), clock);
  }

  /**
   * An executor of requests in {@code queue}: the catalogue serves {@link #CODE} for every
   * function, every function has one owner, answers are signed with zeros for MainNet's magic.
   */
  static RequestExecutor executor(
      RequestQueue queue,
      PersistentStorageService storage,
      FunctionRunner runner,
      PipelineMetrics metrics,
      RetryPolicy retry,
      int threads,
      FunctionLocks locks) {
    return new RequestExecutor(
        queue,
        fid ->
            Optional.of(
                new FunctionCatalog.StoredFunction(fid, CODE, Optional.empty(), Optional.empty())),
        runner,
        fid -> "0x" + "cd".repeat(20),
        signer(),
        new ExecutionRecords(storage),
        metrics,
        Clock.systemUTC(),
        retry,
        threads,
        locks);
  }

  /** The signer of {@link #executor}: zeros for every signature, MainNet's magic. */
  static FulfilmentSigner signer() {
    return new FulfilmentSigner(m -> new byte[64], 860833102, new byte[20]);
  }

  /** Request {@code id} to {@code functionId} (its code {@link #CODE}), seen in {@code block}. */
  static GatewayRequest request(long id, String functionId, long block) {
    return new GatewayRequest(
        id,
        functionId,
        RequestExecutor.sha256(CODE.getBytes(StandardCharsets.UTF_8)),
        "0x" + "ab".repeat(20),
        "{}".getBytes(StandardCharsets.UTF_8),
        100_000,
        Optional.of("0x" + "cd".repeat(20)),
        block,
        "0xtx" + id,
        new byte[21]);
  }

  /** Polls {@code condition} until it holds, failing after {@link #WAIT} with {@code what}. */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Request {@code id}'s stage; it must be in the queue. */
  static RequestStage stage(RequestQueue queue, long id) {
    return queue.get(id).orElseThrow().stage();
  }

  /** Request {@code id}'s answer, as text. */
  static String result(RequestQueue queue, long id) {
    return new String(
        queue.get(id).orElseThrow().fulfilment().orElseThrow().result(), StandardCharsets.UTF_8);
  }

  void start() {
    executor.start(supervisor);
  }

  /** Waits until request {@code id} is in the queue and answered. */
  void awaitExecuted(long id) throws InterruptedException {
    await(
        () -> queue.get(id).map(q -> q.stage() == RequestStage.EXECUTED).orElse(false),
        "request " + id + " to be answered");
  }

  /** Runs of the function so far, by this executor. */
  int runs() {
    return runs.get();
  }

  /** The counter of {@link #onPostgres}'s function. */
  long counter() {
    return ByteBuffer.wrap(storage.read(COUNTER, "n").orElseThrow()).getLong();
  }

  /** {@link #onPostgres}'s function: adds 1 to the counter, answers {@code {"n":N}}. */
  private static FunctionRunner.Outcome increment(PersistentStorageService storage) {
    long n = storage.read(COUNTER, "n").map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
    storage.write(COUNTER, "n", ByteBuffer.allocate(8).putLong(n + 1).array());
    return new FunctionRunner.Outcome(
        0, "OK", ("{\"n\":" + (n + 1) + "}").getBytes(StandardCharsets.UTF_8), 10, List.of(), "");
  }

  /** Stops the executor and its supervisor (what a worker's stop does); the store stays open. */
  void stop() {
    executor.close();
    supervisor.stopping();
    supervisor.stopAndJoin(Duration.ofSeconds(5));
  }

  @Override
  public void close() {
    stop();
    storage.close();
  }
}
