package io.nsl.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.transaction.Transaction;
import io.neow3j.types.Hash256;
import io.neow3j.wallet.Account;
import io.nsl.chain.Backoff;
import io.nsl.chain.ChainException;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayClient.RequestState;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts signed answers on chain: batches executed requests into {@code fulfilBatch} transactions
 * paid by the operator account, tracks their inclusion, and re-sends with fresh validity when a
 * transaction expires.
 *
 * <p>Exactly-once on chain is the gateway's job (it refuses a second fulfilment); this class makes
 * sure the operator does not pay for needless ones: before sending it asks the gateway which
 * requests are still pending, and it records a transaction's hash durably before sending it, so
 * after a restart it waits for that transaction instead of sending a twin.
 *
 * <p>Threading: {@link #run()} is the single loop; {@link #offer} may be called from any thread.
 */
public final class FulfilmentSubmitter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FulfilmentSubmitter.class);

  private final GatewayClient gateway;
  private final ResultSigner signer;
  private final long networkMagic;
  private final NeoChain chain;
  private final NeoRpcClient rpc;
  private final Account operator;
  private final RequestQueue queue;
  private final PipelineMetrics metrics;
  private final int maxBatch;
  private final Duration maxDelay;
  private final long validForBlocks;
  private final java.util.function.BooleanSupplier producerIdle;
  private final LinkedBlockingQueue<QueuedRequest> inbox = new LinkedBlockingQueue<>();
  private final Map<String, InFlight> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Long, Long> blockTimes =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> e) {
          return size() > 256;
        }
      };

  /**
   * When each answer became ready, and when its transaction was sent: the "submit" stage (ready to
   * sent: batching, test invocation, signing the batch, the durable record, the send) and the
   * "include" stage (sent to seen included). Not durable; metrics only.
   */
  private final Map<Long, Long> readyAt = new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<Long, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Requests whose state the gateway must confirm as pending before we pay to fulfil them: those
   * recorded by an earlier run and those coming back after an expired, faulted or refused
   * transaction. A request answered for the first time needs no such read.
   */
  private final java.util.Set<Long> verify = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final long startedAtMillis = System.currentTimeMillis();

  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
  private volatile boolean running = true;
  private long lastTrackedHeight = -1;

  private record InFlight(String txHash, List<QueuedRequest> requests, long validUntilBlock) {}

  public FulfilmentSubmitter(
      GatewayClient gateway,
      ResultSigner signer,
      long networkMagic,
      NeoChain chain,
      NeoRpcClient rpc,
      Account operator,
      RequestQueue queue,
      PipelineMetrics metrics,
      int maxBatch,
      Duration maxDelay,
      long validForBlocks,
      java.util.function.BooleanSupplier producerIdle) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    this.gateway = gateway;
    this.signer = signer;
    this.networkMagic = networkMagic;
    this.chain = chain;
    this.rpc = rpc;
    this.operator = operator;
    this.queue = queue;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.maxDelay = maxDelay;
    this.validForBlocks = validForBlocks;
    this.producerIdle = producerIdle;
  }

  /** Hands over an EXECUTED request. Never blocks. */
  public void offer(QueuedRequest executed) {
    readyAt.putIfAbsent(executed.id(), System.nanoTime());
    if (executed.seenAtMillis() < startedAtMillis) {
      verify.add(executed.id()); // recorded by an earlier run: it may have been answered since
    }
    inbox.add(executed);
  }

  /**
   * Resumes tracking of a request that was SUBMITTED before a restart. Call before {@link #run}.
   */
  public void resume(QueuedRequest submitted) {
    String tx = submitted.txHash().orElseThrow();
    InFlight f = inFlight.get(tx);
    List<QueuedRequest> list = f == null ? new ArrayList<>() : new ArrayList<>(f.requests());
    list.add(submitted);
    inFlight.put(tx, new InFlight(tx, list, submitted.validUntilBlock()));
  }

  public int inFlightTransactions() {
    return inFlight.size();
  }

  public void stop() {
    running = false;
  }

  /**
   * The tracking loop: on each new block, confirms included transactions and re-sends expired ones.
   * Runs on its own thread so that confirmations never delay new submissions.
   */
  public Runnable tracker() {
    return () -> {
      Backoff trackBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
      while (running) {
        try {
          track();
          trackBackoff.onSuccess();
          Thread.sleep(50);
        } catch (ChainException e) {
          sleep(trackBackoff.onFailure());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    };
  }

  /** The sending loop. Run {@link #tracker()} beside it. */
  @Override
  public void run() {
    while (running) {
      try {
        List<QueuedRequest> batch = nextBatch();
        if (!batch.isEmpty()) {
          submit(batch);
        }
        if (backoff.onSuccess()) {
          log.info("fulfilment submission works again");
        }
      } catch (ChainException e) {
        Duration wait = backoff.onFailure();
        if (backoff.failures() == 1) {
          log.warn("fulfilment submission paused: {}; retrying with backoff", e.getMessage());
        }
        sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits briefly for work, then gathers answers until the batch is full, or the executor has
   * finished the burst it is working on (answers of one block arrive together: one transaction for
   * all of them), or {@code maxDelay} has passed since the first.
   */
  private List<QueuedRequest> nextBatch() throws InterruptedException {
    List<QueuedRequest> batch = new ArrayList<>();
    QueuedRequest first = inbox.poll(50, TimeUnit.MILLISECONDS);
    if (first == null) {
      return batch;
    }
    batch.add(first);
    long deadline = System.nanoTime() + maxDelay.toNanos();
    while (batch.size() < maxBatch) {
      QueuedRequest next = inbox.poll(2, TimeUnit.MILLISECONDS);
      if (next != null) {
        batch.add(next);
      } else if (producerIdle.getAsBoolean() || System.nanoTime() > deadline) {
        inbox.drainTo(batch, maxBatch - batch.size());
        break;
      }
    }
    return batch;
  }

  private void submit(List<QueuedRequest> batch) {
    Map<Long, RequestState> states;
    List<Long> toCheck = batch.stream().map(QueuedRequest::id).filter(verify::contains).toList();
    try {
      states = gateway.requestStates(toCheck);
    } catch (ChainException e) {
      inbox.addAll(batch); // nothing was sent; try again after backoff
      throw e;
    }
    List<QueuedRequest> pending = new ArrayList<>();
    List<Long> done = new ArrayList<>();
    for (QueuedRequest q : batch) {
      RequestState s = states.getOrDefault(q.id(), RequestState.PENDING);
      verify.remove(q.id());
      if (s == RequestState.PENDING) {
        pending.add(q);
      } else {
        // Fulfilled by another instance, cancelled by its requester, or unknown: nothing to pay
        // for.
        log.info("request {} is {} on chain; not submitting", q.id(), s);
        done.add(q.id());
      }
    }
    if (!done.isEmpty()) {
      done.forEach(readyAt::remove);
      done.forEach(sentAt::remove);
      queue.remove(done);
    }
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
    Transaction tx;
    try {
      validUntil = currentBlockCount() + validForBlocks;
      tx = gateway.buildFulfilBatch(entries, batchSignature(batch, entries), operator, validUntil);
    } catch (ChainException.TransactionFaulted e) {
      if (batch.size() == 1) {
        log.error(
            "fulfilment of request {} faults the gateway and is dropped: {}",
            batch.get(0).id(),
            e.getMessage());
        metrics.requestFailed("FULFIL_FAULT");
        queue.remove(List.of(batch.get(0).id()));
        return;
      }
      int half = batch.size() / 2;
      send(batch.subList(0, half));
      send(batch.subList(half, batch.size()));
      return;
    } catch (ChainException e) {
      // Nothing was recorded or sent: keep the answers in hand and retry after backoff.
      inbox.addAll(batch);
      throw e;
    }
    String txHash = "0x" + tx.getTxId();
    List<QueuedRequest> submitted =
        batch.stream().map(q -> q.submitted(txHash, validUntil)).toList();
    // Durable before sending: after a crash we wait for this transaction instead of paying twice.
    queue.update(submitted);
    inFlight.put(txHash, new InFlight(txHash, submitted, validUntil));
    try {
      var response = tx.send();
      if (response.hasError()) {
        String msg = response.getError().getMessage();
        if (!msg.toLowerCase().contains("already")) {
          // Refused outright (e.g. the operator cannot pay): back to EXECUTED, retried later,
          // with the fee policy and the height read afresh in case they were what was wrong.
          chain.refreshFeePolicy();
          blockCountSeenAt = System.nanoTime() - 10_000_000_000L;
          inFlight.remove(txHash);
          requeue(submitted);
          throw new ChainException.RpcError(
              "sendrawtransaction", response.getError().getCode(), msg);
        }
      }
      metrics.fulfilTransactionSent();
      long now = System.nanoTime();
      for (QueuedRequest q : batch) {
        Long ready = readyAt.remove(q.id());
        if (ready != null) {
          metrics.stage("submit", (now - ready) / 1e9);
        }
        sentAt.put(q.id(), now);
      }
    } catch (IOException e) {
      // We don't know whether the node got it; tracking finds out (inclusion or expiry).
      throw new ChainException.NodeUnreachable(chain.rpcUrl(), e);
    }
  }

  /**
   * The enclave's one signature over the batch. A batch of one signs the same bytes as the answer
   * alone, which the executor already signed and the queue holds.
   */
  private byte[] batchSignature(List<QueuedRequest> batch, List<FulfilmentMessage.Entry> entries) {
    if (batch.size() == 1) {
      return batch.get(0).fulfilment().orElseThrow().signature();
    }
    // Timed as part of the "submit" stage (ready to sent).
    return signer.signBatch(networkMagic, gateway.scriptHashLE(), entries);
  }

  /**
   * The chain's block count, as the tracker saw it within the last second (it reads it every 50
   * ms), else from the node: saves a round trip on the way to the next block.
   */
  private long currentBlockCount() {
    long seenAt = blockCountSeenAt;
    if (System.nanoTime() - seenAt < 1_000_000_000L) {
      return knownBlockCount;
    }
    return observeBlockCount(chain.blockCount());
  }

  private long observeBlockCount(long count) {
    knownBlockCount = count;
    blockCountSeenAt = System.nanoTime();
    return count;
  }

  private volatile long knownBlockCount;
  private volatile long blockCountSeenAt = System.nanoTime() - 10_000_000_000L;

  private void requeue(List<QueuedRequest> submitted) {
    List<QueuedRequest> back = submitted.stream().map(q -> q.executedAgain()).toList();
    back.forEach(q -> verify.add(q.id()));
    queue.update(back);
    inbox.addAll(back);
  }

  /** On each new block: confirms included transactions and re-sends expired ones. */
  private void track() {
    long height = observeBlockCount(chain.blockCount()) - 1;
    if (inFlight.isEmpty()) {
      return;
    }
    if (height == lastTrackedHeight) {
      return;
    }
    lastTrackedHeight = height;
    for (InFlight f : new ArrayList<>(inFlight.values())) {
      var response = rpc.callOptional("getapplicationlog", f.txHash());
      if (response != null) {
        confirm(f, height);
      } else if (height > f.validUntilBlock()) {
        log.info(
            "fulfilment transaction {} expired unincluded; re-sending {} request(s)",
            f.txHash(),
            f.requests().size());
        metrics.fulfilRetried();
        inFlight.remove(f.txHash());
        requeue(f.requests());
      }
    }
  }

  private void confirm(InFlight f, long height) {
    NeoApplicationLog appLog =
        chain.waitForApplicationLog(new Hash256(f.txHash()), "fulfil", Duration.ofSeconds(5));
    inFlight.remove(f.txHash());
    String state = appLog.getExecutions().get(0).getState().jsonValue();
    if (!"HALT".equals(state)) {
      log.warn(
          "fulfilment transaction {} faulted ({}); re-checking its requests",
          f.txHash(),
          appLog.getExecutions().get(0).getException());
      requeue(f.requests());
      return;
    }
    List<Long> accepted = GatewayClient.acceptedIds(appLog);
    Map<Long, String> rejected = GatewayClient.rejected(appLog);
    long fulfilBlock = txHeight(f.txHash(), height);
    List<Long> remove = new ArrayList<>();
    List<QueuedRequest> retry = new ArrayList<>();
    for (QueuedRequest q : f.requests()) {
      if (accepted.contains(q.id())) {
        remove.add(q.id());
        long blocks = fulfilBlock - q.request().blockIndex();
        double seconds = (blockTime(fulfilBlock) - blockTime(q.request().blockIndex())) / 1000.0;
        metrics.requestFulfilled(seconds, blocks);
        Long sent = sentAt.remove(q.id());
        if (sent != null) {
          metrics.stage("include", (System.nanoTime() - sent) / 1e9);
        }
      } else {
        String reason = rejected.getOrDefault(q.id(), "no event");
        if (reason.contains("already fulfilled")
            || reason.contains("cancelled")
            || reason.contains("unknown request")) {
          remove.add(q.id());
        } else {
          log.error("gateway refused the fulfilment of request {}: {}", q.id(), reason);
          metrics.requestFailed("FULFIL_REJECTED");
          remove.add(q.id());
        }
      }
    }
    queue.remove(remove);
    if (!retry.isEmpty()) {
      requeue(retry);
    }
  }

  private long txHeight(String txHash, long fallback) {
    try {
      return rpc.call("gettransactionheight", txHash).asLong();
    } catch (ChainException e) {
      return fallback;
    }
  }

  private long blockTime(long index) {
    Long t = blockTimes.get(index);
    if (t == null) {
      JsonNode header = rpc.call("getblockheader", index, 1);
      t = header.path("time").asLong();
      blockTimes.put(index, t);
    }
    return t;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
