package io.nsl.pipeline;

import static io.nsl.pipeline.ExecutorFixture.await;
import static io.nsl.pipeline.ExecutorFixture.request;
import static io.nsl.pipeline.ExecutorFixture.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.StatePin;
import io.nsl.storage.StorageOutcomeUnknownException;
import io.nsl.storage.StorageUnreachableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's end of a run's lock. A release whose outcome is unknown (decision 1010, "A release
 * of unknown outcome"): the run is parked with its answer in hand, its function held on this
 * worker, and its release read back until the store tells; then it is answered (committed, or
 * undecidable) or run again (not committed), never both. A run that is not answered abandons its
 * writes. The lock is scripted; the queue and the executor are real. Waits are for conditions with
 * a generous bound, never on elapsed time.
 */
class RequestExecutorParkingTest {
  @TempDir Path dir;

  private final List<String> ranFunctions =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private ExecutorFixture fx;

  /** The first release of counter's lock has an unknown outcome; others release normally. */
  private final class ScriptedLocks implements FunctionLocks {
    final AtomicInteger readBacks = new AtomicInteger();
    final int unreachableReadBacks;
    final StatePin.ReleaseOutcome outcome;
    final CountDownLatch readBackReached = new CountDownLatch(1);
    final CountDownLatch letReadBackAnswer;
    private final AtomicInteger acquired = new AtomicInteger();

    ScriptedLocks(int unreachableReadBacks, StatePin.ReleaseOutcome outcome, boolean hold) {
      this.unreachableReadBacks = unreachableReadBacks;
      this.outcome = outcome;
      this.letReadBackAnswer = new CountDownLatch(hold ? 1 : 0);
    }

    @Override
    public Optional<Held> acquire(String functionId, Duration wait) {
      boolean unknown = functionId.equals("counter") && acquired.getAndIncrement() == 0;
      return Optional.of(
          new Held() {
            @Override
            public void close() {
              if (unknown) {
                throw new StorageOutcomeUnknownException(
                    "the release of the lock of fn:" + functionId + " lost its connection",
                    new StorageUnreachableException("PostgreSQL at 127.0.0.1:1 is down"));
              }
            }

            @Override
            public StatePin.ReleaseOutcome releaseOutcome() {
              readBackReached.countDown();
              try {
                assertTrue(letReadBackAnswer.await(30, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              if (readBacks.incrementAndGet() <= unreachableReadBacks) {
                throw new StorageUnreachableException("PostgreSQL at 127.0.0.1:1 is still down");
              }
              return outcome;
            }
          });
    }
  }

  private RequestQueue start(FunctionLocks locks) {
    return start(
        locks,
        inv ->
            new FunctionRunner.Outcome(
                0, "OK", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), 10, List.of(), ""));
  }

  private RequestQueue start(FunctionLocks locks, FunctionRunner outcomes) {
    fx =
        ExecutorFixture.onDisk(
            dir,
            ExecutorFixture.FAST,
            2,
            locks,
            inv -> {
              ranFunctions.add(inv.functionId() + "#" + inv.requestId());
              return outcomes.run(inv);
            });
    fx.start();
    return fx.queue;
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aParkedRunWhoseReleaseCommittedIsAnsweredOnceAndHoldsItsFunctionMeanwhile()
      throws Exception {
    ScriptedLocks locks = new ScriptedLocks(2, StatePin.ReleaseOutcome.COMMITTED, true);
    RequestQueue queue = start(locks);
    queue.commit(
        1, List.of(request(1, "counter", 1), request(2, "counter", 1), request(3, "other", 1)));
    assertTrue(locks.readBackReached.await(30, TimeUnit.SECONDS), "the run was parked");
    await(() -> stage(queue, 3) == RequestStage.EXECUTED, "another function's request to run");
    assertEquals(RequestStage.RUNNING, stage(queue, 1), "parked: neither answered nor retried");
    assertEquals(
        RequestStage.QUEUED, stage(queue, 2), "its function's next request waits on this worker");
    assertEquals(
        List.of("counter#1", "other#3"), ranFunctions.stream().sorted().toList(), "ran once each");
    locks.letReadBackAnswer.countDown();
    await(() -> stage(queue, 2) == RequestStage.EXECUTED, "both requests of counter answered");
    assertEquals(RequestStage.EXECUTED, stage(queue, 1));
    assertEquals(3, locks.readBacks.get(), "two read-backs failed, the third told");
    assertEquals(3, fx.runs(), "request 1 ran once");
    assertEquals(1, fx.metrics.releasesParked());
    assertEquals(1, fx.metrics.parkedReleasesDecided("committed"));
    assertTrue(
        fx.metrics.renderPrometheus().contains("nsl_releases_parked_total 1\n"),
        fx.metrics.renderPrometheus());
    assertTrue(fx.metrics.renderPrometheus().contains("nsl_releases_parked 0\n"));
  }

  @Test
  void aParkedRunWhoseReleaseDidNotCommitRunsAgainOnce() throws Exception {
    ScriptedLocks locks = new ScriptedLocks(1, StatePin.ReleaseOutcome.NOT_COMMITTED, false);
    RequestQueue queue = start(locks);
    queue.commit(1, List.of(request(1, "counter", 1)));
    await(() -> stage(queue, 1) == RequestStage.EXECUTED, "request 1 answered");
    assertEquals(2, fx.runs(), "nothing of the first run was written: it ran again, once");
    assertEquals(1, fx.metrics.parkedReleasesDecided("not_committed"));
  }

  /**
   * A parked run whose read-back finds another run's recorded answer to the same request (an
   * earlier run committed it: this run's release wrote nothing, or only the lock row) is answered
   * with that answer, and not run again; so is a run whose release found one at once.
   */
  @Test
  void aRunWhoseReleaseFindsAnEarlierRunsAnswerIsAnsweredWithItParkedOrNot() throws Exception {
    byte[] sig = new byte[64];
    java.util.Arrays.fill(sig, (byte) 7);
    byte[] earlier =
        RecordedAnswer.encode(
            new io.nsl.chain.GatewayClient.SignedFulfilment(
                1, 0, "{\"first\":1}".getBytes(StandardCharsets.UTF_8), 5, sig));
    List<Long> recorded = java.util.Collections.synchronizedList(new ArrayList<>());
    FunctionLocks locks =
        (functionId, wait) ->
            Optional.of(
                new FunctionLocks.Held() {
                  @Override
                  public void recordAnswer(long requestId, byte[] answer) {
                    recorded.add(requestId);
                  }

                  @Override
                  public void close() {
                    if (functionId.equals("parked")) {
                      throw new StorageOutcomeUnknownException(
                          "the release of the lock of fn:parked lost its connection",
                          new StorageUnreachableException("PostgreSQL at 127.0.0.1:1 is down"));
                    }
                  }

                  @Override
                  public StatePin.ReleaseOutcome releaseOutcome() {
                    return StatePin.ReleaseOutcome.NOT_COMMITTED;
                  }

                  @Override
                  public Optional<byte[]> earlierAnswer() {
                    return Optional.of(earlier);
                  }
                });
    RequestQueue queue = start(locks);
    queue.commit(1, List.of(request(1, "parked", 1)));
    await(() -> stage(queue, 1) == RequestStage.EXECUTED, "request 1 answered");
    assertEquals(1, fx.runs(), "not run again");
    assertEquals("{\"first\":1}", ExecutorFixture.result(queue, 1));
    assertEquals(1, fx.metrics.parkedReleasesDecided("not_committed"));
    assertEquals(1, fx.metrics.runsAnsweredFromRecord());
    assertEquals(List.of(1L), recorded, "the run recorded its answer for its release");
    assertTrue(
        fx.metrics.renderPrometheus().contains("nsl_runs_answered_from_record_total 1\n"),
        fx.metrics.renderPrometheus());
  }

  @Test
  void anUndecidableParkedRunIsAnsweredAndNotRunAgain() throws Exception {
    ScriptedLocks locks = new ScriptedLocks(0, StatePin.ReleaseOutcome.UNDECIDABLE, false);
    RequestQueue queue = start(locks);
    queue.commit(1, List.of(request(1, "counter", 1)));
    await(() -> stage(queue, 1) == RequestStage.EXECUTED, "request 1 answered");
    assertEquals(1, fx.runs(), "at most once: not run again");
    assertEquals(1, fx.metrics.parkedReleasesDecided("undecidable"));
  }

  /**
   * A run that is not answered runs again, so the state writes it holds must not land with its
   * release: the engine failed after the function wrote (255, run again), and the executor ended
   * the lock without committing (abandon); the second run's lock is released as usual (close).
   */
  @Test
  void aRunThatIsNotAnsweredAbandonsItsWritesInsteadOfCommittingThem() throws Exception {
    List<String> ends = java.util.Collections.synchronizedList(new ArrayList<>());
    FunctionLocks recording =
        (functionId, wait) ->
            Optional.of(
                new FunctionLocks.Held() {
                  @Override
                  public void close() {
                    ends.add("close");
                  }

                  @Override
                  public void abandon() {
                    ends.add("abandon");
                  }
                });
    AtomicInteger attempt = new AtomicInteger();
    RequestQueue queue =
        start(
            recording,
            inv ->
                attempt.incrementAndGet() == 1
                    ? new FunctionRunner.Outcome(
                        255, "INTERNAL_ERROR", new byte[0], 10, List.of(), "engine failed")
                    : new FunctionRunner.Outcome(
                        0, "OK", "{}".getBytes(StandardCharsets.UTF_8), 10, List.of(), ""));
    queue.commit(1, List.of(request(1, "counter", 1)));
    await(() -> stage(queue, 1) == RequestStage.EXECUTED, "request 1 answered");
    assertEquals(List.of("abandon", "close"), List.copyOf(ends));
    assertEquals(2, fx.runs());
  }
}
