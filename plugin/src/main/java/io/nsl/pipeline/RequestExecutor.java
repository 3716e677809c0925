package io.nsl.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes queued requests: checks the stored code against the code hash registered on chain, runs
 * {@code main(input)} with the gas the request paid for, signs the outcome and hands it to the
 * submitter (the owner's execution record is written beside, many in one commit). Every failure
 * (missing code, hash mismatch, any sandbox error, an internal error) becomes a signed fulfilment
 * with an error status, so a consumer is never left waiting.
 *
 * <p>Concurrency: a fixed number of worker threads (one per core by default) take requests
 * round-robin across function owners ({@link FairQueue}), so one owner's flood does not starve
 * others.
 */
public final class RequestExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RequestExecutor.class);

  /** The largest result the gateway accepts (contracts/gateway: MaxResultSize). */
  public static final int MAX_RESULT_BYTES = 4096;

  private final FunctionCatalog catalog;
  private final FunctionRunner runner;
  private final OwnerResolver owners;
  private final ResultSigner signer;
  private final long networkMagic;
  private final byte[] gatewayScriptHashLE;
  private final Consumer<QueuedRequest> onExecuted;
  private final ExecutionRecords records;
  private final java.time.Clock clock;
  private final PipelineMetrics metrics;
  private final ObjectMapper json = new ObjectMapper();

  /** The engine's INTERNAL_ERROR kind: the sandbox failed, not the function (docs/functions.md). */
  static final int ENGINE_INTERNAL_ERROR = 255;

  static final int MAX_INTERNAL_RETRIES = 3;
  private final Map<Long, Integer> internalFailures =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();
  private final FairQueue<String, QueuedRequest> waiting = new FairQueue<>();
  private int busy; // guarded by lock
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * Execution records waiting to be written. One recorder thread writes whatever has piled up in
   * one storage commit: a synced write costs ~8 ms (p95 ~20 ms) on this machine's disk, and one per
   * request kept a block's answers from reaching the next block.
   */
  private final java.util.concurrent.LinkedBlockingQueue<ExecutionRecords.Execution> toRecord =
      new java.util.concurrent.LinkedBlockingQueue<>();

  private final Thread recorder;

  public RequestExecutor(
      FunctionCatalog catalog,
      FunctionRunner runner,
      OwnerResolver owners,
      ResultSigner signer,
      long networkMagic,
      byte[] gatewayScriptHashLE,
      Consumer<QueuedRequest> onExecuted,
      ExecutionRecords records,
      java.time.Clock clock,
      PipelineMetrics metrics,
      int threads) {
    this.catalog = catalog;
    this.runner = runner;
    this.owners = owners;
    this.signer = signer;
    this.networkMagic = networkMagic;
    this.gatewayScriptHashLE = gatewayScriptHashLE.clone();
    this.onExecuted = onExecuted;
    this.records = records;
    this.clock = clock;
    this.metrics = metrics;
    for (int i = 0; i < threads; i++) {
      // Platform threads with large stacks: guest code recursion needs them.
      Thread t =
          Thread.ofPlatform()
              .name("executor-" + i)
              .stackSize(16L << 20)
              .daemon(true)
              .unstarted(this::workLoop);
      workers.add(t);
    }
    recorder =
        Thread.ofPlatform().name("execution-records").daemon(true).unstarted(this::recordLoop);
  }

  public void start() {
    workers.forEach(Thread::start);
    recorder.start();
  }

  private void recordLoop() {
    List<ExecutionRecords.Execution> batch = new ArrayList<>();
    while (running || !toRecord.isEmpty()) {
      try {
        ExecutionRecords.Execution first =
            toRecord.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        toRecord.drainTo(batch);
        records.putAll(batch);
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // Only the owner's view of the execution is at stake (the answer goes on regardless):
        // keep the records and try again shortly.
        log.error(
            "could not write {} execution record(s); retrying in 1 s: {}",
            batch.size(),
            e.toString());
        toRecord.addAll(batch);
        batch.clear();
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Queues a PENDING request for execution. Never blocks. */
  public void submit(QueuedRequest pending) {
    GatewayRequest r = pending.request();
    String fairnessKey = r.functionOwner().orElse("function:" + r.functionId());
    lock.lock();
    try {
      waiting.add(fairnessKey, pending);
      available.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting for a worker. */
  public int backlog() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  private void workLoop() {
    while (running) {
      QueuedRequest next;
      lock.lock();
      try {
        Optional<QueuedRequest> polled;
        while ((polled = waiting.poll()).isEmpty() && running) {
          available.await();
        }
        if (!running) {
          return;
        }
        next = polled.get();
        busy++;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        long waited = clock.millis() - next.seenAtMillis();
        if (waited >= 0 && waited < 60_000) { // not for requests resumed from an earlier run
          metrics.stage("queue", waited / 1000.0);
        }
        SignedFulfilment f = execute(next.request());
        // Not written to the queue here: the submitter's SUBMITTED record, written before the
        // transaction is sent, is the answer's first durable copy. A crash before it re-executes
        // the request (it is still PENDING), which costs no GAS and sends nothing twice; a
        // synced write per answer here cost the next block.
        onExecuted.accept(next.executed(f));
      } catch (RuntimeException e) {
        // The chain (owner lookup), the signer or the store failed: the request stays PENDING in
        // the durable queue and is tried again shortly. Logged once, here.
        log.error(
            "request {} could not be executed and recorded; retrying in 1 s: {}",
            next.id(),
            e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
        submit(next);
      } finally {
        lock.lock();
        try {
          busy--;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** True when no request is waiting or running: a burst has been fully executed. */
  public boolean idle() {
    lock.lock();
    try {
      return waiting.size() == 0 && busy == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Executes one request and signs the outcome. Exposed for tests. */
  SignedFulfilment execute(GatewayRequest r) {
    FunctionRunner.Outcome outcome;
    String owner = "";
    Optional<FunctionCatalog.StoredFunction> fn = catalog.get(r.functionId());
    if (fn.isEmpty()) {
      outcome =
          error(
              ExecutionStatus.CODE_NOT_FOUND,
              "this service holds no code for function '" + r.functionId() + "'");
    } else if (!Arrays.equals(
        sha256(fn.get().code().getBytes(StandardCharsets.UTF_8)), r.codeHash())) {
      outcome =
          error(
              ExecutionStatus.CODE_HASH_MISMATCH,
              "stored code of '"
                  + r.functionId()
                  + "' does not match the code hash registered on chain ("
                  + r.codeHashHex()
                  + ")");
    } else {
      owner = r.functionOwner().orElseGet(() -> owners.ownerOf(r.functionId()));
      try {
        long t0 = System.nanoTime();
        outcome =
            runner.run(
                new FunctionRunner.Invocation(
                    r.functionId(),
                    owner,
                    r.requestId(),
                    fn.get().code(),
                    fn.get().inputSchema(),
                    fn.get().fetchHosts(),
                    r.input(),
                    r.gasLimit(),
                    r.blockIndex()));
        metrics.stage("execute", (System.nanoTime() - t0) / 1e9);
      } catch (io.nsl.NslException e) {
        if (e.retryable()) {
          throw e; // e.g. the node is down while reading the block time: retry, don't answer
        }
        log.error("sandbox failed on request {} ({})", r.requestId(), r.functionId(), e);
        outcome = error(ExecutionStatus.INTERNAL_ERROR, "the service failed to run the function");
      } catch (RuntimeException e) {
        log.error("sandbox failed on request {} ({})", r.requestId(), r.functionId(), e);
        outcome = error(ExecutionStatus.INTERNAL_ERROR, "the service failed to run the function");
      }
    }
    if (outcome.status() == ENGINE_INTERNAL_ERROR) {
      // The service failed, not the function: try again a few times before answering with it.
      int n = internalFailures.merge(r.requestId(), 1, Integer::sum);
      if (n < MAX_INTERNAL_RETRIES) {
        throw new IllegalStateException(
            "engine internal error on attempt " + n + ": " + outcome.errorMessage());
      }
    }
    internalFailures.remove(r.requestId());
    metrics.requestExecuted(outcome.gasUsed());
    if (outcome.status() != 0) {
      metrics.requestFailed(outcome.kind());
    }
    byte[] result = outcome.status() == 0 ? outcome.result() : errorJson(outcome);
    int status = outcome.status();
    if (result.length > MAX_RESULT_BYTES) {
      status = ExecutionStatus.INTERNAL_ERROR.code();
      result =
          errorJson(
              error(
                  ExecutionStatus.INTERNAL_ERROR,
                  "result of "
                      + result.length
                      + " bytes is over the gateway's limit of "
                      + MAX_RESULT_BYTES));
    }
    long gasUsed = Math.min(outcome.gasUsed(), r.gasLimit());
    if (owner.isEmpty()) {
      owner = r.functionOwner().orElse("");
    }
    toRecord.add(
        new ExecutionRecords.Execution(
            r.requestId(),
            r.functionId(),
            owner,
            r.requester(),
            r.blockIndex(),
            status,
            status == outcome.status() ? outcome.kind() : ExecutionStatus.INTERNAL_ERROR.name(),
            new String(result, StandardCharsets.UTF_8),
            gasUsed,
            outcome.logs(),
            outcome.errorMessage(),
            clock.millis()));
    byte[] message =
        FulfilmentMessage.encode(
            networkMagic, gatewayScriptHashLE, r.requestId(), status, result, gasUsed);
    long t1 = System.nanoTime();
    byte[] signature = signer.sign(message);
    metrics.stage("sign", (System.nanoTime() - t1) / 1e9);
    return new SignedFulfilment(r.requestId(), status, result, gasUsed, signature);
  }

  private static FunctionRunner.Outcome error(ExecutionStatus s, String message) {
    return new FunctionRunner.Outcome(s.code(), s.name(), new byte[0], 0, List.of(), message);
  }

  private byte[] errorJson(FunctionRunner.Outcome o) {
    return errorJson(o.kind(), o.errorMessage());
  }

  private static final ObjectMapper ERROR_JSON = new ObjectMapper();

  /**
   * The on-chain error result {@code {"error":{"kind","message"}}}, the message cut (on a character
   * boundary, marked with …) so the encoded JSON fits {@link #MAX_RESULT_BYTES}: cutting characters
   * first and escaping after let 1,000 control characters become 6,000 bytes, and the request 102.
   */
  static byte[] errorJson(String kind, String message) {
    String m = message.length() > 1000 ? cutAt(message, 1000) + "…" : message;
    while (true) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("kind", kind);
      err.put("message", m);
      byte[] out;
      try {
        out = ERROR_JSON.writeValueAsBytes(Map.of("error", err));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot encode an error result", e);
      }
      if (out.length <= MAX_RESULT_BYTES || m.length() <= 1) {
        return out;
      }
      m = cutAt(m, m.length() / 2) + "…";
    }
  }

  private static String cutAt(String s, int chars) {
    int end = Math.min(chars, s.length());
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      available.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : workers) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try {
      recorder.join(5_000); // writes what is left before the storage closes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
