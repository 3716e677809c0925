package io.nsl.pipeline;

import static io.nsl.pipeline.RequestQueueTest.answer;
import static io.nsl.pipeline.RequestQueueTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The queue of one of several workers: it holds other workers' requests, runs them when it takes
 * them over, drops them when they were answered, and sends only answers that are still its own.
 */
class RequestQueueAssignmentTest {
  /** Owns the ids in {@link #mine}; a request that becomes mine later counts as a takeover. */
  private static class TestAssignment implements Assignment {
    final Set<Long> mine = new HashSet<>();
    final Set<Long> takenOver = new HashSet<>();
    final List<Long> ended = new ArrayList<>();

    @Override
    public synchronized Decision decide(long requestId) {
      boolean m = mine.contains(requestId);
      return new Decision(m, m ? "me" : "other", m && takenOver.contains(requestId), 4_500);
    }

    @Override
    public synchronized Set<Long> stillMine(Collection<Long> ids) {
      Set<Long> out = new HashSet<>(ids);
      out.retainAll(mine);
      return out;
    }

    @Override
    public synchronized void ended(Collection<Long> ids) {
      ended.addAll(ids);
    }
  }

  private final ManualClock clock = new ManualClock(1_000);
  private final TestAssignment assignment = new TestAssignment();
  private final PipelineMetrics metrics = new PipelineMetrics();
  private final RequestQueue q =
      new RequestQueue(new InMemoryServiceStore(), 0, clock, metrics, assignment);

  @Test
  void othersRequestsAreRecordedAndHeldNotRun() throws InterruptedException {
    assignment.mine.add(1L);
    q.commit(3, List.of(request(1, 3), request(2, 3)));
    assertEquals(2, q.size());
    assertEquals(2, q.stored().size(), "every worker keeps every request durably");
    assertEquals(List.of(2L), q.heldIds());
    assertEquals(1, q.takeToRun(Duration.ZERO).orElseThrow().id());
    assertTrue(q.takeToRun(Duration.ZERO).isEmpty(), "the held one is not run");
    assertEquals(RequestStage.QUEUED, q.get(2).orElseThrow().stage());
  }

  @Test
  void aHeldRequestRunsOnceTakenOverAndTheTakeoverIsCounted() throws InterruptedException {
    q.commit(3, List.of(request(2, 3)));
    assertEquals(0, q.reassign(), "still the other's");
    clock.advance(6_000); // its owner renewed 4.5 s ago, after the request was recorded
    assignment.mine.add(2L);
    assignment.takenOver.add(2L);
    assertEquals(1, q.reassign());
    assertEquals(List.of(), q.heldIds());
    assertEquals(2, q.takeToRun(Duration.ZERO).orElseThrow().id());
    assertEquals(1, metrics.takeovers());
    assertTrue(metrics.renderPrometheus().contains("nsl_takeover_seconds_sum 4.5"));
  }

  @Test
  void aTakeoverOfARequestThatArrivedAfterItsOwnerDiedCountsFromItsArrival()
      throws InterruptedException {
    // WorkersOnChainIT's kill -9 counted every request of the dead worker from its last renewal,
    // those that arrived 40 s after it too: a mean of 46 s for takeovers each made as soon as its
    // request was read.
    q.commit(3, List.of(request(2, 3)));
    clock.advance(1_000); // its owner renewed 4.5 s ago, before the request arrived
    assignment.mine.add(2L);
    assignment.takenOver.add(2L);
    assertEquals(1, q.reassign());
    assertTrue(metrics.renderPrometheus().contains("nsl_takeover_seconds_sum 1.0"));
  }

  @Test
  void reassignDecidesEveryHeldRequestInOneCall() {
    List<Integer> batches = new ArrayList<>();
    TestAssignment counting =
        new TestAssignment() {
          @Override
          public synchronized java.util.Map<Long, Decision> decideAll(Collection<Long> ids) {
            batches.add(ids.size());
            return super.decideAll(ids);
          }
        };
    RequestQueue queue = new RequestQueue(new InMemoryServiceStore(), 0, clock, metrics, counting);
    queue.commit(3, List.of(request(1, 3), request(2, 3), request(3, 3)));
    assertEquals(List.of(3), batches, "the block's requests: one call (one write of claims)");
    counting.mine.addAll(List.of(1L, 2L, 3L));
    assertEquals(3, queue.reassign());
    assertEquals(List.of(3, 3), batches);
  }

  @Test
  void aHeldRequestAnsweredByItsOwnerIsDroppedHere() {
    q.commit(3, List.of(request(2, 3), request(3, 3)));
    q.droppedHeld(List.of(2L, 99L));
    assertEquals(List.of(3L), q.heldIds());
    assertTrue(q.get(2).isEmpty());
    assertEquals(1, q.stored().size());
    assertEquals(List.of(2L), assignment.ended);
  }

  @Test
  void droppedHeldIgnoresARequestThatIsNoLongerHeld() throws InterruptedException {
    q.commit(3, List.of(request(2, 3)));
    assignment.mine.add(2L);
    q.reassign();
    q.droppedHeld(List.of(2L)); // the tracker's state read raced with the takeover
    assertEquals(RequestStage.QUEUED, q.get(2).orElseThrow().stage());
  }

  @Test
  void anAnswerNoLongerMineIsNotSentAndTheRequestIsHeldAgain() throws InterruptedException {
    assignment.mine.add(1L);
    assignment.mine.add(2L);
    q.commit(3, List.of(request(1, 3), request(2, 3)));
    for (int i = 0; i < 2; i++) {
      long id = q.takeToRun(Duration.ZERO).orElseThrow().id();
      q.executed(id, answer(id));
    }
    List<QueuedRequest> answers = q.takeAnswers(10, Duration.ZERO);
    assignment.mine.remove(2L); // this worker was frozen past its lease; 2 was taken over
    List<QueuedRequest> kept = q.keepOwn(answers);
    assertEquals(List.of(1L), kept.stream().map(QueuedRequest::id).toList());
    assertEquals(RequestStage.QUEUED, q.get(2).orElseThrow().stage());
    assertEquals(List.of(2L), q.heldIds());
    assertEquals(1, metrics.staleAnswers());
    q.reclaim(answers); // the submitter's failure path must not resurrect the thrown-away answer
    assertEquals(
        List.of(1L),
        q.takeAnswers(10, Duration.ZERO).stream().map(QueuedRequest::id).toList(),
        "only the kept answer comes back");
  }

  @Test
  void anAnswerSkippedOnChainAsNoLongerPendingCountsAsADuplicateSubmission()
      throws InterruptedException {
    assignment.mine.add(1L);
    q.commit(3, List.of(request(1, 3)));
    q.takeToRun(Duration.ZERO);
    q.executed(1, answer(1));
    q.sent(q.takeAnswers(1, Duration.ZERO), "0xtx", 50);
    q.dropped(List.of(1L));
    assertEquals(1, metrics.duplicateSubmissions());
  }

  @Test
  void resumeHoldsWhatIsNotMine() {
    InMemoryServiceStore store = new InMemoryServiceStore();
    new RequestQueue(store, 0, clock, metrics).commit(3, List.of(request(1, 3), request(2, 3)));
    assignment.mine.add(1L);
    RequestQueue again = new RequestQueue(store, 0, clock, metrics, assignment);
    again.resume();
    assertEquals(List.of(2L), again.heldIds());
    assertEquals(1, again.backlog());
  }

  @Test
  void aNewWorkerStartsWhereTheFurthestLivePeerIsWithItsUnendedRequests() throws Exception {
    // Found by WorkersOnChainIT once /ready was honest: a worker added beside three others read the
    // chain from chain.startBlock (2,000 blocks, thousands of requests answered long ago) and was
    // not ready after 10 minutes; on a gateway a year old it never would be.
    assignment.mine.add(1L);
    InMemoryServiceStore near = new InMemoryServiceStore();
    RequestQueue nearPeer = new RequestQueue(near, 0, clock, new PipelineMetrics(), assignment);
    nearPeer.commit(5, List.of(request(1, 5)));
    InMemoryServiceStore far = new InMemoryServiceStore();
    RequestQueue farPeer = new RequestQueue(far, 0, clock, new PipelineMetrics(), assignment);
    farPeer.commit(3, List.of(request(1, 3), request(2, 3)));
    farPeer.commit(7, List.of(request(3, 7)));
    // The far peer ran request 1 and sent it, request 2 was answered (by its owner), and it holds
    // request 3 for another worker.
    assertEquals(1, farPeer.takeToRun(Duration.ZERO).orElseThrow().id());
    farPeer.executed(1, answer(1));
    farPeer.sent(farPeer.takeAnswers(1, Duration.ZERO), "0x" + "ab".repeat(32), 100);
    farPeer.droppedHeld(List.of(2L));
    assertEquals(List.of(1L, 3L), farPeer.stored().stream().map(QueuedRequest::id).toList());

    InMemoryServiceStore mine = new InMemoryServiceStore();
    RequestQueue fresh = new RequestQueue(mine, 0, clock, metrics, assignment);
    assertEquals(8, fresh.startFrom(List.of(near, far)), "the far peer's cursor");
    assertEquals(8, fresh.nextBlock());
    fresh.resume();
    assertEquals(
        List.of(1L, 3L),
        fresh.stored().stream().map(QueuedRequest::id).sorted().toList(),
        "its unended requests, recorded as seen");
    assertTrue(
        fresh.stored().stream().allMatch(r -> r.stage() == RequestStage.SEEN),
        "seen afresh: this worker has neither run nor sent them");
    assertEquals(1, fresh.takeToRun(Duration.ZERO).orElseThrow().id(), "request 1 is its own");

    RequestQueue again = new RequestQueue(mine, 0, clock, new PipelineMetrics(), assignment);
    assertEquals(
        8, again.startFrom(List.of(new InMemoryServiceStore())), "a cursor of its own wins");
    RequestQueue alone =
        new RequestQueue(new InMemoryServiceStore(), 2, clock, metrics, assignment);
    assertEquals(2, alone.startFrom(List.of()), "no peer: chain.startBlock");
  }

  @Test
  void aCommitWhoseWriteIsInFlightIsNotForgottenByAnotherCommitsSettle() throws Exception {
    // Found by SeveralWorkersIT's freeze at load ~40: the frozen worker's blocks were committed by
    // several threads at once when it woke; one commit's settle found another's request, whose
    // write had not landed yet, absent from the store, and forgot it; that write then landed, and
    // the request was neither queued nor held there: lost at that worker, its natural owner.
    InMemoryServiceStore inner = new InMemoryServiceStore();
    java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
    ServiceStore store =
        new ServiceStore() {
          @Override
          public java.util.Optional<byte[]> get(String key) {
            return inner.get(key);
          }

          @Override
          public java.util.Map<String, byte[]> scan(String prefix) {
            return inner.scan(prefix);
          }

          @Override
          public void apply(java.util.Map<String, byte[]> puts, Set<String> deletes) {
            if (puts.keySet().stream().anyMatch(k -> k.endsWith("1")) && writing.getCount() > 0) {
              writing.countDown();
              try {
                letGo.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }
            inner.apply(puts, deletes);
          }
        };
    assignment.mine.addAll(List.of(1L, 2L));
    RequestQueue queue = new RequestQueue(store, 0, clock, metrics, assignment);
    Thread first = Thread.ofPlatform().start(() -> queue.commit(3, List.of(request(1, 3))));
    writing.await();
    queue.commit(4, List.of(request(2, 4))); // its settle sees request 1 unsettled, not yet stored
    letGo.countDown();
    first.join();
    assertEquals(RequestStage.QUEUED, queue.get(1).orElseThrow().stage(), "request 1 is queued");
    assertEquals(RequestStage.QUEUED, queue.get(2).orElseThrow().stage());
    assertEquals(List.of(), queue.heldIds());
    assertEquals(2, queue.size());
  }

  @Test
  void aHeldRequestTakenOverWhileItsDropIsWrittenIsDroppedNotLeftHalfEnded() throws Exception {
    // Found by WorkersOnChainIT: the drop of a held request (answered by its owner) was being
    // written when a takeover queued it to run; the drop then removed it from the queue but not
    // from the run list, the executor took a request "not in the queue", stopped, and left its
    // function marked busy: no request of that function ran on that worker again.
    java.util.concurrent.atomic.AtomicReference<Runnable> whileWriting =
        new java.util.concurrent.atomic.AtomicReference<>(() -> {});
    ServiceStore store =
        new ForwardingServiceStore() {
          @Override
          public void apply(java.util.Map<String, byte[]> puts, Set<String> deletes) {
            whileWriting.getAndSet(() -> {}).run();
            super.apply(puts, deletes);
          }
        };
    RequestQueue queue = new RequestQueue(store, 0, clock, metrics, assignment);
    queue.commit(3, List.of(request(2, 3), request(4, 3, "0x" + "ee".repeat(20), "other")));
    assertEquals(List.of(2L, 4L), queue.heldIds().stream().sorted().toList());
    whileWriting.set(
        () -> {
          assignment.mine.add(2L);
          assignment.mine.add(4L);
          assignment.takenOver.add(2L);
          queue.reassign();
        });
    queue.droppedHeld(List.of(2L));
    QueuedRequest next = queue.takeToRun(Duration.ZERO).orElseThrow();
    assertEquals(4, next.id(), "the dropped one is not run; the other one is");
    queue.executed(4, answer(4));
    assertEquals(List.of(4L), queue.stored().stream().map(QueuedRequest::id).toList());
    assertTrue(queue.executorIdle(), "nothing left running or queued");
  }
}
