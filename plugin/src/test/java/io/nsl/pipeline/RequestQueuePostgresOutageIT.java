package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nsl.chain.GatewayRequest;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.LocalPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watcher's commit on a real PostgreSQL server whose connection is terminated mid-write (issue
 * 19): once after the transaction has committed (the COMMIT waits for a synchronous standby that
 * does not exist: it has landed locally, and {@code pg_terminate_backend} ends the wait with 57P01,
 * the caller told failure), once before (the write waits for a table lock). Either way, the
 * watcher's retry leaves every request queued to run exactly once.
 */
class RequestQueuePostgresOutageIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x3c);
        return k;
      };

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aCommitTerminatedAfterItLandedIsQueuedOnTheWatchersRetry() throws Exception {
    String url = pg.freshDatabase("landed");
    PersistentStorageService storage =
        PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    try (Connection admin = pg.connect(url)) {
      RequestQueue queue =
          new RequestQueue(
              new StorageServiceStore(storage), 10, Clock.systemUTC(), new PipelineMetrics());
      queue.commit(10, List.of(request(1, 10), request(2, 10)));
      setStandby(admin, "'nobody'");
      RuntimeException failed;
      try {
        failed =
            terminatedWhile(
                admin,
                "wait_event = 'SyncRep'",
                () -> queue.commit(11, List.of(request(3, 11), request(4, 11))));
      } finally {
        setStandby(admin, null);
      }
      assertNotNull(failed, "the commit whose connection was terminated reported a failure");
      assertEquals(12, queue.nextBlock(), "the write landed: the cursor moved past block 11");
      assertEquals(List.of(1L, 2L, 3L, 4L), drain(queue));
    } finally {
      storage.close();
    }
  }

  @Test
  void aCommitTerminatedBeforeItLandedIsCommittedAgainOnce() throws Exception {
    String url = pg.freshDatabase("notlanded");
    PersistentStorageService storage =
        PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    try (Connection admin = pg.connect(url)) {
      RequestQueue queue =
          new RequestQueue(
              new StorageServiceStore(storage), 10, Clock.systemUTC(), new PipelineMetrics());
      queue.commit(10, List.of(request(1, 10), request(2, 10)));
      List<GatewayRequest> block11 = List.of(request(3, 11), request(4, 11));
      admin.setAutoCommit(false);
      RuntimeException failed;
      try (Statement s = admin.createStatement()) {
        s.execute("lock table nsl_values in access exclusive mode");
        failed =
            terminatedWhile(admin, "wait_event_type = 'Lock'", () -> queue.commit(11, block11));
      } finally {
        admin.rollback();
        admin.setAutoCommit(true);
      }
      assertNotNull(failed, "the commit whose connection was terminated reported a failure");
      assertEquals(11, queue.nextBlock(), "nothing landed: block 11 is read again");
      queue.commit(11, block11);
      assertEquals(12, queue.nextBlock());
      assertEquals(List.of(1L, 2L, 3L, 4L), drain(queue));
    } finally {
      storage.close();
    }
  }

  /**
   * Runs {@code write} on a thread of its own, terminates the backend that waits as {@code where}
   * says, and returns what the write threw (null when it returned).
   */
  private static RuntimeException terminatedWhile(Connection admin, String where, Runnable write)
      throws Exception {
    AtomicReference<RuntimeException> thrown = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    write.run();
                  } catch (RuntimeException e) {
                    thrown.set(e);
                  }
                });
    long deadline = System.nanoTime() + WAIT.toNanos();
    Optional<Integer> pid;
    while ((pid = waiting(admin, where)).isEmpty()) {
      if (System.nanoTime() > deadline || !t.isAlive()) {
        throw new AssertionError("no backend waited (" + where + ") within " + WAIT);
      }
      Thread.sleep(20);
    }
    try (Statement s = admin.createStatement()) {
      s.execute("select pg_terminate_backend(" + pid.get() + ")");
    }
    t.join(WAIT);
    return thrown.get();
  }

  private static Optional<Integer> waiting(Connection admin, String where) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select pid from pg_stat_activity where datname = current_database() and pid <>"
                    + " pg_backend_pid() and "
                    + where)) {
      return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
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
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        try (ResultSet rs = s.executeQuery("show synchronous_standby_names")) {
          rs.next();
          if (rs.getString(1).equals(want)) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("synchronous_standby_names did not become '" + want + "'");
        }
        Thread.sleep(20);
      }
    }
  }

  private static GatewayRequest request(long id, long block) {
    return RequestQueueTest.request(id, block);
  }

  private static List<Long> drain(RequestQueue queue) throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    Optional<QueuedRequest> q;
    while ((q = queue.takeToRun(Duration.ZERO)).isPresent()) {
      ids.add(q.get().id());
      queue.executed(q.get().id(), RequestQueueTest.answer(q.get().id()));
    }
    ids.sort(null);
    return ids;
  }
}
