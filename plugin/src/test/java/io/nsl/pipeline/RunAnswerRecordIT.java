package io.nsl.pipeline;

import static io.nsl.pipeline.ExecutorFixture.request;
import static io.nsl.pipeline.ExecutorFixture.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.testing.LocalPostgresServer;
import java.util.List;
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

  @Test
  void aRequestRunAgainAfterAKillBetweenItsReleaseAndSentIsAnsweredAsFirstAndCountedOnce()
      throws Exception {
    String url = pg.freshDatabase("killed");
    long firstRun;
    try (ExecutorFixture w1 = ExecutorFixture.onPostgres(url, "w1")) {
      w1.queue.commit(1, List.of(request(1, "counter", 1)));
      w1.start();
      w1.awaitExecuted(1);
      firstRun = w1.runs();
      // Killed here: the answer was in memory only (EXECUTED is not written), the request is
      // still pending in the durable queue; the run's release had committed.
    }
    try (ExecutorFixture again = ExecutorFixture.onPostgres(url, "w1")) {
      again.queue.resume();
      again.start();
      again.awaitExecuted(1);
      assertEquals(1, firstRun, "the first process ran it once");
      assertEquals(1, again.runs(), "the restarted process ran it again (it could not know)");
      assertEquals(1, again.counter(), "but its state change applied once");
      assertEquals(
          "{\"n\":1}", result(again.queue, 1), "and it is answered as the first run answered");
      assertEquals(1, again.metrics.runsAnsweredFromRecord());
    }
  }

  @Test
  void aRequestTakenOverAfterItsReleaseCommittedIsAnsweredAsFirstAndOthersStillRun()
      throws Exception {
    String url = pg.freshDatabase("takeover");
    try (ExecutorFixture w1 = ExecutorFixture.onPostgres(url, "w1");
        ExecutorFixture w2 = ExecutorFixture.onPostgres(url, "w2")) {
      w1.queue.commit(1, List.of(request(1, "counter", 1)));
      w1.start();
      w1.awaitExecuted(1);
      // w1's answer is lost (thrown away as stale, or w1 died before sending); w2 runs it.
      w2.queue.commit(1, List.of(request(1, "counter", 1), request(2, "counter", 1)));
      w2.start();
      w2.awaitExecuted(1);
      w2.awaitExecuted(2);
      assertEquals(2, w2.runs(), "w2 ran both");
      assertEquals(2, w2.counter(), "request 1 applied once, request 2 once");
      assertEquals("{\"n\":1}", result(w2.queue, 1), "request 1 answered as w1's run answered");
      assertEquals("{\"n\":2}", result(w2.queue, 2), "request 2 ran as usual");
      assertEquals(1, w2.metrics.runsAnsweredFromRecord());
    }
  }
}
