package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.pipeline.FunctionLocks;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageFenceLostException;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.LocalPostgresServer;
import io.nsl.testing.ManualClock;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SharedRows contract on PostgreSQL, each call through its own store instance as separate
 * processes would be; and decision 1010's measure: 1,000 increments of one function's state by
 * three workers (three store instances on one database) end at exactly 1,000, with what the lock
 * costs.
 */
class PostgresSharedRowsIT extends SharedRowsContract {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x5a);
        return k;
      };

  private final List<PersistentStorageService> open = new ArrayList<>();

  private PersistentStorageService store(String url) {
    PersistentStorageService s =
        PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
    open.add(s);
    return s;
  }

  @AfterEach
  void close() {
    open.forEach(PersistentStorageService::close);
    open.clear();
  }

  @Override
  SharedRows rows() {
    return new StorageSharedRows(store(pg.freshDatabase("rows")));
  }

  @Test
  void aThousandIncrementsByThreeWorkersEndAtExactlyAThousand() throws Exception {
    String url = pg.freshDatabase("increments");
    Namespace state = Namespace.functionState("counter");
    store(url).write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
    long withoutLock = timeIncrements(store(url), state, 100);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int w = 0; w < 3; w++) {
      PersistentStorageService s = store(url);
      SharedRows rows = new StorageSharedRows(s);
      WorkerRegistry reg =
          new WorkerRegistry(rows, "w" + w, "ab", WorkerRegistry.Timing.DEFAULT, Clock.systemUTC());
      reg.heartbeat();
      SharedFunctionLocks locks =
          new SharedFunctionLocks(rows, reg, Duration.ofSeconds(60), Clock.systemUTC());
      int runs = w == 2 ? 334 : 333;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      long lastBeat = System.nanoTime();
                      for (int i = 0; i < runs; i++) {
                        if (System.nanoTime() - lastBeat > 500_000_000L) {
                          reg.heartbeat(); // its membership loop, inline
                          lastBeat = System.nanoTime();
                        }
                        try (FunctionLocks.Held h =
                            locks.acquire("counter", Duration.ofSeconds(60)).orElseThrow()) {
                          increment(s, state);
                        }
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long lockedNanos = System.nanoTime() - t0;
    assertEquals(List.of(), failures);
    assertEquals(
        1_100, ByteBuffer.wrap(store(url).read(state, "n").orElseThrow()).getLong(), "100 + 1,000");
    System.out.printf(
        "PostgresSharedRowsIT: 1,000 locked increments by 3 workers in %d ms (%.2f ms each);"
            + " one worker without the lock: %.2f ms per increment%n",
        lockedNanos / 1_000_000, lockedNanos / 1e9, withoutLock / 100 / 1e6);
  }

  /**
   * Decision 1010's remaining window, closed: a worker frozen mid-run past its lock's lifetime,
   * whose function another worker took over and wrote, cannot write the state on waking (its
   * release, which commits its writes, is fenced by the lock row), knows its run is lost, and its
   * next run reads the other's write (no stale cached read).
   */
  @Test
  void aWorkerFrozenPastItsLockCannotWriteAfterAnotherTookTheFunctionOver() throws Exception {
    String url = pg.freshDatabase("fence");
    Namespace state = Namespace.functionState("counter");
    store(url).write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    PersistentStorageService s1 = store(url);
    PersistentStorageService s2 = store(url);
    SharedFunctionLocks l1 = locks(s1, "w1", clock);
    SharedFunctionLocks l2 = locks(s2, "w2", clock);
    FunctionLocks.Held frozen = l1.acquire("counter", Duration.ZERO).orElseThrow();
    long seen = ByteBuffer.wrap(s1.read(state, "n").orElseThrow()).getLong();
    clock.advance(61_000); // w1 is frozen past its lock's lifetime and its lease
    try (FunctionLocks.Held h2 = l2.acquire("counter", Duration.ZERO).orElseThrow()) {
      increment(s2, state);
      assertFalse(h2.lost());
    }
    s1.write(state, "n", ByteBuffer.allocate(8).putLong(seen + 1).array()); // held by the pin
    assertFalse(frozen.lost(), "known at the release, which is the run's one commit");
    frozen.close();
    assertTrue(frozen.lost());
    assertEquals(1, ByteBuffer.wrap(store(url).read(state, "n").orElseThrow()).getLong());
    try (FunctionLocks.Held h1 = l1.acquire("counter", Duration.ZERO).orElseThrow()) {
      assertEquals(1, ByteBuffer.wrap(s1.read(state, "n").orElseThrow()).getLong(), "not stale");
      increment(s1, state);
      assertFalse(h1.lost());
    }
    assertEquals(2, ByteBuffer.wrap(store(url).read(state, "n").orElseThrow()).getLong());
  }

  /**
   * Issue 19's hole in the fence: a run whose lock is taken over between its two puts used to leave
   * its first put in the store, and its retry applied it again. A run's writes now land with its
   * lock's release, in one fenced transaction: the frozen run leaves nothing, and its retry applies
   * each increment exactly once.
   */
  @Test
  void aRunWhoseLockIsTakenOverBetweenTwoPutsLeavesNoWriteAndItsRetryAppliesEachOnce()
      throws Exception {
    String url = pg.freshDatabase("partial");
    Namespace state = Namespace.functionState("counter");
    PersistentStorageService setup = store(url);
    setup.write(state, "a", ByteBuffer.allocate(8).putLong(0).array());
    setup.write(state, "b", ByteBuffer.allocate(8).putLong(0).array());
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    PersistentStorageService s1 = store(url);
    PersistentStorageService s2 = store(url);
    SharedFunctionLocks l1 = locks(s1, "w1", clock);
    SharedFunctionLocks l2 = locks(s2, "w2", clock);
    FunctionLocks.Held frozen = l1.acquire("counter", Duration.ZERO).orElseThrow();
    increment(s1, state, "a"); // the run's first put
    clock.advance(61_000); // w1 freezes past its lock's lifetime and its lease
    try (FunctionLocks.Held h2 = l2.acquire("counter", Duration.ZERO).orElseThrow()) {
      increment(s2, state, "a");
      increment(s2, state, "b");
    }
    try {
      increment(s1, state, "b"); // the frozen run wakes and makes its second put
    } catch (StorageFenceLostException refusedAtOnce) {
      // an engine may refuse at the put already; what matters is what the store holds after
    }
    frozen.close();
    assertTrue(frozen.lost(), "the frozen run knows its outcome is stale");
    PersistentStorageService reader = store(url);
    assertEquals(1, counter(reader, state, "a"), "no write of the frozen run, not even its first");
    assertEquals(1, counter(reader, state, "b"));
    try (FunctionLocks.Held retry = l1.acquire("counter", Duration.ZERO).orElseThrow()) {
      increment(s1, state, "a");
      increment(s1, state, "b");
      assertFalse(retry.lost());
    }
    assertEquals(2, counter(reader, state, "a"), "the retry applied its increment once");
    assertEquals(2, counter(reader, state, "b"));
  }

  /**
   * Issue 19: a run's answer is recorded with its release, where no earlier run of the same request
   * recorded one. A second run of the request (after a restart or a takeover) then writes nothing
   * of its own and finds the first run's answer; another request's run writes as usual. The record
   * is not the function's: its listing and usage do not show it. Both ways of releasing: one
   * statement, and the long way (the run overwrites a streamed value).
   */
  @Test
  void aSecondRunOfARequestWritesNothingAndFindsTheFirstRunsAnswer() throws Exception {
    for (boolean longWay : new boolean[] {false, true}) {
      String url = pg.freshDatabase(longWay ? "recordlong" : "record");
      Namespace state = Namespace.functionState("counter");
      PersistentStorageService setup = store(url);
      setup.write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
      ManualClock clock = new ManualClock(System.currentTimeMillis());
      PersistentStorageService s1 = store(url);
      PersistentStorageService s2 = store(url);
      SharedFunctionLocks l1 = locks(s1, "w1", clock);
      SharedFunctionLocks l2 = locks(s2, "w2", clock);
      streamBig(setup, state, longWay);
      FunctionLocks.Held first = l1.acquire("counter", Duration.ZERO).orElseThrow();
      increment(s1, state);
      overwriteBig(s1, state, longWay);
      first.recordAnswer(7, new byte[] {7, 1});
      first.close();
      assertTrue(first.earlierAnswer().isEmpty(), "the first run of request 7 records its own");
      streamBig(setup, state, longWay);
      FunctionLocks.Held again = l2.acquire("counter", Duration.ZERO).orElseThrow();
      increment(s2, state);
      overwriteBig(s2, state, longWay);
      again.recordAnswer(7, new byte[] {7, 2});
      again.close();
      assertFalse(again.lost());
      assertEquals(
          List.of((byte) 7, (byte) 1),
          bytes(again.earlierAnswer().orElseThrow()),
          "the second run of request 7 finds the first run's answer");
      PersistentStorageService reader = store(url);
      assertEquals(1, counter(reader, state, "n"), "and wrote nothing: request 7 applied once");
      streamBig(setup, state, longWay);
      FunctionLocks.Held other = l2.acquire("counter", Duration.ZERO).orElseThrow();
      increment(s2, state);
      overwriteBig(s2, state, longWay);
      other.recordAnswer(8, new byte[] {8});
      other.close();
      assertTrue(other.earlierAnswer().isEmpty());
      assertEquals(2, counter(reader, state, "n"), "request 8 ran as usual");
      assertEquals(
          longWay ? List.of("big", "n") : List.of("n"),
          reader.listKeys(state, new byte[0], 100).stream()
              .map(k -> new String(k, java.nio.charset.StandardCharsets.UTF_8))
              .toList(),
          "the records are not the function's keys");
      assertTrue(reader.read(SharedFunctionLocks.ANSWERS, SharedFunctionLocks.key(7)).isPresent());
    }
  }

  /**
   * A run's record stays {@link EndedAnswers#KEEP} after its request ended here (a parked release
   * on another worker may still need it), then goes with this worker's next release.
   */
  @Test
  void aRunsRecordGoesWithALaterReleaseOnceItsRequestEndedLongEnoughAgo() throws Exception {
    String url = pg.freshDatabase("forget");
    Namespace state = Namespace.functionState("counter");
    PersistentStorageService s = store(url);
    s.write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    SharedRows rows = new StorageSharedRows(s);
    WorkerRegistry reg = new WorkerRegistry(rows, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    reg.heartbeat();
    SharedFunctionLocks locks = new SharedFunctionLocks(rows, reg, Duration.ofSeconds(60), clock);
    for (long request = 1; request <= 3; request++) {
      if (request == 2) {
        reg.ended(List.of(1L)); // request 1 confirmed on chain
        clock.advance(EndedAnswers.KEEP.toMillis() - 1);
      } else if (request == 3) {
        assertTrue(
            s.read(SharedFunctionLocks.ANSWERS, SharedFunctionLocks.key(1)).isPresent(),
            "kept until KEEP");
        clock.advance(1);
      }
      try (FunctionLocks.Held h = locks.acquire("counter", Duration.ZERO).orElseThrow()) {
        increment(s, state);
        h.recordAnswer(request, new byte[] {(byte) request});
      }
    }
    assertTrue(
        s.read(SharedFunctionLocks.ANSWERS, SharedFunctionLocks.key(1)).isEmpty(),
        "removed by request 3's release");
    assertTrue(s.read(SharedFunctionLocks.ANSWERS, SharedFunctionLocks.key(2)).isPresent());
    assertTrue(s.read(SharedFunctionLocks.ANSWERS, SharedFunctionLocks.key(3)).isPresent());
    assertEquals(0, reg.endedAnswers().size());
    assertEquals(3, counter(s, state, "n"));
  }

  /**
   * What recording costs, counted: transactions the server committed (each autocommit round trip is
   * one) for 50 runs of one worker (its own lock taken again, as {@code functionRun}), with and
   * without recording the answer. Counted from store instances closed after their runs (a backend
   * reports its counts when it exits; the admin connection's polls count too, a few), the same
   * shape both ways: the record goes in the release's own statement, so no transaction more.
   */
  @Test
  void recordingARunsAnswerCostsNoMoreTransactionsThanNotRecordingIt() throws Exception {
    long[] total = new long[2];
    for (int recording = 0; recording < 2; recording++) {
      String url = pg.freshDatabase("cost" + recording);
      Namespace state = Namespace.functionState("counter");
      try (java.sql.Connection admin = pg.connect(url)) {
        PersistentStorageService setup =
            PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
        setup.write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
        setup.close();
        long before = commits(admin);
        PersistentStorageService s =
            PersistentStorageService.initialise(StorageOptions.postgres(url), KEY);
        SharedFunctionLocks locks = locks(s, "w1", new ManualClock(System.currentTimeMillis()));
        for (int run = 0; run < 50; run++) {
          FunctionLocks.Held h = locks.acquire("counter", Duration.ZERO).orElseThrow();
          increment(s, state);
          if (recording == 1) {
            h.recordAnswer(run, new byte[185]);
          }
          h.close();
        }
        s.close();
        total[recording] = commits(admin) - before;
      }
    }
    System.out.printf(
        "PostgresSharedRowsIT: transactions for 50 runs (and a store opened and closed): %d without"
            + " the record, %d with it%n",
        total[0], total[1]);
    // One more round trip per run would be 50 more; the admin's own polls make a few either way.
    assertTrue(
        total[1] < total[0] + 25,
        "recording added transactions: " + total[0] + " without, " + total[1] + " with");
  }

  /** The database's committed transactions so far, once every other backend has exited. */
  private static long commits(java.sql.Connection admin) throws Exception {
    try (java.sql.Statement st = admin.createStatement()) {
      for (int i = 0; i < 100; i++) {
        try (java.sql.ResultSet r =
            st.executeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and pid"
                    + " <> pg_backend_pid()")) {
          r.next();
          if (r.getInt(1) == 0) {
            break;
          }
        }
        Thread.sleep(50);
      }
      st.execute("select pg_stat_force_next_flush()");
      st.execute("select pg_stat_clear_snapshot()");
      try (java.sql.ResultSet r =
          st.executeQuery(
              "select xact_commit from pg_stat_database where datname = current_database()")) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** The long way of releasing: a run that overwrites a streamed value. */
  private static void streamBig(PersistentStorageService s, Namespace state, boolean longWay) {
    if (longWay) {
      try (io.nsl.storage.StorageWriteStream big =
          s.openWriteStream(state, "big".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        big.write(new byte[100_000]);
      }
    }
  }

  private static void overwriteBig(PersistentStorageService s, Namespace state, boolean longWay) {
    if (longWay) {
      s.write(state, "big", new byte[] {1});
    }
  }

  private static List<Byte> bytes(byte[] b) {
    List<Byte> out = new ArrayList<>();
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }

  private static void increment(PersistentStorageService s, Namespace state, String key) {
    s.write(state, key, ByteBuffer.allocate(8).putLong(counter(s, state, key) + 1).array());
  }

  private static long counter(PersistentStorageService s, Namespace state, String key) {
    return ByteBuffer.wrap(s.read(state, key).orElseThrow()).getLong();
  }

  /**
   * Heartbeats and takeover claims are not queued behind the {@code service} namespace's writers:
   * its advisory lock (decision 1002), which every worker's queue writes and every run's function
   * lock take and release wait on, is held here by another session for as long as the test needs; a
   * worker renews its lease, sees another's expire and claims its requests meanwhile, while a write
   * of the service namespace waits.
   */
  @Test
  void heartbeatsAndClaimsDoNotWaitForTheServiceNamespacesLock() throws Exception {
    String url = pg.freshDatabase("membership");
    PersistentStorageService s = store(url);
    SharedRows service = new StorageSharedRows(s);
    service.put("lock/f", new byte[] {1});
    ManualClock clock = new ManualClock(1_000_000);
    SharedRows membership = new StorageSharedRows(store(url), StorageSharedRows.MEMBERSHIP);
    WorkerRegistry w1 =
        new WorkerRegistry(membership, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    WorkerRegistry w2 =
        new WorkerRegistry(membership, "w2", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    List<Long> ids = new ArrayList<>();
    for (long id = 1; ids.size() < 50; id++) {
      if (Membership.order(id, List.of("w1", "w2")).get(0).equals("w2")) {
        ids.add(id);
      }
    }
    try (java.sql.Connection holder = pg.connect(url);
        java.sql.Statement st = holder.createStatement()) {
      // The advisory lock of every namespace with a row so far (the service's among them; no
      // membership row is written yet), held by this session until it lets go.
      List<Long> held = new ArrayList<>();
      try (java.sql.ResultSet r =
          st.executeQuery(
              "select distinct ('x' || encode(substring(ns from 1 for 8), 'hex'))::bit(64)"
                  + "::bigint from nsl_values")) {
        while (r.next()) {
          held.add(r.getLong(1));
        }
      }
      assertFalse(held.isEmpty());
      for (long lock : held) {
        st.execute("select pg_advisory_lock(" + lock + ")");
      }
      Thread queueWrite = Thread.ofPlatform().start(() -> service.put("w/w1/cursor", new byte[8]));
      Thread membershipWork =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 3; i++) { // both join, past their grace
                      w1.heartbeat();
                      w2.heartbeat();
                      clock.advance(1_000);
                    }
                    for (int i = 0; i < 6; i++) { // w2 stopped: its lease runs out
                      clock.advance(1_000);
                      w1.heartbeat();
                    }
                    w1.decideAll(ids);
                  });
      membershipWork.join(Duration.ofMinutes(2));
      assertFalse(membershipWork.isAlive(), "the membership rows waited for the service's lock");
      assertEquals(50, w1.takeovers());
      assertEquals(50, membership.keys(WorkerRegistry.CLAIM).size());
      assertTrue(queueWrite.isAlive(), "a service write waits while its lock is held");
      for (long lock : held) {
        st.execute("select pg_advisory_unlock(" + lock + ")");
      }
      queueWrite.join(Duration.ofMinutes(2));
      assertFalse(queueWrite.isAlive());
    }
  }

  /**
   * Issue 19's hand-off: two workers taking turns on one function, so every take follows the other
   * worker's release. The take first tries the version of this worker's own last release; the
   * statement that finds the row moved on reads it as well, so the take that follows needs no read
   * of its own (no {@code getToTake}). Side by side with the path before (take, then read), the
   * server's statement log counts statements per run (printed; 50 runs after 20 warm-up runs).
   */
  @Test
  void aLockHandedBetweenTwoWorkersIsTakenWithoutARoundTripToReadIt() throws Exception {
    String url = pg.freshDatabase("handoff");
    try (java.sql.Connection c = pg.connect(url);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet r = st.executeQuery("select current_database()")) {
      r.next();
      // Every statement of the stores opened after this is logged with its duration.
      st.execute("alter database " + r.getString(1) + " set log_min_duration_statement = 0");
    }
    Namespace state = Namespace.functionState("counter");
    store(url).write(state, "n", ByteBuffer.allocate(8).putLong(0).array());
    double[] before = handOffs(url, state, true);
    double[] after = handOffs(url, state, false);
    System.out.printf(
        "PostgresSharedRowsIT: a function's lock handed between two workers, per run: %.1f"
            + " statements and %.0f separate reads of the lock row before (take, then read);"
            + " %.1f statements and %.0f reads now (the failed take reads it)%n",
        before[0], before[1], after[0], after[1]);
    assertEquals(1.0, before[1], "before: every take after the other's release read the row");
    assertEquals(0.0, after[1], "now: the failed take's statement read it");
    assertTrue(after[0] < before[0], after[0] + " statements per run, before " + before[0]);
    assertEquals(
        140, ByteBuffer.wrap(store(url).read(state, "n").orElseThrow()).getLong(), "none lost");
  }

  /**
   * 20 warm-up and 50 measured runs of one function by two workers in turn: statements per measured
   * run (server log) and reads of the lock row ({@code getToTake}) per measured run. {@code
   * readAfter}: the take before this change (the default of {@link SharedRows}: take, then read).
   */
  private double[] handOffs(String url, Namespace state, boolean readAfter) throws Exception {
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    List<PersistentStorageService> stores = List.of(store(url), store(url));
    List<SharedFunctionLocks> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      SharedRows rows =
          new ForwardingSharedRows(new StorageSharedRows(stores.get(w))) {
            @Override
            public Optional<Row> getToTake(String key) {
              reads.incrementAndGet();
              return rows.getToTake(key);
            }

            @Override
            public Attempt swapLazilyAndPinStateOrRead(
                String functionId, String key, long expectedVersion, byte[] value, byte[] free) {
              if (!readAfter) {
                return rows.swapLazilyAndPinStateOrRead(
                    functionId, key, expectedVersion, value, free);
              }
              // SharedRows' default, the path before: the take, then a read of its own.
              Optional<io.nsl.storage.StatePin.Taken> t =
                  swapLazilyAndPinState(functionId, key, expectedVersion, value, free);
              return t.isPresent()
                  ? new Attempt(t, Optional.empty())
                  : new Attempt(Optional.empty(), getToTake(key));
            }
          };
      WorkerRegistry reg =
          new WorkerRegistry(rows, "w" + w, "ab", WorkerRegistry.Timing.DEFAULT, clock);
      reg.heartbeat();
      workers.add(new SharedFunctionLocks(rows, reg, Duration.ofSeconds(60), clock));
    }
    java.nio.file.Path log = pg.server().logFile();
    long statements0 = 0;
    int reads0 = 0;
    for (int i = 0; i < 70; i++) {
      if (i == 20) {
        statements0 = executions(log);
        reads0 = reads.get();
      }
      int w = i % 2;
      try (FunctionLocks.Held h = workers.get(w).acquire("counter", Duration.ZERO).orElseThrow()) {
        increment(stores.get(w), state);
      }
    }
    return new double[] {(executions(log) - statements0) / 50.0, (reads.get() - reads0) / 50.0};
  }

  /** Statements the server logged so far ({@code log_min_duration_statement}: one line each). */
  private static long executions(java.nio.file.Path log) throws java.io.IOException {
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(log)) {
      return lines
          .filter(l -> l.contains("duration:"))
          .filter(l -> l.contains(" execute ") || l.contains(" statement: "))
          .count();
    }
  }

  private static SharedFunctionLocks locks(
      PersistentStorageService s, String worker, ManualClock clock) {
    SharedRows rows = new StorageSharedRows(s);
    WorkerRegistry reg =
        new WorkerRegistry(rows, worker, "ab", WorkerRegistry.Timing.DEFAULT, clock);
    reg.heartbeat();
    return new SharedFunctionLocks(rows, reg, Duration.ofSeconds(60), clock);
  }

  private static void increment(PersistentStorageService s, Namespace state) {
    long n = ByteBuffer.wrap(s.read(state, "n").orElseThrow()).getLong();
    s.write(state, "n", ByteBuffer.allocate(8).putLong(n + 1).array());
  }

  private static long timeIncrements(PersistentStorageService s, Namespace state, int n) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      increment(s, state);
    }
    return System.nanoTime() - t0;
  }
}
