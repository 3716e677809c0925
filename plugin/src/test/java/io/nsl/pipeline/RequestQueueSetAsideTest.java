package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request whose function another live worker runs now is set aside ({@link
 * RequestQueue#setAside}): passed over until a short retry time that grows while the function stays
 * busy elsewhere, before its function's later requests, while other functions' requests are handed
 * out. The clock is moved by hand.
 */
class RequestQueueSetAsideTest {
  private static final String OWNER = "0x" + "cd".repeat(20);

  private final ManualClock clock = new ManualClock(1_000_000);
  private final RequestQueue q =
      new RequestQueue(new InMemoryServiceStore(), 0, clock, new PipelineMetrics());

  private long take() throws InterruptedException {
    return q.takeToRun(Duration.ZERO).orElseThrow().id();
  }

  @Test
  void aFunctionBusyOnAnotherWorkerIsPassedOverUntilItsRetryTimeInItsOwnOrder()
      throws InterruptedException {
    q.commit(
        1,
        List.of(
            RequestQueueTest.request(1, 1, OWNER, "counter"),
            RequestQueueTest.request(2, 1, OWNER, "counter"),
            RequestQueueTest.request(3, 1, OWNER, "other")));
    assertEquals(1, take());
    assertEquals(RequestQueue.BUSY_ELSEWHERE_FIRST, q.setAside(1));
    assertEquals(RequestStage.QUEUED, q.get(1).orElseThrow().stage());
    assertEquals(3, take(), "counter is busy on another worker: the other function runs");
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty(), "counter waits for its retry time");
    clock.advance(RequestQueue.BUSY_ELSEWHERE_FIRST.minusMillis(1));
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty());
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, take(), "tried again first, before its function's later request");
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty(), "one run of counter at a time here too");
    q.executed(1, RequestQueueTest.answer(1));
    assertEquals(2, take());
  }

  @Test
  void theRetryTimeDoublesWhileTheFunctionStaysBusyElsewhereAndStartsOverOnceItRunsHere()
      throws InterruptedException {
    q.commit(
        1,
        List.of(
            RequestQueueTest.request(1, 1, OWNER, "counter"),
            RequestQueueTest.request(2, 1, OWNER, "counter")));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      assertEquals(1, take());
      Duration wait = q.setAside(1);
      waits.add(wait.toMillis());
      clock.advance(wait);
    }
    long first = RequestQueue.BUSY_ELSEWHERE_FIRST.toMillis();
    long max = RequestQueue.BUSY_ELSEWHERE_MAX.toMillis();
    List<Long> expected = new ArrayList<>();
    for (long w = first; expected.size() < 6; w = Math.min(w * 2, max)) {
      expected.add(w);
    }
    assertEquals(expected, waits);
    assertEquals(max, waits.get(5), "capped");
    assertEquals(1, take());
    q.executed(1, RequestQueueTest.answer(1)); // it ran here: the lock came free
    assertEquals(2, take());
    assertEquals(RequestQueue.BUSY_ELSEWHERE_FIRST, q.setAside(2), "starts over");
  }

  @Test
  void aTakeWaitingForWorkIsWokenWhenASetAsideFunctionMayBeTriedAgain() throws Exception {
    q.commit(1, List.of(RequestQueueTest.request(1, 1, OWNER, "counter")));
    assertEquals(1, take());
    q.setAside(1);
    CompletableFuture<Long> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return q.takeToRun(Duration.ofMinutes(5)).orElseThrow().id();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    clock.advance(RequestQueue.BUSY_ELSEWHERE_FIRST);
    // Not woken by any signal (nothing frees here): only by the retry time it waits towards.
    assertEquals(1, waiting.get(60, TimeUnit.SECONDS));
  }

  @Test
  void refusesToSetAsideWhatIsNotRunning() throws InterruptedException {
    q.commit(1, List.of(RequestQueueTest.request(1, 1, OWNER, "counter")));
    assertThrows(RequestStage.IllegalTransition.class, () -> q.setAside(1));
    assertEquals(1, take());
    q.executed(1, RequestQueueTest.answer(1));
    assertThrows(RequestStage.IllegalTransition.class, () -> q.setAside(1));
    assertEquals(RequestStage.EXECUTED, q.get(1).orElseThrow().stage());
  }
}
