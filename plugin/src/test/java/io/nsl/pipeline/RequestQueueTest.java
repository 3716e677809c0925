package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.RunId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The queue as the owner of every stage change: each move through its API, allowed or refused. */
class RequestQueueTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
  private final InMemoryServiceStore store = new InMemoryServiceStore();
  private final RequestQueue q = new RequestQueue(store, 0, clock, new PipelineMetrics());

  static GatewayRequest request(long id, long block) {
    return request(id, block, "0x" + "cd".repeat(20));
  }

  static GatewayRequest request(long id, long block, String owner) {
    return request(id, block, owner, "double");
  }

  static GatewayRequest request(long id, long block, String owner, String functionId) {
    return new GatewayRequest(
        id,
        functionId,
        new byte[32],
        "0x" + "ab".repeat(20),
        "{\"value\":42}".getBytes(StandardCharsets.UTF_8),
        100_000,
        Optional.of(owner),
        block,
        "0xtx" + id,
        new byte[21]);
  }

  static SignedFulfilment answer(long id) {
    return new SignedFulfilment(
        id, 0, "{\"result\":84}".getBytes(StandardCharsets.UTF_8), 123, new byte[64]);
  }

  private RequestStage stage(long id) {
    return q.get(id).orElseThrow().stage();
  }

  private QueuedRequest run() throws InterruptedException {
    return q.takeToRun(Duration.ZERO).orElseThrow();
  }

  /** Takes request {@code id} to EXECUTED through the queue's API. */
  private void execute(long id) throws InterruptedException {
    assertEquals(id, run().id());
    q.executed(id, answer(id));
  }

  private QueuedRequest takeAnswer() throws InterruptedException {
    return q.takeAnswers(1, Duration.ZERO).get(0);
  }

  @Test
  void startsAtConfiguredBlockAndMovesCursorWithRequestsInOneWrite() {
    RequestQueue queue = new RequestQueue(store, 5, clock, new PipelineMetrics());
    assertEquals(5, queue.nextBlock());
    queue.commit(5, List.of(request(1, 5), request(2, 5)));
    assertEquals(6, queue.nextBlock());
    assertEquals(2, queue.size());
    assertEquals(2, queue.stored().size());
    queue.commit(6, List.of());
    assertEquals(7, queue.nextBlock());
  }

  @Test
  void seenRequestsAreQueuedToRunAtOnce() {
    q.commit(3, List.of(request(1, 3)));
    assertEquals(RequestStage.QUEUED, stage(1));
    assertEquals(1, q.backlog());
    assertFalse(q.executorIdle());
  }

  @Test
  void queuedToRunningToExecuted() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    QueuedRequest taken = run();
    assertEquals(RequestStage.RUNNING, taken.stage());
    assertEquals(RequestStage.RUNNING, stage(1));
    assertFalse(q.executorIdle(), "a running request keeps the executor busy");
    q.executed(1, answer(1));
    assertEquals(RequestStage.EXECUTED, stage(1));
    assertTrue(q.executorIdle());
    assertEquals(1, q.takeAnswers(10, Duration.ZERO).size());
  }

  @Test
  void runningBackToQueuedOnRetry() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    run();
    q.retry(1);
    assertEquals(RequestStage.QUEUED, stage(1));
    assertEquals(1, run().id());
  }

  @Test
  void executedToSentIsDurableBeforeAnythingElse() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    q.sent(List.of(takeAnswer()), "0xabc", 99);
    assertEquals(RequestStage.SENT, stage(1));
    QueuedRequest stored = q.stored().get(0);
    assertEquals(RequestStage.SENT, stored.stage());
    assertEquals("0xabc", stored.txHash().orElseThrow());
    assertEquals(99, stored.validUntilBlock());
  }

  @Test
  void sentToConfirmedLeavesTheQueue() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    q.sent(List.of(takeAnswer()), "0xabc", 99);
    q.confirmed(List.of(1L));
    assertEquals(0, q.size());
    assertEquals(List.of(), q.stored());
  }

  @Test
  void sentBackToExecutedIsTakenAgain() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    q.sent(List.of(takeAnswer()), "0xabc", 99);
    q.unsent(List.of(1L));
    assertEquals(RequestStage.EXECUTED, stage(1));
    assertEquals(RequestStage.EXECUTED, q.stored().get(0).stage());
    assertEquals(1, takeAnswer().id());
  }

  @Test
  void sentToDroppedAndToFailedLeaveTheQueue() throws InterruptedException {
    q.commit(3, List.of(request(1, 3), request(2, 3)));
    execute(1);
    execute(2);
    q.sent(q.takeAnswers(2, Duration.ZERO), "0xabc", 99);
    q.dropped(List.of(1L));
    q.failed(List.of(2L));
    assertEquals(0, q.size());
    assertEquals(List.of(), q.stored());
  }

  @Test
  void executedToDroppedAndToFailedLeaveTheQueue() throws InterruptedException {
    q.commit(3, List.of(request(1, 3), request(2, 3)));
    execute(1);
    execute(2);
    q.dropped(List.of(1L));
    q.failed(List.of(2L));
    assertEquals(0, q.size());
  }

  @Test
  void refusesToExecuteWhatIsNotRunning() {
    q.commit(3, List.of(request(1, 3)));
    var e = assertThrows(RequestStage.IllegalTransition.class, () -> q.executed(1, answer(1)));
    assertTrue(e.getMessage().contains("from QUEUED to EXECUTED"), e.getMessage());
  }

  @Test
  void refusesToConfirmWhatWasNeverSent() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    assertThrows(RequestStage.IllegalTransition.class, () -> q.confirmed(List.of(1L)));
    assertEquals(RequestStage.EXECUTED, stage(1), "a refused move changes nothing");
  }

  @Test
  void refusesToRetryWhatIsAlreadyExecuted() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    assertThrows(RequestStage.IllegalTransition.class, () -> q.retry(1));
  }

  @Test
  void refusesToSendTwice() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    QueuedRequest a = takeAnswer();
    q.sent(List.of(a), "0xabc", 99);
    assertThrows(RequestStage.IllegalTransition.class, () -> q.sent(List.of(a), "0xdef", 99));
    assertEquals("0xabc", q.get(1).orElseThrow().txHash().orElseThrow());
  }

  @Test
  void refusesToDropWhatIsStillRunning() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    run();
    assertThrows(RequestStage.IllegalTransition.class, () -> q.dropped(List.of(1L)));
  }

  @Test
  void refusesToMoveAnUnknownRequest() {
    var e = assertThrows(IllegalStateException.class, () -> q.confirmed(List.of(42L)));
    assertTrue(e.getMessage().contains("42"), e.getMessage());
  }

  @Test
  void giveBackKeepsTheAnswerExecuted() throws InterruptedException {
    q.commit(3, List.of(request(1, 3)));
    execute(1);
    QueuedRequest a = takeAnswer();
    assertEquals(List.of(), q.takeAnswers(1, Duration.ZERO), "taken answers are in hand");
    q.giveBack(List.of(a));
    assertEquals(RequestStage.EXECUTED, stage(1));
    assertEquals(1, takeAnswer().id());
  }

  @Test
  void takesRoundRobinAcrossOwners() throws InterruptedException {
    String a = "0x" + "0a".repeat(20);
    String b = "0x" + "0b".repeat(20);
    q.commit(
        3,
        List.of(
            request(1, 3, a, "f1"),
            request(2, 3, a, "f2"),
            request(3, 3, a, "f3"),
            request(4, 3, b, "f4")));
    assertEquals(1, run().id());
    assertEquals(4, run().id(), "the second owner's turn comes before the first's flood");
    assertEquals(2, run().id());
  }

  @Test
  void aFunctionRunsOneRequestAtATimeInOrderWhileOtherFunctionsRun() throws InterruptedException {
    // Before: two workers ran two requests of one function at once, each read its state, and one
    // write was lost (29 answered increments left a counter at 24).
    String a = "0x" + "0a".repeat(20);
    String b = "0x" + "0b".repeat(20);
    q.commit(
        3,
        List.of(
            request(1, 3, a, "counter"),
            request(2, 3, a, "counter"),
            request(3, 3, b, "other"),
            request(4, 3, a, "counter")));
    assertEquals(1, run().id());
    assertEquals(3, run().id(), "counter is busy, so the other function runs");
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty(), "2 waits for 1, its function's run");
    q.executed(1, answer(1));
    assertEquals(2, run().id(), "then the function's requests run in their order");
    q.retry(2);
    assertEquals(2, run().id(), "a retried request keeps its place before 4");
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty());
    q.executed(2, answer(2));
    assertEquals(4, run().id());
  }

  @Test
  void aBusyScheduleTakesOneTurnAndNeverTheTurnsOfItsOwnersRequests() throws InterruptedException {
    String owner = "0x" + "cd".repeat(20);
    List<GatewayRequest> block = new java.util.ArrayList<>();
    for (long slot = 1; slot <= 50; slot++) {
      block.add(request(RunId.of(1, slot), 1, owner, "feed")); // 50 runs of one schedule
    }
    block.add(request(7, 1, owner)); // a request of the same owner, queued after them
    q.commit(0, List.of());
    q.commit(1, block);
    assertEquals(RunId.of(1, 1), run().id());
    assertEquals(7, run().id(), "the request runs second, not 51st");
  }

  @Test
  void resumesEveryStageAfterReopen() throws InterruptedException {
    q.commit(3, List.of(request(7, 3), request(8, 3), request(9, 3)));
    execute(7);
    execute(8);
    List<QueuedRequest> answers = q.takeAnswers(2, Duration.ZERO);
    q.sent(answers.subList(1, 2), "0xabc", 99); // 8
    q.sent(answers.subList(0, 1), "0xdef", 98); // 7
    q.unsent(List.of(7L)); // back to EXECUTED, stored as such
    // 9 is still QUEUED: stored as pending.

    RequestQueue reopened = new RequestQueue(store, 0, clock, new PipelineMetrics());
    assertEquals(4, reopened.nextBlock());
    List<QueuedRequest> sent = reopened.resume();
    assertEquals(List.of(8L), sent.stream().map(QueuedRequest::id).toList());
    assertEquals("0xabc", sent.get(0).txHash().orElseThrow());
    assertEquals(99, sent.get(0).validUntilBlock());
    assertEquals(3, reopened.size());
    QueuedRequest back7 = reopened.get(7).orElseThrow();
    assertEquals(RequestStage.EXECUTED, back7.stage());
    assertArrayEquals(answer(7).result(), back7.fulfilment().orElseThrow().result());
    assertEquals(123, back7.fulfilment().orElseThrow().gasUsed());
    assertEquals(request(7, 3), back7.request());
    assertEquals(RequestStage.QUEUED, reopened.get(9).orElseThrow().stage());
    assertEquals(9, reopened.takeToRun(Duration.ZERO).orElseThrow().id());
    assertEquals(7, reopened.takeAnswers(5, Duration.ZERO).get(0).id());
  }

  /** A request as a build from before the gateway kept commitments queued it: no fields. */
  static GatewayRequest withoutFields(long id, long block) {
    GatewayRequest r = request(id, block);
    return new GatewayRequest(
        r.requestId(),
        r.functionId(),
        r.codeHash(),
        r.requester(),
        r.input(),
        r.gasLimit(),
        r.functionOwner(),
        r.blockIndex(),
        r.txHash(),
        new byte[0]);
  }

  @Test
  void failsOnceOnResumeWhatAnOlderBuildQueuedWithoutFields() throws InterruptedException {
    q.commit(3, List.of(withoutFields(1, 3), withoutFields(2, 3), request(3, 3)));
    // 1 came back EXECUTED from a transaction under the older build: stored as such.
    QueuedRequest executed =
        QueuedRequest.seen(withoutFields(1, 3), 1_000)
            .at(RequestStage.QUEUED)
            .at(RequestStage.RUNNING)
            .executed(answer(1))
            .sent("0xold", 50)
            .unsent();
    store.apply(
        java.util.Map.of(QueueCodec.key(1), new QueueCodec().encode(executed)), java.util.Set.of());

    PipelineMetrics metrics = new PipelineMetrics();
    RequestQueue reopened = new RequestQueue(store, 0, clock, metrics);
    assertEquals(List.of(), reopened.resume());
    assertTrue(reopened.get(1).isEmpty(), "an EXECUTED one without fields ends");
    assertTrue(reopened.get(2).isEmpty(), "a pending one without fields ends");
    assertEquals(List.of(3L), reopened.stored().stream().map(QueuedRequest::id).toList());
    assertEquals(3, reopened.takeToRun(Duration.ZERO).orElseThrow().id());
    assertTrue(reopened.takeToRun(Duration.ZERO).isEmpty(), "nothing without fields runs");
    assertTrue(reopened.takeAnswers(5, Duration.ZERO).isEmpty(), "nothing without fields is sent");
    assertTrue(
        metrics
            .renderPrometheus()
            .contains("nsl_requests_failed_total{kind=\"NO_REQUEST_FIELDS\"} 2"),
        metrics.renderPrometheus());
  }

  @Test
  void failsAnAnswerWithoutFieldsThatComesBackFromItsTransaction() throws InterruptedException {
    q.commit(3, List.of(withoutFields(4, 3)));
    // A SENT one is resumed for tracking (its transaction needs no fields and may be included).
    execute(4);
    q.sent(q.takeAnswers(1, Duration.ZERO), "0xold", 50);
    PipelineMetrics metrics = new PipelineMetrics();
    RequestQueue reopened = new RequestQueue(store, 0, clock, metrics);
    assertEquals(List.of(4L), reopened.resume().stream().map(QueuedRequest::id).toList());
    reopened.unsent(List.of(4L)); // expired unincluded: this build cannot send it again
    assertTrue(reopened.get(4).isEmpty());
    assertTrue(reopened.stored().isEmpty());
    assertTrue(reopened.takeAnswers(5, Duration.ZERO).isEmpty());
    assertTrue(
        metrics
            .renderPrometheus()
            .contains("nsl_requests_failed_total{kind=\"NO_REQUEST_FIELDS\"} 1"),
        metrics.renderPrometheus());
  }

  @Test
  void storedStageNamesStayReadable() {
    assertEquals("PENDING", QueueCodec.storedStage(RequestStage.RUNNING));
    assertEquals("SUBMITTED", QueueCodec.storedStage(RequestStage.SENT));
    assertEquals(RequestStage.SEEN, QueueCodec.loadedStage("PENDING"));
    assertEquals(RequestStage.SENT, QueueCodec.loadedStage("SUBMITTED"));
    assertThrows(IllegalStateException.class, () -> QueueCodec.loadedStage("LOST"));
    assertThrows(
        IllegalArgumentException.class, () -> QueueCodec.storedStage(RequestStage.CONFIRMED));
  }

  @Test
  void keyOrderIsIdOrder() {
    assertTrue(QueueCodec.key(9).compareTo(QueueCodec.key(10)) < 0);
  }

  @Test
  void countByStageNamesEveryLiveStageAndAddsUpToTheDepth() throws InterruptedException {
    q.commit(
        5,
        List.of(
            request(1, 5),
            request(2, 5, "0x" + "ee".repeat(20)),
            request(3, 5, "0x" + "ff".repeat(20))));
    execute(1);
    run(); // request 2 (another owner's turn in the fair queue) is now RUNNING
    java.util.Map<String, Long> counts = q.countByStage();
    assertEquals(
        java.util.Map.of(
            "SEEN", 0L, "QUEUED", 1L, "HELD", 0L, "RUNNING", 1L, "EXECUTED", 1L, "SENT", 0L),
        counts);
    assertEquals(q.size(), counts.values().stream().mapToLong(Long::longValue).sum());
  }
}
