package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.ChainException;
import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.GatewayClient.RequestState;
import io.nsl.storage.StorageDiskFullException;
import io.nsl.testing.ManualClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The submitter's decisions against a chain behind the {@link FulfilmentChain} port (no node, no
 * threads): one turn of sending or tracking at a time, time from a fixed clock. The chain is the
 * shared {@link FakeFulfilmentChain}, held to the real adapter by {@code FulfilmentChainContract}.
 */
class FulfilmentSubmitterTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private final PipelineMetrics metrics = new PipelineMetrics();
  private final FlakyStore store = new FlakyStore();
  private final RequestQueue queue = new RequestQueue(store, 0, clock, metrics);
  private final FakeFulfilmentChain chain = new FakeFulfilmentChain();
  private final FulfilmentSigner signer =
      new FulfilmentSigner(m -> new byte[64], 860833102, new byte[20]);
  private final FulfilmentSubmitter submitter = submitterTelling(answers -> {});

  /** Requests 1..n seen in block 90 and executed. */
  private void executed(int n) throws InterruptedException {
    List<io.nsl.chain.GatewayRequest> requests = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      requests.add(RequestQueueTest.request(id, 90));
    }
    queue.commit(90, requests);
    requests.forEach(r -> chain.pending(r.requestId()));
    for (int i = 0; i < n; i++) {
      QueuedRequest taken = queue.takeToRun(Duration.ZERO).orElseThrow();
      queue.executed(
          taken.id(), signer.sign(taken.id(), 0, new byte[] {'1'}, 10, taken.request().fields()));
    }
  }

  private RequestStage stage(long id) {
    return queue.get(id).orElseThrow().stage();
  }

  private FulfilmentChain.Inclusion halted(long block, List<Long> accepted, List<Long> rejected) {
    return new FulfilmentChain.Inclusion(block, true, "", accepted, rejected, 1_000_000, 120_000);
  }

  @Test
  void answersOfABurstGoInOneTransactionAndAreConfirmedFromTheGatewaysEvents()
      throws InterruptedException {
    executed(3);
    submitter.sendOnce();
    assertEquals(List.of(List.of(1L, 2L, 3L)), chain.prepared);
    assertEquals(List.of(FakeFulfilmentChain.tx(1)), chain.sent);
    assertEquals(RequestStage.SENT, stage(2));
    assertEquals(
        List.of(1L, 2L, 3L), chain.stateReads.get(0), "every answer is checked before it is paid");

    chain.blockCount = 102;
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L, 2L, 3L), List.of()));
    submitter.trackOnce();
    assertEquals(0, queue.size());
    assertEquals(3, metrics.requestsFulfilled());
  }

  @Test
  void submitStageIsTimedFromEachAnswerToItsTransactionsSend() throws InterruptedException {
    // The queue forgets when an answer was ready once it records the transaction: the submitter
    // must read that time first, or the "submit" stage is never measured (it was not, under load).
    ManualClock moving = new ManualClock(0);
    RequestQueue timedQueue = new RequestQueue(new FlakyStore(), 0, moving, metrics);
    FulfilmentSubmitter timed =
        new FulfilmentSubmitter(
            timedQueue,
            chain,
            signer,
            new BatchPolicy(2, Duration.ofMillis(150)),
            new ExpiryPolicy(40),
            metrics,
            moving);
    timedQueue.commit(
        90, List.of(RequestQueueTest.request(1, 90), RequestQueueTest.request(2, 90)));
    chain.pending(1);
    chain.pending(2);
    for (int i = 0; i < 2; i++) {
      QueuedRequest taken = timedQueue.takeToRun(Duration.ZERO).orElseThrow();
      timedQueue.executed(
          taken.id(), signer.sign(taken.id(), 0, new byte[] {'1'}, 10, taken.request().fields()));
    }
    moving.advance(1_500);
    timed.sendOnce();
    assertEquals(1, chain.sent.size());
    String m = metrics.renderPrometheus();
    assertTrue(m.contains("nsl_stage_seconds_count{stage=\"submit\"} 2\n"), m);
    assertTrue(m.contains("nsl_stage_seconds_sum{stage=\"submit\"} 3.0\n"), m);
  }

  @Test
  void answerOfARequestCancelledWhileTheServiceWasDownIsDroppedNotPaidFor()
      throws InterruptedException {
    executed(3); // new to this run: seen by the watcher catching up
    chain.states.put(1L, RequestState.CANCELLED);
    chain.states.put(3L, RequestState.FULFILLED);
    submitter.sendOnce();
    assertEquals(List.of(List.of(2L)), chain.prepared, "only the pending one is paid for");
    assertTrue(queue.get(1).isEmpty());
    assertTrue(queue.get(3).isEmpty());
    String m = metrics.renderPrometheus();
    assertTrue(m.contains("nsl_requests_dropped_total{state=\"CANCELLED\"} 1"), m);
    assertTrue(m.contains("nsl_requests_dropped_total{state=\"FULFILLED\"} 1"), m);
  }

  @Test
  void answersInHandSurviveAStoreThatCannotRecordTheirTransaction() throws InterruptedException {
    executed(2);
    store.full = true;
    assertThrows(StorageDiskFullException.class, submitter::sendOnce);
    assertEquals(List.of(), chain.sent, "nothing leaves before it is recorded");
    assertEquals(RequestStage.EXECUTED, stage(1));
    store.full = false;
    submitter.sendOnce();
    assertEquals(List.of(1L, 2L), chain.prepared.get(chain.prepared.size() - 1));
    assertEquals(RequestStage.SENT, stage(1));
    assertEquals(RequestStage.SENT, stage(2));
  }

  @Test
  void confirmationTheStoreCannotRecordIsTriedAgainOnTheNextLook() throws InterruptedException {
    executed(2);
    submitter.sendOnce();
    chain.blockCount = 102;
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L, 2L), List.of()));
    store.full = true;
    assertThrows(StorageDiskFullException.class, submitter::trackOnce);
    assertEquals(1, submitter.inFlightTransactions(), "still tracked");
    assertEquals(0, metrics.snapshot().fulfilFeesDatoshi(), "not confirmed, not counted yet");
    store.full = false;
    submitter.trackOnce();
    assertEquals(0, queue.size());
    assertEquals(0, submitter.inFlightTransactions());
    assertEquals(2, metrics.requestsFulfilled());
    assertEquals(1_120_000, metrics.snapshot().fulfilFeesDatoshi(), "the fees counted once");
  }

  @Test
  void whereEachAnswerLandedIsToldBeforeTheQueueForgetsIt() throws InterruptedException {
    List<ExecutionRecords.Answer> told = new ArrayList<>();
    FulfilmentSubmitter recording = submitterTelling(told::addAll);
    executed(3);
    recording.sendOnce();
    chain.blockCount = 102;
    chain.states.put(3L, RequestState.FULFILLED); // answered elsewhere: skipped, not ours
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L, 2L), List.of(3L)));
    recording.trackOnce();
    assertEquals(
        List.of(
            new ExecutionRecords.Answer(1, FakeFulfilmentChain.tx(1), 101),
            new ExecutionRecords.Answer(2, FakeFulfilmentChain.tx(1), 101)),
        told);
    assertEquals(1_120_000, metrics.snapshot().fulfilFeesDatoshi());
    assertTrue(
        metrics.renderPrometheus().contains("nsl_fulfil_fees_datoshi_total 1120000"),
        metrics.renderPrometheus());
  }

  @Test
  void answersThatCannotBeRecordedLeaveTheTransactionToBeConfirmedAgain()
      throws InterruptedException {
    List<ExecutionRecords.Answer> told = new ArrayList<>();
    boolean[] failing = {true};
    FulfilmentSubmitter recording =
        submitterTelling(
            answers -> {
              if (failing[0]) {
                throw new StorageDiskFullException("writing failed: the disk is full (test)");
              }
              told.addAll(answers);
            });
    executed(1);
    recording.sendOnce();
    chain.blockCount = 102;
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L), List.of()));
    assertThrows(StorageDiskFullException.class, recording::trackOnce);
    assertEquals(RequestStage.SENT, stage(1), "the queue did not end it");
    assertEquals(0, metrics.snapshot().fulfilFeesDatoshi());
    failing[0] = false;
    recording.trackOnce();
    assertEquals(List.of(new ExecutionRecords.Answer(1, FakeFulfilmentChain.tx(1), 101)), told);
    assertEquals(0, queue.size());
    assertEquals(1_120_000, metrics.snapshot().fulfilFeesDatoshi());
  }

  /** A submitter on this test's queue, chain and clock, telling {@code answersLanded}. */
  private FulfilmentSubmitter submitterTelling(
      java.util.function.Consumer<List<ExecutionRecords.Answer>> answersLanded) {
    return new FulfilmentSubmitter(
        queue,
        chain,
        signer,
        new BatchPolicy(50, Duration.ofMillis(150)),
        new ExpiryPolicy(40),
        metrics,
        clock,
        answersLanded);
  }

  /** Executes answers to {@code ids} (requests or runs) seen in {@code block}. */
  private void executedIds(long block, long... ids) throws InterruptedException {
    List<io.nsl.chain.GatewayRequest> requests = new ArrayList<>();
    for (long id : ids) {
      requests.add(RequestQueueTest.request(id, block));
    }
    queue.commit(block, requests);
    chain.pending(ids);
    for (int i = 0; i < ids.length; i++) {
      QueuedRequest taken = queue.takeToRun(Duration.ZERO).orElseThrow();
      queue.executed(
          taken.id(), signer.sign(taken.id(), 0, new byte[] {'1'}, 10, taken.request().fields()));
    }
  }

  @Test
  void aSubscriptionsLaterRunsWaitForItsTransactionInFlightThenGoInRunOrder()
      throws InterruptedException {
    long a10 = io.nsl.chain.RunId.of(3, 10);
    long a11 = io.nsl.chain.RunId.of(3, 11);
    long a12 = io.nsl.chain.RunId.of(3, 12);
    long b12 = io.nsl.chain.RunId.of(4, 12);
    executedIds(90, a11, a10);
    submitter.sendOnce();
    assertEquals(
        List.of(List.of(a10, a11)), chain.prepared, "one subscription's runs in slot order");

    // Subscription 3's next run waits for tx 1; a request and another subscription's run do not.
    executedIds(91, 7, a12, b12);
    submitter.sendOnce();
    assertEquals(List.of(7L, b12), chain.prepared.get(1));
    assertEquals(RequestStage.EXECUTED, stage(a12), "held, not sent");
    submitter.sendOnce();
    assertEquals(2, chain.prepared.size(), "still held while tx 1 is in flight");

    chain.blockCount = 102;
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(a10, a11), List.of()));
    submitter.trackOnce();
    submitter.sendOnce();
    assertEquals(List.of(a12), chain.prepared.get(2), "sent once tx 1 is in");
    assertEquals(RequestStage.SENT, stage(a12));
  }

  @Test
  void runsOfATransactionThatExpiredGoBeforeTheLaterRunsHeldBehindIt() throws InterruptedException {
    long a10 = io.nsl.chain.RunId.of(3, 10);
    long a11 = io.nsl.chain.RunId.of(3, 11);
    executedIds(90, a10);
    submitter.sendOnce();
    executedIds(91, a11);
    submitter.sendOnce();
    assertEquals(1, chain.prepared.size(), "a11 held behind tx 1");

    chain.blockCount = 200; // tx 1 expired unincluded
    submitter.trackOnce();
    submitter.sendOnce();
    assertEquals(
        List.of(a10, a11), chain.prepared.get(1), "again, in slot order, in one transaction");
  }

  /** The in-memory store, refusing every write while {@link #full}. */
  private static final class FlakyStore extends ForwardingServiceStore {
    volatile boolean full;

    @Override
    public void apply(java.util.Map<String, byte[]> puts, java.util.Set<String> deletes) {
      if (full) {
        throw new StorageDiskFullException("writing failed: the disk is full (test)");
      }
      super.apply(puts, deletes);
    }
  }

  @Test
  void skippedEntryIsDroppedWhenAnsweredElsewhereAndFailedWhenStillPending()
      throws InterruptedException {
    executed(3);
    submitter.sendOnce();
    chain.blockCount = 102;
    chain.states.put(2L, RequestState.FULFILLED);
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L), List.of(2L, 3L)));
    submitter.trackOnce();
    assertEquals(0, queue.size());
    assertEquals(1, metrics.requestsFulfilled());
    assertTrue(
        metrics
            .renderPrometheus()
            .contains("nsl_requests_failed_total{kind=\"FULFIL_REJECTED\"} 1"),
        "only the still-pending one is a refusal");
  }

  @Test
  void expiredTransactionsAnswersAreCheckedAgainBeforeTheyArePaidFor() throws InterruptedException {
    executed(2);
    submitter.sendOnce(); // valid until 100 + 40
    chain.blockCount = 140; // height 139: still valid
    submitter.trackOnce();
    assertEquals(RequestStage.SENT, stage(1));
    chain.blockCount = 142; // height 141: expired, never included
    submitter.trackOnce();
    assertEquals(RequestStage.EXECUTED, stage(1));

    chain.states.put(1L, RequestState.CANCELLED);
    submitter.sendOnce();
    assertEquals(List.of(1L, 2L), chain.stateReads.get(1));
    assertEquals(List.of(2L), chain.prepared.get(1), "the cancelled one is not paid for");
    assertTrue(queue.get(1).isEmpty());
  }

  @Test
  void faultedTransactionsAnswersComeBack() throws InterruptedException {
    executed(1);
    submitter.sendOnce();
    chain.blockCount = 102;
    chain.included.put(
        FakeFulfilmentChain.tx(1),
        new FulfilmentChain.Inclusion(101, false, "boom", List.of(), List.of(), 7_000, 3_000));
    submitter.trackOnce();
    assertEquals(RequestStage.EXECUTED, stage(1));
    assertEquals(10_000, metrics.snapshot().fulfilFeesDatoshi(), "a fault is paid for too");
  }

  @Test
  void faultingAnswerIsIsolatedByHalvesAndFailedAlone() throws InterruptedException {
    executed(3);
    chain.faulting.add(2L);
    submitter.sendOnce();
    assertEquals(
        List.of(List.of(1L, 2L, 3L), List.of(1L), List.of(2L, 3L), List.of(2L), List.of(3L)),
        chain.prepared);
    assertEquals(RequestStage.SENT, stage(1));
    assertTrue(queue.get(2).isEmpty());
    assertEquals(RequestStage.SENT, stage(3));
    assertTrue(
        metrics.renderPrometheus().contains("nsl_requests_failed_total{kind=\"FULFIL_FAULT\"} 1"));
  }

  @Test
  void refusedSendPutsTheAnswersBackAndRereadsTheFees() throws InterruptedException {
    executed(1);
    chain.failNextSend = new ChainException.RpcError("sendrawtransaction", -511, "no GAS");
    assertThrows(ChainException.RpcError.class, submitter::sendOnce);
    assertEquals(RequestStage.EXECUTED, stage(1));
    assertEquals(RequestStage.EXECUTED, queue.stored().get(0).stage());
    assertEquals(1, chain.feeRefreshes);
    assertEquals(0, submitter.inFlightTransactions());
  }

  @Test
  void unreachableNodeWhileBuildingKeepsTheAnswersInHand() throws InterruptedException {
    executed(2);
    chain.failNextPrepare =
        new ChainException.NodeUnreachable("http://node.invalid", new IOException("refused"));
    assertThrows(ChainException.NodeUnreachable.class, submitter::sendOnce);
    assertEquals(RequestStage.EXECUTED, stage(1));
    submitter.sendOnce();
    assertEquals(List.of(1L, 2L), chain.prepared.get(1));
    assertEquals(RequestStage.SENT, stage(2));
  }

  @Test
  void unreachableNodeWhileSendingKeepsTheTransactionInFlight() throws InterruptedException {
    executed(1);
    chain.failNextSend =
        new ChainException.NodeUnreachable("http://node.invalid", new IOException("reset"));
    assertThrows(ChainException.NodeUnreachable.class, submitter::sendOnce);
    assertEquals(RequestStage.SENT, stage(1), "it may have left: tracking finds out");
    assertEquals(1, submitter.inFlightTransactions());
  }

  @Test
  void resumedTransactionsAreTrackedToTheirEnd() throws InterruptedException {
    executed(1);
    submitter.sendOnce();
    FulfilmentSubmitter restarted = submitterTelling(answers -> {});
    restarted.resumeTracking(List.of(queue.get(1).orElseThrow()));
    chain.blockCount = 102;
    chain.included.put(FakeFulfilmentChain.tx(1), halted(101, List.of(1L), List.of()));
    restarted.trackOnce();
    assertEquals(0, queue.size());
  }
}
