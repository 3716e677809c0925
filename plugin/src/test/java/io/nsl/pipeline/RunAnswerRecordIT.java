package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.chain.GatewayRequest;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.LocalPostgresServer;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: a run whose release (its state change, one commit with the lock's release) committed,
 * but whose answer was lost before it was durably recorded as SENT: the worker was killed (or
 * stopped while the run was parked), or another worker took the request over. The request is still
 * pending in the durable queue and runs again; its state change (a counter += 1) must not apply
 * twice, and the request must be answered with the first run's answer. Real executors, queues and
 * shared function locks on one real PostgreSQL; each "process" is its own store instance.
 */
class RunAnswerRecordIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x6b);
        return k;
      };
  private static final String CODE = "function main(input) { return input; }";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Namespace STATE = Namespace.functionState("counter");

  @Test
  void aRequestRunAgainAfterAKillBetweenItsReleaseAndSentIsAnsweredAsFirstAndCountedOnce()
      throws Exception {
    String url = pg.freshDatabase("killed");
    long firstRun;
    try (Worker w1 = new Worker(url, "w1")) {
      w1.queue.commit(1, List.of(request(1, 1)));
      w1.start();
      w1.awaitExecuted(1);
      firstRun = w1.runs;
      // Killed here: the answer was in memory only (EXECUTED is not written), the request is
      // still pending in the durable queue; the run's release had committed.
    }
    try (Worker again = new Worker(url, "w1")) {
      again.queue.resume();
      again.start();
      again.awaitExecuted(1);
      assertEquals(1, firstRun, "the first process ran it once");
      assertEquals(1, again.runs, "the restarted process ran it again (it could not know)");
      assertEquals(1, again.counter(), "but its state change applied once");
      assertEquals("{\"n\":1}", again.result(1), "and it is answered as the first run answered");
      assertEquals(1, again.metrics.runsAnsweredFromRecord());
    }
  }

  @Test
  void aRequestTakenOverAfterItsReleaseCommittedIsAnsweredAsFirstAndOthersStillRun()
      throws Exception {
    String url = pg.freshDatabase("takeover");
    try (Worker w1 = new Worker(url, "w1");
        Worker w2 = new Worker(url, "w2")) {
      w1.queue.commit(1, List.of(request(1, 1)));
      w1.start();
      w1.awaitExecuted(1);
      // w1's answer is lost (thrown away as stale, or w1 died before sending); w2 runs it.
      w2.queue.commit(1, List.of(request(1, 1), request(2, 1)));
      w2.start();
      w2.awaitExecuted(1);
      w2.awaitExecuted(2);
      assertEquals(2, w2.runs, "w2 ran both");
      assertEquals(2, w2.counter(), "request 1 applied once, request 2 once");
      assertEquals("{\"n\":1}", w2.result(1), "request 1 answered as w1's run answered");
      assertEquals("{\"n\":2}", w2.result(2), "request 2 ran as usual");
      assertEquals(1, w2.metrics.runsAnsweredFromRecord());
    }
  }

  /** One worker's pipeline (queue, executor, shared function lock) on its own store instance. */
  private static final class Worker implements AutoCloseable {
    final PersistentStorageService storage;
    final RequestQueue queue;
    final PipelineMetrics metrics = new PipelineMetrics();
    final Supervisor supervisor = new Supervisor(RetryPolicy.DEFAULT, (loop, error) -> {});
    final RequestExecutor executor;
    volatile int runs;

    Worker(String url, String id) {
      storage = PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
      Clock clock = Clock.systemUTC();
      WorkerRegistry registry =
          new WorkerRegistry(
              new StorageSharedRows(storage, StorageSharedRows.MEMBERSHIP),
              id,
              "ab",
              new WorkerRegistry.Timing(
                  Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(1)),
              clock);
      registry.heartbeat();
      queue =
          new RequestQueue(
              new PrefixedServiceStore(new StorageServiceStore(storage), "w/" + id + "/"),
              1,
              clock,
              metrics);
      FunctionRunner incrementing =
          inv -> {
            runs++;
            long n = storage.read(STATE, "n").map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
            storage.write(STATE, "n", ByteBuffer.allocate(8).putLong(n + 1).array());
            return new FunctionRunner.Outcome(
                0,
                "OK",
                ("{\"n\":" + (n + 1) + "}").getBytes(StandardCharsets.UTF_8),
                10,
                List.of(),
                "");
          };
      executor =
          new RequestExecutor(
              queue,
              fid ->
                  Optional.of(
                      new FunctionCatalog.StoredFunction(
                          fid, CODE, Optional.empty(), Optional.empty())),
              incrementing,
              fid -> "0x" + "cd".repeat(20),
              new FulfilmentSigner(m -> new byte[64], 860833102, new byte[20]),
              new ExecutionRecords(storage),
              metrics,
              clock,
              RetryPolicy.DEFAULT,
              1,
              new SharedFunctionLocks(
                  new StorageSharedRows(storage), registry, Duration.ofSeconds(60), clock));
    }

    void start() {
      executor.start(supervisor);
    }

    void awaitExecuted(long id) throws InterruptedException {
      await(
          () -> queue.get(id).map(q -> q.stage() == RequestStage.EXECUTED).orElse(false),
          "request " + id + " to be answered");
    }

    long counter() {
      return ByteBuffer.wrap(storage.read(STATE, "n").orElseThrow()).getLong();
    }

    String result(long id) {
      return new String(
          queue.get(id).orElseThrow().fulfilment().orElseThrow().result(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      executor.close();
      supervisor.stopping();
      supervisor.stopAndJoin(Duration.ofSeconds(5));
      storage.close();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT + " for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static GatewayRequest request(long id, long block) {
    return new GatewayRequest(
        id,
        "counter",
        RequestExecutor.sha256(CODE.getBytes(StandardCharsets.UTF_8)),
        "0x" + "ab".repeat(20),
        "{}".getBytes(StandardCharsets.UTF_8),
        100_000,
        Optional.of("0x" + "cd".repeat(20)),
        block,
        "0xtx" + id,
        new byte[21]);
  }
}
