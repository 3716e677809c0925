package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.pipeline.FunctionLocks;
import io.nsl.testing.ManualClock;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One run of a function at a time across workers, through lock rows in the shared rows. */
class SharedFunctionLocksTest {
  private final InMemorySharedRows rows = new InMemorySharedRows();

  @Test
  void aSecondWorkerGetsTheLockOnlyAfterTheFirstReleasesIt() throws InterruptedException {
    ManualClock clock = new ManualClock(1_000_000);
    WorkerRegistry r1 = new WorkerRegistry(rows, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    WorkerRegistry r2 = new WorkerRegistry(rows, "w2", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    r1.heartbeat();
    r2.heartbeat();
    SharedFunctionLocks l1 = new SharedFunctionLocks(rows, r1, Duration.ofSeconds(60), clock);
    SharedFunctionLocks l2 = new SharedFunctionLocks(rows, r2, Duration.ofSeconds(60), clock);
    Optional<FunctionLocks.Held> h1 = l1.acquire("counter", Duration.ZERO);
    assertTrue(h1.isPresent());
    assertTrue(l2.acquire("counter", Duration.ZERO).isEmpty());
    assertTrue(l2.acquire("other", Duration.ZERO).isPresent(), "locks are per function");
    h1.get().close();
    assertTrue(l2.acquire("counter", Duration.ZERO).isPresent());
  }

  /**
   * The leases live in rows of their own (the membership namespace), apart from the lock rows: a
   * lock held by a live worker is not taken, one held by a worker whose lease expired is.
   */
  @Test
  void aLockIsJudgedByItsHoldersLeaseInTheMembershipRows() throws InterruptedException {
    ManualClock clock = new ManualClock(1_000_000);
    InMemorySharedRows membership = new InMemorySharedRows();
    WorkerRegistry r1 =
        new WorkerRegistry(membership, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    WorkerRegistry r2 =
        new WorkerRegistry(membership, "w2", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    r1.heartbeat();
    r2.heartbeat();
    SharedFunctionLocks l1 = new SharedFunctionLocks(rows, r1, Duration.ofSeconds(60), clock);
    SharedFunctionLocks l2 = new SharedFunctionLocks(rows, r2, Duration.ofSeconds(60), clock);
    assertTrue(l1.acquire("counter", Duration.ZERO).isPresent());
    assertTrue(l2.acquire("counter", Duration.ZERO).isEmpty(), "w1 is live: its lock holds");
    clock.advance(6_000); // w1 stopped renewing: its lease (5 s) ran out
    r2.heartbeat();
    assertTrue(l2.acquire("counter", Duration.ZERO).isPresent(), "w1's lease expired");
  }

  /**
   * A worker's next take of a function it released last tries the version its release left, without
   * reading the row first; when another worker took the lock since, it reads and takes as usual.
   */
  @Test
  void aWorkersNextTakeSkipsTheReadUnlessAnotherWorkerTookTheLockSince()
      throws InterruptedException {
    ManualClock clock = new ManualClock(1_000_000);
    java.util.concurrent.atomic.AtomicInteger lockReads =
        new java.util.concurrent.atomic.AtomicInteger();
    SharedRows counting =
        new ForwardingSharedRows(rows) {
          @Override
          public Optional<Row> get(String key) {
            if (key.startsWith(SharedFunctionLocks.LOCK)) {
              lockReads.incrementAndGet();
            }
            return rows.get(key);
          }
        };
    WorkerRegistry r1 =
        new WorkerRegistry(counting, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    WorkerRegistry r2 =
        new WorkerRegistry(counting, "w2", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    r1.heartbeat();
    r2.heartbeat();
    SharedFunctionLocks l1 = new SharedFunctionLocks(counting, r1, Duration.ofSeconds(60), clock);
    SharedFunctionLocks l2 = new SharedFunctionLocks(counting, r2, Duration.ofSeconds(60), clock);
    l1.acquire("counter", Duration.ZERO).orElseThrow().close();
    assertEquals(1, lockReads.get(), "the first take reads the row");
    l1.acquire("counter", Duration.ZERO).orElseThrow().close();
    assertEquals(1, lockReads.get(), "the next take tries the version of its release");
    l2.acquire("counter", Duration.ZERO).orElseThrow().close();
    assertEquals(2, lockReads.get());
    FunctionLocks.Held again = l1.acquire("counter", Duration.ZERO).orElseThrow();
    assertEquals(3, lockReads.get(), "w2 took it since: w1's remembered version failed, it read");
    assertTrue(l2.acquire("counter", Duration.ZERO).isEmpty(), "and w1 holds it");
    again.close();
  }

  @Test
  void aDeadHoldersLockFreesWithItsLease() throws InterruptedException {
    ManualClock clock = new ManualClock(1_000_000);
    WorkerRegistry r1 = new WorkerRegistry(rows, "w1", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    WorkerRegistry r2 = new WorkerRegistry(rows, "w2", "ab", WorkerRegistry.Timing.DEFAULT, clock);
    r1.heartbeat();
    r2.heartbeat();
    SharedFunctionLocks l1 = new SharedFunctionLocks(rows, r1, Duration.ofSeconds(60), clock);
    SharedFunctionLocks l2 = new SharedFunctionLocks(rows, r2, Duration.ofSeconds(60), clock);
    assertTrue(l1.acquire("counter", Duration.ZERO).isPresent()); // w1 dies holding it
    clock.advance(3_000);
    r2.heartbeat();
    assertTrue(l2.acquire("counter", Duration.ZERO).isEmpty(), "w1's lease still runs");
    clock.advance(3_000);
    r2.heartbeat();
    assertTrue(l2.acquire("counter", Duration.ZERO).isPresent());
  }

  /**
   * The lost update the locks prevent: 1,000 read-increment-write runs of one function spread over
   * three workers (threads with their own registry and locks, like separate processes) end at
   * exactly 1,000.
   */
  @Test
  void aThousandIncrementsOverThreeWorkersEndAtExactlyAThousand() throws Exception {
    Clock clock = Clock.systemUTC();
    String state = "state/counter/n"; // the function's state, in the same shared rows
    rows.put(state, ByteBuffer.allocate(8).putLong(0).array());
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < 3; w++) {
      WorkerRegistry reg =
          new WorkerRegistry(rows, "w" + w, "ab", WorkerRegistry.Timing.DEFAULT, clock);
      reg.heartbeat();
      SharedFunctionLocks locks = new SharedFunctionLocks(rows, reg, Duration.ofSeconds(60), clock);
      int runs = w == 2 ? 334 : 333;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < runs; i++) {
                        if (i % 10 == 0) {
                          reg.heartbeat(); // its heartbeat loop, inline: the lease stays live
                        }
                        try (FunctionLocks.Held h =
                            locks.acquire("counter", Duration.ofSeconds(30)).orElseThrow()) {
                          long n = ByteBuffer.wrap(rows.get(state).orElseThrow().value()).getLong();
                          Thread.yield(); // widen the window a lost update needs
                          rows.put(state, ByteBuffer.allocate(8).putLong(n + 1).array());
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
    assertEquals(List.of(), failures);
    assertEquals(1_000, ByteBuffer.wrap(rows.get(state).orElseThrow().value()).getLong());
  }
}
