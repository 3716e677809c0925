package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.StorageDiskFullException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor against loops that fail on purpose. Waits are on latches (generous timeouts that
 * only bound a broken run), never on elapsed time; the restart backoff is 1 ms so a test does not
 * wait for it.
 */
class SupervisorTest {
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private final Supervisor supervisor =
      new Supervisor(ExecutorFixture.FAST, (loop, e) -> fatal.set(loop));

  @AfterEach
  void stop() {
    supervisor.stopAndJoin(Duration.ofSeconds(5));
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(30, TimeUnit.SECONDS), "the loop never got there");
  }

  @Test
  void loopStoppedByAFullDiskIsRestartedAndReportedUntilItsNextGoodTurn() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch failedTwice = new CountDownLatch(1);
    CountDownLatch diskFreed = new CountDownLatch(1);
    CountDownLatch recovered = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    Supervisor.Worker w = supervisor.worker("watcher");
    w.start(
        () -> {
          int n = starts.incrementAndGet();
          if (n == 3) {
            failedTwice.countDown();
            diskFreed.await();
          }
          if (n <= 3) {
            throw new StorageDiskFullException("writing failed: the disk is full (test)");
          }
          w.ok();
          recovered.countDown();
          checked.await();
        });
    await(failedTwice);
    Map<String, String> faults = supervisor.faults();
    assertEquals(1, faults.size(), faults.toString());
    assertTrue(
        faults
            .get("watcher")
            .contains("StorageDiskFullException: writing failed: the disk is full"),
        faults.get("watcher"));
    diskFreed.countDown();
    await(recovered);
    assertEquals(Map.of(), supervisor.faults(), "a good turn clears the fault");
    assertEquals(4, starts.get());
    checked.countDown();
  }

  @Test
  void loopThatReturnsWithoutBeingAskedIsABugAndIsRestarted() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch second = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    supervisor
        .worker("submitter")
        .start(
            () -> {
              if (starts.incrementAndGet() == 2) {
                second.countDown();
                release.await();
              }
            });
    await(second);
    assertTrue(
        supervisor.faults().get("submitter").contains("returned without being asked to stop"),
        supervisor.faults().toString());
    release.countDown();
  }

  @Test
  void virtualMachineErrorStopsTheProcessInsteadOfARestart() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch thrown = new CountDownLatch(1);
    supervisor
        .worker("fulfil-tracker")
        .start(
            () -> {
              starts.incrementAndGet();
              thrown.countDown();
              throw new OutOfMemoryError("test");
            });
    await(thrown);
    supervisor.stopAndJoin(Duration.ofSeconds(5));
    assertEquals("fulfil-tracker", fatal.get());
    assertEquals(1, starts.get(), "not restarted");
    assertTrue(supervisor.faults().get("fulfil-tracker").contains("the process stops"));
  }

  @Test
  void stackOverflowIsRestartedLikeAnyFailureNotFatal() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch restarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supervisor.Worker w = supervisor.worker("executor-1");
    w.start(
        () -> {
          if (starts.incrementAndGet() == 1) {
            throw new StackOverflowError();
          }
          w.ok();
          restarted.countDown();
          release.await();
        });
    await(restarted);
    assertEquals(null, fatal.get());
    assertEquals(Map.of(), supervisor.faults());
    release.countDown();
  }

  @Test
  void loopsAskedToStopEndWithoutAFault() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    supervisor
        .worker("executor-0")
        .start(
            () -> {
              running.countDown();
              Thread.sleep(Duration.ofMinutes(5)); // ended by the interrupt
            });
    await(running);
    supervisor.stopAndJoin(Duration.ofSeconds(5));
    assertEquals(Map.of(), supervisor.faults());
    assertEquals(null, fatal.get());
  }
}
