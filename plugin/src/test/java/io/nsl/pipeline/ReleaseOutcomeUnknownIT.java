package io.nsl.pipeline;

import static io.nsl.pipeline.ExecutorFixture.await;
import static io.nsl.pipeline.ExecutorFixture.request;
import static io.nsl.pipeline.ExecutorFixture.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.LocalPostgresServer;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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

  @Test
  void aReleaseThatLandedButWhoseReadBackFailedIsAnsweredOnceAndNotRunAgain() throws Exception {
    parkedReleaseThatLanded("outcome", false);
  }

  /**
   * Decision 1010's "left open" (2): the worker stops (a restart) while the run is parked, its
   * answer in memory only. The request is still pending and runs again in the restarted worker; it
   * must find the first run's recorded answer instead of applying the increment a second time
   * (before the record: the counter ended at 2, answered {"n":2}).
   */
  @Test
  void aRestartWhileARunIsParkedAnswersItAsTheRunThatLandedAndAppliesItOnce() throws Exception {
    parkedReleaseThatLanded("restarted", true);
  }

  private void parkedReleaseThatLanded(String db, boolean restartWhileParked) throws Exception {
    String url = pg.freshDatabase(db);
    AtomicReference<RuntimeException> releaseFailed = new AtomicReference<>();
    ExecutorFixture w1 =
        ExecutorFixture.onPostgres(
            url,
            "w1",
            shared ->
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
                                  public void recordAnswer(long requestId, byte[] answer) {
                                    held.recordAnswer(requestId, answer);
                                  }

                                  @Override
                                  public Optional<byte[]> earlierAnswer() {
                                    return held.earlierAnswer();
                                  }

                                  @Override
                                  public StatePin.ReleaseOutcome releaseOutcome() {
                                    return held.releaseOutcome();
                                  }
                                }));
    boolean stopped = false;
    try {
      w1.queue.commit(1, List.of(request(1, "counter", 1)));
      try (Connection admin = pg.connect(url)) {
        setStandby(admin, "'nobody'"); // a synchronous commit now lands locally, then waits
      }
      long t0 = System.nanoTime();
      w1.start();
      try (Connection admin = pg.connect(url)) {
        await(
            () -> releaseWaits(admin),
            "the run's release to wait for the standby after landing locally");
      }
      pg.server().stop(); // the release's connection breaks; its read-back finds no server
      stopped = true;
      await(() -> releaseFailed.get() != null, "the release to report its failure");
      if (restartWhileParked) {
        await(() -> w1.metrics.releasesParked() == 1, "the run to be parked");
        w1.stop(); // the worker stops while the run is parked: its answer is forgotten
        assertEquals(1, w1.metrics.parkedReleasesDecided("stopped"));
      }
      pg.server().restart();
      stopped = false;
      try (Connection admin = pg.connect(url)) {
        setStandby(admin, null);
      }
      if (restartWhileParked) {
        restarted(url);
        return;
      }
      w1.awaitExecuted(1);
      assertNotNull(releaseFailed.get());
      assertEquals(1, w1.counter(), "one request, one increment: the run landed once and ran once");
      assertEquals("{\"n\":1}", result(w1.queue, 1), "the answer is the run's that landed");
      assertEquals(1, w1.metrics.releasesParked(), "the release was parked once");
      assertEquals(1, w1.metrics.parkedReleasesDecided("committed"), "and read back as committed");
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
      w1.close();
    }
  }

  /**
   * The read-back's other two answers, on the store and the shared lock without the executor: two
   * functions' releases wait for a table lock (nothing can land) when the database stops taking
   * connections and their backends are terminated, so all lose their connection and their
   * read-backs fail: all throw STORAGE_OUTCOME_UNKNOWN. Once connections are allowed again, another
   * worker moves two lock rows (as a takeover would): the release that recorded no answer (b) is
   * undecidable; the one that did (c) is decided by its record's absence: not committed. The other
   * (a) is not committed, stays so when read back again, and its lock row was released: the retry
   * takes it and applies its increment once.
   */
  @Test
  void aReleaseThatDidNotLandIsNotCommittedAndOneWhoseLockMovedIsUndecidable() throws Exception {
    String url = pg.freshDatabase("notlanded");
    PersistentStorageService storage =
        PersistentStorageService.initialise(StorageOptions.postgres(url), ExecutorFixture.KEY);
    PersistentStorageService other =
        PersistentStorageService.initialise(StorageOptions.postgres(url), ExecutorFixture.KEY);
    String db = url.substring(url.lastIndexOf('/') + 1);
    // ALTER DATABASE cannot be run from the database it changes.
    try (Connection admin = pg.connect(url.substring(0, url.lastIndexOf('/') + 1) + "postgres");
        Connection locker = pg.connect(url)) {
      Clock clock = Clock.systemUTC();
      SharedFunctionLocks locks = ExecutorFixture.sharedLocks(storage, "w1", clock);
      Namespace a = Namespace.functionState("a");
      Namespace b = Namespace.functionState("b");
      Namespace c = Namespace.functionState("c");
      FunctionLocks.Held heldA = locks.acquire("a", Duration.ZERO).orElseThrow();
      FunctionLocks.Held heldB = locks.acquire("b", Duration.ZERO).orElseThrow();
      FunctionLocks.Held heldC = locks.acquire("c", Duration.ZERO).orElseThrow();
      storage.write(a, "n", ByteBuffer.allocate(8).putLong(1).array()); // held by the pins
      storage.write(b, "n", ByteBuffer.allocate(8).putLong(1).array());
      storage.write(c, "n", ByteBuffer.allocate(8).putLong(1).array());
      heldC.recordAnswer(3, new byte[] {3}); // c's run records its answer; b's (an old caller) not
      List<AtomicReference<RuntimeException>> thrown =
          List.of(new AtomicReference<>(), new AtomicReference<>(), new AtomicReference<>());
      locker.setAutoCommit(false);
      try (Statement st = locker.createStatement()) {
        st.execute("lock table nsl_values in access exclusive mode");
      }
      List<Thread> releases =
          List.of(
              Thread.ofPlatform().start(() -> closeInto(heldA, thrown.get(0))),
              Thread.ofPlatform().start(() -> closeInto(heldB, thrown.get(1))),
              Thread.ofPlatform().start(() -> closeInto(heldC, thrown.get(2))));
      await(() -> lockWaiters(admin, db) == 3, "the releases to wait for the table lock");
      try (Statement st = admin.createStatement()) {
        st.execute("alter database " + db + " allow_connections false");
        // Every backend of the store (the releases, idle pool connections), not the test's own.
        st.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + db
                + "' and pid <> "
                + pid(locker));
        for (Thread t : releases) {
          t.join(ExecutorFixture.WAIT.toMillis());
        }
        locker.rollback();
        st.execute("alter database " + db + " allow_connections true");
      }
      for (AtomicReference<RuntimeException> t : thrown) {
        assertEquals(
            io.nsl.storage.StorageOutcomeUnknownException.class,
            t.get() == null ? null : t.get().getClass(),
            "the release's outcome is unknown: " + t.get());
      }
      moveRow(new StorageSharedRows(other), "lock/b", "v1|w2|" + (clock.millis() + 60_000));
      moveRow(new StorageSharedRows(other), "lock/c", "v1|w2|" + (clock.millis() + 60_000));
      assertEquals(StatePin.ReleaseOutcome.NOT_COMMITTED, heldA.releaseOutcome());
      assertEquals(
          StatePin.ReleaseOutcome.NOT_COMMITTED,
          heldA.releaseOutcome(),
          "final: asked again, the same answer");
      assertEquals(StatePin.ReleaseOutcome.UNDECIDABLE, heldB.releaseOutcome());
      assertEquals(
          StatePin.ReleaseOutcome.NOT_COMMITTED,
          heldC.releaseOutcome(),
          "the lock row moved, but c's run recorded its answer, and the record is absent");
      assertTrue(heldC.earlierAnswer().isEmpty());
      assertTrue(other.read(c, "n").isEmpty(), "nothing of c's run was written");
      assertTrue(other.read(a, "n").isEmpty(), "nothing of a's run was written");
      try (FunctionLocks.Held retry = locks.acquire("a", Duration.ZERO).orElseThrow()) {
        long n = storage.read(a, "n").map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
        storage.write(a, "n", ByteBuffer.allocate(8).putLong(n + 1).array());
      }
      assertEquals(1, ByteBuffer.wrap(other.read(a, "n").orElseThrow()).getLong(), "applied once");
    } finally {
      other.close();
      storage.close();
    }
  }

  /**
   * The worker of {@link #parkedReleaseThatLanded} started again on the same database: request 1 is
   * still pending and runs again.
   */
  private static void restarted(String url) throws Exception {
    try (ExecutorFixture w1 = ExecutorFixture.onPostgres(url, "w1")) {
      w1.queue.resume();
      w1.start();
      w1.awaitExecuted(1);
      assertEquals(1, w1.runs(), "the restarted worker ran it again: it could not know");
      assertEquals(1, w1.counter(), "but the increment applied once");
      assertEquals("{\"n\":1}", result(w1.queue, 1), "answered as the run that landed answered");
      assertEquals(1, w1.metrics.runsAnsweredFromRecord());
    }
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void closeInto(FunctionLocks.Held held, AtomicReference<RuntimeException> into) {
    try {
      held.close();
    } catch (RuntimeException e) {
      into.set(e);
    }
  }

  /** Backends of the database waiting for a lock. */
  private static int lockWaiters(Connection c, String db) {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from pg_stat_activity where datname = '"
                    + db
                    + "' and wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What another worker's takeover does to a lock row: a new value at a new version. */
  private static void moveRow(StorageSharedRows rows, String key, String value) {
    long version = rows.get(key).orElseThrow().version();
    rows.swapIfVersion(key, version, value.getBytes(StandardCharsets.UTF_8));
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
}
