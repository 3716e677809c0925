package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nsl.chain.GatewayRequest;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.LocalPostgresServer;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: a run's release (its state writes and the lock's release, one commit) whose commit
 * lands but whose connection breaks, and whose read-back fails too because PostgreSQL is down. The
 * run's outcome is unknown; running the request again once the store is back would apply its writes
 * (a counter += 1) twice. The real executor, queue and shared function lock on one real PostgreSQL:
 * the release's COMMIT waits for a synchronous standby that does not exist (it has landed locally),
 * and the server is stopped under it ({@code pg_ctl stop -m fast}), so the commit and every read
 * after it fail until the server is started again.
 */
class ReleaseOutcomeUnknownIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x6b);
        return k;
      };
  private static final String CODE = "function main(input) { return input; }";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aReleaseThatLandedButWhoseReadBackFailedIsAnsweredOnceAndNotRunAgain() throws Exception {
    String url = pg.freshDatabase("outcome");
    PersistentStorageService storage =
        PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    Namespace state = Namespace.functionState("counter");
    Clock clock = Clock.systemUTC();
    PipelineMetrics metrics = new PipelineMetrics();
    Supervisor supervisor = new Supervisor(RetryPolicy.DEFAULT, (loop, error) -> {});
    RequestExecutor executor = null;
    boolean stopped = false;
    try {
      WorkerRegistry registry =
          new WorkerRegistry(
              new StorageSharedRows(storage),
              "w1",
              "ab",
              new WorkerRegistry.Timing(
                  Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(1)),
              clock);
      registry.heartbeat();
      RequestQueue queue = new RequestQueue(new StorageServiceStore(storage), 1, clock, metrics);
      queue.commit(1, List.of(request(1, 1)));
      FunctionRunner incrementing =
          inv -> {
            long n = storage.read(state, "n").map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
            storage.write(state, "n", ByteBuffer.allocate(8).putLong(n + 1).array());
            return new FunctionRunner.Outcome(
                0,
                "OK",
                ("{\"n\":" + (n + 1) + "}").getBytes(StandardCharsets.UTF_8),
                10,
                List.of(),
                "");
          };
      AtomicReference<RuntimeException> releaseFailed = new AtomicReference<>();
      SharedFunctionLocks shared =
          new SharedFunctionLocks(
              new StorageSharedRows(storage), registry, Duration.ofSeconds(60), clock);
      FunctionLocks watched =
          (functionId, wait) ->
              shared
                  .acquire(functionId, wait)
                  .map(
                      held ->
                          new FunctionLocks.Held() {
                            @Override
                            public void close() {
                              try {
                                held.close();
                              } catch (RuntimeException e) {
                                releaseFailed.compareAndSet(null, e);
                                throw e;
                              }
                            }

                            @Override
                            public boolean lost() {
                              return held.lost();
                            }

                            @Override
                            public StatePin.ReleaseOutcome releaseOutcome() {
                              return held.releaseOutcome();
                            }
                          });
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
              watched);
      try (Connection admin = pg.connect(url)) {
        setStandby(admin, "'nobody'"); // a synchronous commit now lands locally, then waits
      }
      long t0 = System.nanoTime();
      executor.start(supervisor);
      try (Connection admin = pg.connect(url)) {
        await(
            () -> releaseWaits(admin),
            "the run's release to wait for the standby after landing locally");
      }
      pg.server().stop(); // the release's connection breaks; its read-back finds no server
      stopped = true;
      await(() -> releaseFailed.get() != null, "the release to report its failure");
      pg.server().restart();
      stopped = false;
      try (Connection admin = pg.connect(url)) {
        setStandby(admin, null);
      }
      await(
          () -> queue.get(1).map(q -> q.stage() == RequestStage.EXECUTED).orElse(false),
          "request 1 to be answered");
      long n = ByteBuffer.wrap(storage.read(state, "n").orElseThrow()).getLong();
      assertNotNull(releaseFailed.get());
      assertEquals(1, n, "one request, one increment: the run landed once and ran once");
      assertEquals(
          "{\"n\":1}",
          new String(
              queue.get(1).orElseThrow().fulfilment().orElseThrow().result(),
              StandardCharsets.UTF_8),
          "the answer is the run's that landed");
      assertEquals(1, metrics.releasesParked(), "the release was parked once");
      assertEquals(1, metrics.parkedReleasesDecided("committed"), "and read back as committed");
      System.out.printf(
          "ReleaseOutcomeUnknownIT: parked release decided and answered in %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      if (stopped) {
        pg.server().restart();
      }
      try (Connection admin = pg.connect(url)) {
        setStandby(admin, null); // else the store's close waits for commits that never end
      }
      if (executor != null) {
        executor.close();
      }
      supervisor.stopping();
      supervisor.stopAndJoin(Duration.ofSeconds(5));
      storage.close();
    }
  }

  /**
   * Whether the run's release is waiting for the (missing) synchronous standby: it is the one
   * autocommit statement that commits synchronously here (the execution records' writer waits at an
   * explicit COMMIT).
   */
  private static boolean releaseWaits(Connection admin) {
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and"
                    + " wait_event = 'SyncRep' and query not ilike 'commit%'")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
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

  /**
   * Sets (or, with null, resets) synchronous_standby_names server-wide and waits until it holds.
   */
  private static void setStandby(Connection admin, String value) throws Exception {
    try (Statement s = admin.createStatement()) {
      s.execute(
          value == null
              ? "alter system reset synchronous_standby_names"
              : "alter system set synchronous_standby_names = " + value);
      s.execute("select pg_reload_conf()");
      String want = value == null ? "" : value.replace("'", "");
      await(
          () -> {
            try (ResultSet rs = s.executeQuery("show synchronous_standby_names")) {
              rs.next();
              return rs.getString(1).equals(want);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          },
          "synchronous_standby_names to become '" + want + "'");
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
