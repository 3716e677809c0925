package io.nsl.pipeline;

import io.nsl.chain.Backoff;
import io.nsl.chain.ChainException;
import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.FulfilmentChain.Inclusion;
import io.nsl.chain.FulfilmentChain.PreparedFulfilment;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient.RequestState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts signed answers on chain: takes executed answers from the {@link RequestQueue}, batches them
 * ({@link BatchPolicy}) into {@code fulfilBatch} transactions, tracks their inclusion, and sends
 * again with fresh validity when a transaction expires ({@link ExpiryPolicy}). Every stage change
 * is the queue's; this class decides, the queue records.
 *
 * <p>Exactly-once on chain is the gateway's job (it refuses a second fulfilment); this class makes
 * sure the operator does not pay for needless ones: before sending it asks the gateway which of the
 * batch's requests are still pending (every answer: a request cancelled while the service was down
 * is new to it), drops the others (logged, counted by state), and the queue records a transaction's
 * hash durably before it is sent, so after a restart it waits for that transaction instead of
 * sending a twin.
 *
 * <p>A subscription's runs reach the chain in run order: a batch lists its answers by id, and a
 * subscription's later runs wait while a transaction with its runs is in flight ({@link RunOrder};
 * the node orders one block's transactions by fee per byte, not by when they were sent).
 *
 * <p>Threading: {@link #run()} is the sending loop and {@link #tracker()} the tracking loop, each
 * on its own thread; {@link #stop()} ends both.
 */
public final class FulfilmentSubmitter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FulfilmentSubmitter.class);

  /** How long the sending loop waits for a first answer before looking again. */
  static final Duration FIRST_ANSWER_WAIT = Duration.ofMillis(50);

  /** How long a batch waits for a further answer before asking {@link BatchPolicy}. */
  static final Duration NEXT_ANSWER_WAIT = Duration.ofMillis(2);

  /** How often the tracker reads the height (it acts once per new block). */
  public static final Duration TRACK_INTERVAL = Duration.ofMillis(50);

  private final RequestQueue queue;
  private final FulfilmentChain chain;
  private final FulfilmentSigner signer;
  private final BatchPolicy batching;
  private final ExpiryPolicy expiry;
  private final PipelineMetrics metrics;
  private final Clock clock;
  private final java.util.function.Consumer<List<ExecutionRecords.Answer>> answersLanded;
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  private final RunOrder runOrder = new RunOrder();

  /** When each answer's transaction was sent: the "include" stage. Not durable; metrics only. */
  private final Map<Long, Instant> sentAt = new ConcurrentHashMap<>();

  private final Backoff backoff = RetryPolicy.DEFAULT.newChainBackoff();
  private volatile boolean running = true;
  private volatile long knownBlockCount;
  private volatile long blockCountSeenAtMillis = Long.MIN_VALUE;
  private long lastTrackedHeight = -1; // tracker thread only
  private long lastHeldCheckHeight = -1; // tracker thread only

  /** How many held requests one state read covers. */
  static final int HELD_CHECK_CHUNK = 200;

  private record InFlight(String txHash, List<QueuedRequest> requests, long validUntilBlock) {
    List<Long> ids() {
      return requests.stream().map(QueuedRequest::id).toList();
    }
  }

  /**
   * A submitter that keeps no record of where answers landed: for tests of the submitter alone. The
   * service uses the constructor that takes {@code answersLanded}.
   */
  public FulfilmentSubmitter(
      RequestQueue queue,
      FulfilmentChain chain,
      FulfilmentSigner signer,
      BatchPolicy batching,
      ExpiryPolicy expiry,
      PipelineMetrics metrics,
      Clock clock) {
    this(queue, chain, signer, batching, expiry, metrics, clock, answers -> {});
  }

  /**
   * @param answersLanded told, before the queue ends them, where the accepted answers of an
   *     included transaction landed ({@link ExecutionRecords#answered}); it may be told the same
   *     answers again if a later step of the confirmation fails, and a failure of its own (the
   *     store) leaves the transaction to be looked at again on the next block
   */
  public FulfilmentSubmitter(
      RequestQueue queue,
      FulfilmentChain chain,
      FulfilmentSigner signer,
      BatchPolicy batching,
      ExpiryPolicy expiry,
      PipelineMetrics metrics,
      Clock clock,
      java.util.function.Consumer<List<ExecutionRecords.Answer>> answersLanded) {
    this.answersLanded = answersLanded;
    this.queue = queue;
    this.chain = chain;
    this.signer = signer;
    this.batching = batching;
    this.expiry = expiry;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Tracks the transactions of requests that were SENT before a restart ({@link
   * RequestQueue#resume}). Call before the loops start.
   */
  public void resumeTracking(List<QueuedRequest> sent) {
    for (QueuedRequest q : sent) {
      String tx = q.txHash().orElseThrow();
      InFlight f = inFlight.get(tx);
      List<QueuedRequest> list = f == null ? new ArrayList<>() : new ArrayList<>(f.requests());
      list.add(q);
      inFlight.put(tx, new InFlight(tx, list, q.validUntilBlock()));
    }
    inFlight.values().forEach(f -> runOrder.sent(f.txHash(), f.requests()));
  }

  public int inFlightTransactions() {
    return inFlight.size();
  }

  /**
   * Run answers held back behind a transaction of their subscription in flight ({@link RunOrder}).
   */
  public int heldRunAnswers() {
    return runOrder.heldCount();
  }

  public void stop() {
    running = false;
  }

  /**
   * The tracking loop: on each new block, confirms included transactions and gives back the answers
   * of expired or faulted ones. Runs on its own thread so that confirmations never delay new
   * submissions.
   */
  public Runnable tracker() {
    return () -> {
      try {
        trackingLoop(() -> {});
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /**
   * The tracking loop, calling {@code beat} after each turn that worked (see {@link
   * Supervisor.Worker#ok()}). The chain's failures are backed off here; anything else (the store)
   * ends the loop with that exception, for its {@link Supervisor} to restart.
   */
  public void trackingLoop(Runnable beat) throws InterruptedException {
    Backoff trackBackoff = RetryPolicy.DEFAULT.newChainBackoff();
    while (running) {
      try {
        trackOnce();
        beat.run();
        if (trackBackoff.onSuccess()) {
          log.info("fulfilment tracking works again");
        }
        Thread.sleep(TRACK_INTERVAL);
      } catch (ChainException e) {
        Duration wait = trackBackoff.onFailure();
        if (trackBackoff.failures() == 1) {
          log.warn("fulfilment tracking paused: {}; retrying with backoff", e.getMessage());
        }
        Thread.sleep(wait);
      }
    }
  }

  /** The sending loop. Run {@link #tracker()} beside it. */
  @Override
  public void run() {
    try {
      sendingLoop(() -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The sending loop, calling {@code beat} after each turn that worked. The chain's failures are
   * backed off here; anything else (the store) ends the loop with that exception, the answers in
   * hand given back first, for its {@link Supervisor} to restart.
   */
  public void sendingLoop(Runnable beat) throws InterruptedException {
    while (running) {
      try {
        sendOnce();
        beat.run();
        if (backoff.onSuccess()) {
          log.info("fulfilment submission works again");
        }
      } catch (ChainException e) {
        Duration wait = backoff.onFailure();
        if (backoff.failures() == 1) {
          log.warn("fulfilment submission paused: {}; retrying with backoff", e.getMessage());
        }
        Thread.sleep(wait);
      }
    }
  }

  /** One turn of the sending loop: takes a batch (waiting briefly) and submits it. */
  void sendOnce() throws InterruptedException {
    List<QueuedRequest> batch = nextBatch();
    if (batch.isEmpty()) {
      return;
    }
    try {
      submit(batch);
    } catch (RuntimeException e) {
      // Whatever is still an unsent answer goes back to be taken again (e.g. the store could not
      // record the transaction): none is forgotten in this loop's hands.
      queue.reclaim(batch);
      throw e;
    }
  }

  /**
   * Takes answers until {@link BatchPolicy} says the batch goes: first the held runs whose
   * subscription's transaction is no longer in flight, then new answers, less the runs {@link
   * RunOrder} holds back. In id order, so one subscription's runs go in slot order.
   */
  private List<QueuedRequest> nextBatch() throws InterruptedException {
    int max = batching.maxBatch();
    List<QueuedRequest> batch = new ArrayList<>(runOrder.release(max));
    if (batch.size() < max) {
      Duration wait = batch.isEmpty() ? FIRST_ANSWER_WAIT : Duration.ZERO;
      batch.addAll(runOrder.admit(queue.takeAnswers(max - batch.size(), wait)));
    }
    if (batch.isEmpty()) {
      return batch;
    }
    Instant first = clock.instant();
    while (batch.size() < max) {
      List<QueuedRequest> more =
          runOrder.admit(queue.takeAnswers(max - batch.size(), NEXT_ANSWER_WAIT));
      if (!more.isEmpty()) {
        batch.addAll(more);
      } else if (batching.sendNow(batch.size(), first, clock.instant(), queue.executorIdle())) {
        break;
      }
    }
    batch.sort(Comparator.comparingLong(QueuedRequest::id));
    return batch;
  }

  private void submit(List<QueuedRequest> batch) {
    // Every answer, not only those from an earlier run: a request cancelled or answered elsewhere
    // while this service was down or behind is still new to it, and sending its answer pays for
    // a rejection. One batched test invocation per transaction.
    List<Long> toCheck = batch.stream().map(QueuedRequest::id).toList();
    Map<Long, RequestState> states;
    try {
      states = chain.requestStates(toCheck);
    } catch (ChainException e) {
      queue.giveBack(batch); // nothing was sent; try again after backoff
      throw e;
    }
    List<QueuedRequest> pending = new ArrayList<>();
    List<Long> done = new ArrayList<>();
    for (QueuedRequest q : batch) {
      RequestState s = states.getOrDefault(q.id(), RequestState.PENDING);
      if (s == RequestState.PENDING) {
        pending.add(q);
      } else {
        // Fulfilled by another instance, cancelled by its requester, or unknown: nothing to pay.
        log.info("request {} is {} on chain; its answer is not sent", q.id(), s);
        metrics.requestDropped(s.name());
        done.add(q.id());
      }
    }
    queue.dropped(done);
    // Several workers: right before paying, this worker must still own each answer (a worker
    // frozen past its lease wakes up here with answers another has taken over). What remains is
    // the time from this read to the send; the gateway refuses a second answer in any case.
    pending = queue.keepOwn(pending);
    if (!pending.isEmpty()) {
      send(pending);
    }
  }

  /**
   * Builds, records and sends one transaction; splits the batch when its test run faults (each half
   * gets its own batch signature).
   */
  private void send(List<QueuedRequest> batch) {
    List<FulfilmentMessage.Entry> entries =
        batch.stream().map(q -> q.fulfilment().orElseThrow().entry(q.request().fields())).toList();
    long validUntil;
    PreparedFulfilment tx;
    try {
      validUntil = expiry.validUntilBlock(currentBlockCount());
      tx = chain.prepare(entries, batchSignature(batch, entries), validUntil);
    } catch (ChainException.TransactionFaulted e) {
      if (batch.size() == 1) {
        log.error(
            "fulfilment of request {} faults the gateway and is dropped: {}",
            batch.get(0).id(),
            e.getMessage());
        metrics.requestFailed("FULFIL_FAULT");
        queue.failed(List.of(batch.get(0).id()));
        return;
      }
      int half = batch.size() / 2;
      List<QueuedRequest> second = batch.subList(half, batch.size());
      try {
        send(batch.subList(0, half));
      } catch (ChainException failed) {
        queue.giveBack(second);
        throw failed;
      }
      send(second);
      return;
    } catch (ChainException e) {
      // Nothing was recorded or sent: hand the answers back and retry after backoff.
      queue.giveBack(batch);
      throw e;
    }
    // When each answer was ready, read before the queue records the transaction (it forgets then).
    Map<Long, Instant> readyAt = new java.util.HashMap<>();
    for (QueuedRequest q : batch) {
      queue.answeredAt(q.id()).ifPresent(ready -> readyAt.put(q.id(), ready));
    }
    // Durable before sending: after a crash we wait for this transaction instead of paying twice.
    List<QueuedRequest> sent = queue.sent(batch, tx.txHash(), validUntil);
    inFlight.put(tx.txHash(), new InFlight(tx.txHash(), sent, validUntil));
    runOrder.sent(tx.txHash(), sent);
    try {
      chain.send(tx);
    } catch (ChainException.RpcError e) {
      // Refused outright (e.g. the operator cannot pay): back to EXECUTED, retried later, with
      // the fee policy and the height read afresh in case they were what was wrong.
      chain.refreshFeePolicy();
      blockCountSeenAtMillis = Long.MIN_VALUE;
      inFlight.remove(tx.txHash());
      queue.unsent(sent.stream().map(QueuedRequest::id).toList());
      runOrder.ended(tx.txHash());
      throw e;
    }
    // A NodeUnreachable from send propagates with the transaction in flight: we don't know whether
    // the node got it; tracking finds out (inclusion or expiry).
    metrics.fulfilTransactionSent();
    Instant now = clock.instant();
    for (QueuedRequest q : sent) {
      Instant ready = readyAt.get(q.id());
      if (ready != null) {
        metrics.stage("submit", seconds(ready, now));
      }
      sentAt.put(q.id(), now);
    }
  }

  /**
   * The enclave's one signature over the batch. A batch of one signs the same bytes as the answer
   * alone, which the executor already signed.
   */
  private byte[] batchSignature(List<QueuedRequest> batch, List<FulfilmentMessage.Entry> entries) {
    if (batch.size() == 1) {
      return batch.get(0).fulfilment().orElseThrow().signature();
    }
    return signer.signBatch(entries);
  }

  /**
   * The chain's block count, as the tracker saw it within the last second (it reads it every 50
   * ms), else from the node: saves a round trip on the way to the next block.
   */
  private long currentBlockCount() {
    long seenAt = blockCountSeenAtMillis;
    if (seenAt != Long.MIN_VALUE && clock.millis() - seenAt < 1_000) {
      return knownBlockCount;
    }
    return observeBlockCount(chain.blockCount());
  }

  private long observeBlockCount(long count) {
    knownBlockCount = count;
    blockCountSeenAtMillis = clock.millis();
    return count;
  }

  /**
   * One turn of the tracking loop: on a new block, confirms included transactions and gives back
   * expired ones.
   */
  void trackOnce() {
    long height = observeBlockCount(chain.blockCount()) - 1;
    if (height != lastHeldCheckHeight) {
      dropAnsweredHeld();
      lastHeldCheckHeight = height;
    }
    if (inFlight.isEmpty() || height == lastTrackedHeight) {
      return;
    }
    for (InFlight f : new ArrayList<>(inFlight.values())) {
      var inclusion = chain.inclusion(f.txHash());
      if (inclusion.isPresent()) {
        confirm(f, inclusion.get());
      } else if (expiry.expired(f.validUntilBlock(), height)) {
        log.info(
            "fulfilment transaction {} expired unincluded; re-sending {} request(s)",
            f.txHash(),
            f.requests().size());
        queue.unsent(f.ids()); // durable first: if the store fails, the next block tries again
        inFlight.remove(f.txHash());
        runOrder.ended(f.txHash());
        metrics.fulfilRetried();
      }
    }
    lastTrackedHeight = height; // only once every transaction was looked at for this block
  }

  /**
   * Several workers: once per block, drops the requests held for other workers that are no longer
   * pending on chain (their owner's answer is in), in reads of {@value #HELD_CHECK_CHUNK}.
   */
  private void dropAnsweredHeld() {
    List<Long> held = queue.heldIds();
    for (int i = 0; i < held.size(); i += HELD_CHECK_CHUNK) {
      List<Long> chunk = held.subList(i, Math.min(held.size(), i + HELD_CHECK_CHUNK));
      Map<Long, RequestState> states = chain.requestStates(chunk);
      List<Long> done = new ArrayList<>();
      for (long id : chunk) {
        if (states.getOrDefault(id, RequestState.PENDING) != RequestState.PENDING) {
          done.add(id);
        }
      }
      queue.droppedHeld(done);
    }
  }

  /**
   * Applies what an included transaction did. Everything that needs the node is read first, so a
   * failure leaves the transaction in flight, to be looked at again on the next block.
   */
  private void confirm(InFlight f, Inclusion inclusion) {
    if (!inclusion.halted()) {
      log.warn(
          "fulfilment transaction {} faulted ({}); re-checking its requests",
          f.txHash(),
          inclusion.vmException());
      queue.unsent(f.ids());
      // A faulted transaction is paid for all the same.
      metrics.fulfilFeesPaid(inclusion.feesPaid());
      inFlight.remove(f.txHash());
      runOrder.ended(f.txHash());
      return;
    }
    List<QueuedRequest> accepted = new ArrayList<>();
    List<Long> notAccepted = new ArrayList<>();
    for (QueuedRequest q : f.requests()) {
      if (!queue.get(q.id()).map(r -> r.stage() == RequestStage.SENT).orElse(false)) {
        continue; // ended on an earlier look at this transaction, whose end the store then failed
      }
      if (inclusion.accepted().contains(q.id())) {
        accepted.add(q);
      } else {
        notAccepted.add(q.id());
      }
    }
    // The gateway skips an entry it cannot fulfil; its state (a code, not the event's English
    // reason) says whether the request was answered elsewhere or the answer itself is refused.
    Map<Long, RequestState> states = chain.requestStates(notAccepted);
    long fulfilTime = chain.blockTimeMillis(inclusion.blockIndex());
    List<Double> latencies = new ArrayList<>();
    List<Double> watched = new ArrayList<>();
    for (QueuedRequest q : accepted) {
      long requestTime = chain.blockTimeMillis(q.request().blockIndex());
      latencies.add((fulfilTime - requestTime) / 1000.0);
      watched.add(Math.max(0, q.seenAtMillis() - requestTime) / 1000.0);
    }
    // Where the answers landed, before the queue forgets them: a failure here leaves everything as
    // it was, to be done again on the next block.
    answersLanded.accept(
        accepted.stream()
            .map(q -> new ExecutionRecords.Answer(q.id(), f.txHash(), inclusion.blockIndex()))
            .toList());
    queue.confirmed(accepted.stream().map(QueuedRequest::id).toList());
    Instant now = clock.instant();
    for (int i = 0; i < accepted.size(); i++) {
      QueuedRequest q = accepted.get(i);
      metrics.stage("watch", watched.get(i));
      metrics.requestFulfilled(latencies.get(i), inclusion.blockIndex() - q.request().blockIndex());
      Instant sent = sentAt.remove(q.id());
      if (sent != null) {
        metrics.stage("include", seconds(sent, now));
      }
    }
    List<Long> dropped = new ArrayList<>();
    List<Long> failed = new ArrayList<>();
    for (long id : notAccepted) {
      sentAt.remove(id);
      RequestState s = states.getOrDefault(id, RequestState.UNKNOWN);
      if (s == RequestState.PENDING) {
        log.error("gateway refused the fulfilment of request {} in {}", id, f.txHash());
        metrics.requestFailed("FULFIL_REJECTED");
        failed.add(id);
      } else {
        log.info("request {} is {} on chain; its answer in {} was not needed", id, s, f.txHash());
        metrics.requestDropped(s.name());
        dropped.add(id);
      }
    }
    queue.dropped(dropped);
    queue.failed(failed);
    // Last: should the store fail above, the transaction is looked at again on the next block
    // (and its fees are counted once, here).
    metrics.fulfilFeesPaid(inclusion.feesPaid());
    inFlight.remove(f.txHash());
    runOrder.ended(f.txHash());
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toNanos()) / 1e9;
  }
}
