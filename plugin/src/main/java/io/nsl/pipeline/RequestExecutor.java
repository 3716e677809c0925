package io.nsl.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.Backoff;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageOutcomeUnknownException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes queued requests: takes them from the {@link RequestQueue}, checks the stored code
 * against the code hash registered on chain, runs {@code main(input)} with the gas the request paid
 * for, signs the outcome and gives it back to the queue (the owner's execution record is written
 * beside, many in one commit). Every failure of the function (missing code, hash mismatch, any
 * sandbox error) becomes a signed fulfilment with an error status ({@link ExecutionStatus}), so a
 * consumer is never left waiting; a failure of the service's own runs the request again ({@link
 * RetryPolicy}).
 *
 * <p>Concurrency: a fixed number of worker threads (one per core by default); the queue hands them
 * requests round-robin across function owners, so one owner's flood does not starve others.
 */
public final class RequestExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RequestExecutor.class);

  /** The largest result the gateway accepts (contracts/gateway: MaxResultSize). */
  public static final int MAX_RESULT_BYTES = 4096;

  /** How long an idle worker waits for a request before looking whether it should stop. */
  private static final Duration TAKE_WAIT = Duration.ofMillis(100);

  /**
   * How long an executor thread waits for a function's lock that another live worker holds: not at
   * all. The request is set aside ({@link RequestQueue#setAside}) and the thread takes another
   * function's request; a wait of up to 2 s here idled one of a worker's few threads for most of
   * another worker's run (decision 1010, "Setting a busy function aside").
   */
  static final Duration FUNCTION_LOCK_WAIT = Duration.ZERO;

  private final RequestQueue queue;
  private final FunctionCatalog catalog;
  private final FunctionRunner runner;
  private final OwnerResolver owners;
  private final FulfilmentSigner signer;
  private final ExecutionRecords records;
  private final PipelineMetrics metrics;
  private final Clock clock;
  private final RetryPolicy retry;
  private final FunctionLocks locks;
  private final ObjectMapper json = new ObjectMapper();

  /** Engine failures per request so far (see {@link RetryPolicy#engineAttempts()}). */
  private final Map<Long, Integer> engineFailures = new ConcurrentHashMap<>();

  private final int threads;
  private volatile boolean running = true;

  /**
   * Execution records waiting to be written. One recorder loop writes whatever has piled up in one
   * storage commit: a synced write costs ~8 ms (p95 ~20 ms) on this machine's disk, and one per
   * request kept a block's answers from reaching the next block.
   */
  private final LinkedBlockingQueue<ExecutionRecords.Execution> toRecord =
      new LinkedBlockingQueue<>();

  public RequestExecutor(
      RequestQueue queue,
      FunctionCatalog catalog,
      FunctionRunner runner,
      OwnerResolver owners,
      FulfilmentSigner signer,
      ExecutionRecords records,
      PipelineMetrics metrics,
      Clock clock,
      RetryPolicy retry,
      int threads) {
    this(
        queue,
        catalog,
        runner,
        owners,
        signer,
        records,
        metrics,
        clock,
        retry,
        threads,
        FunctionLocks.IN_PROCESS);
  }

  /**
   * @param locks one run of a function at a time across workers sharing the store ({@link
   *     FunctionLocks#IN_PROCESS} with one worker)
   */
  public RequestExecutor(
      RequestQueue queue,
      FunctionCatalog catalog,
      FunctionRunner runner,
      OwnerResolver owners,
      FulfilmentSigner signer,
      ExecutionRecords records,
      PipelineMetrics metrics,
      Clock clock,
      RetryPolicy retry,
      int threads,
      FunctionLocks locks) {
    this.locks = locks;
    this.queue = queue;
    this.catalog = catalog;
    this.runner = runner;
    this.owners = owners;
    this.signer = signer;
    this.records = records;
    this.metrics = metrics;
    this.clock = clock;
    this.retry = retry;
    this.threads = threads;
  }

  /**
   * Starts the workers ({@code executor-N}) and the recorder ({@code execution-records}) under
   * {@code supervisor}, which restarts any that stops. Workers get 16 MiB stacks: guest code
   * recursion needs them.
   */
  public void start(Supervisor supervisor) {
    for (int i = 0; i < threads; i++) {
      Supervisor.Worker w = supervisor.worker("executor-" + i);
      w.start(16L << 20, () -> workLoop(w));
    }
    Supervisor.Worker r = supervisor.worker("execution-records");
    r.start(() -> recordLoop(r));
  }

  /**
   * Writes the records that piled up, one commit per turn. A store failure ends the loop with the
   * records kept, for the supervisor to restart it (only the owner's view of executions is at
   * stake: the answers go on regardless).
   */
  private void recordLoop(Supervisor.Worker self) throws InterruptedException {
    List<ExecutionRecords.Execution> batch = new ArrayList<>();
    while (running || !toRecord.isEmpty()) {
      ExecutionRecords.Execution first;
      try {
        first = toRecord.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (running) {
          throw e;
        }
        // Stopping: write what is left before the storage closes.
        toRecord.drainTo(batch);
        if (!batch.isEmpty()) {
          records.putAll(batch);
        }
        return;
      }
      if (first == null) {
        self.ok();
        continue;
      }
      batch.add(first);
      toRecord.drainTo(batch);
      try {
        records.putAll(batch);
      } catch (RuntimeException e) {
        toRecord.addAll(batch);
        throw e;
      }
      batch.clear();
      self.ok();
    }
  }

  private void workLoop(Supervisor.Worker self) throws InterruptedException {
    while (running) {
      Optional<QueuedRequest> taken = queue.takeToRun(TAKE_WAIT);
      if (taken.isEmpty()) {
        self.ok();
        continue;
      }
      QueuedRequest next = taken.get();
      try {
        // Not written to the store here: the SENT record, written before the transaction is
        // sent, is the answer's first durable copy. A crash before it re-executes the request
        // (it is still pending), which costs no GAS and sends nothing twice; a synced write per
        // answer here cost the next block.
        Instant lockAsked = clock.instant();
        Optional<FunctionLocks.Held> fnLock =
            locks.acquire(next.request().functionId(), FUNCTION_LOCK_WAIT);
        metrics.functionLock(seconds(lockAsked), fnLock.isEmpty());
        if (fnLock.isEmpty()) {
          // Another live worker runs this function now: set aside, tried again shortly; this
          // thread goes on with another function's request.
          queue.setAside(next.id());
          self.ok();
          continue;
        }
        long waited = clock.millis() - next.seenAtMillis();
        if (waited >= 0 && waited < 60_000) { // not for requests resumed from an earlier run
          metrics.stage("queue", waited / 1000.0);
        }
        SignedFulfilment answer;
        FunctionLocks.Held held = fnLock.get();
        try {
          answer = execute(next.request());
        } catch (RuntimeException | Error e) {
          // Not answered, so it runs again: the state writes it holds must not land, or the
          // next run would apply them a second time (shared store; RocksDB wrote them already).
          held.abandon();
          throw e;
        }
        // Committed with the release where no earlier run of the request left its own: then this
        // run's writes are dropped and that run's answer stands (shared store; decision 1010).
        held.recordAnswer(next.id(), RecordedAnswer.encode(answer));
        try {
          held.close(); // commits the run's state writes with the release (shared store)
        } catch (StorageOutcomeUnknownException unknown) {
          // Its release may have landed: neither answered nor run again until the store tells.
          Optional<SignedFulfilment> decided = park(next, held, answer, unknown);
          if (decided == null) {
            return; // stopping: the request is still pending in the durable queue
          }
          if (decided.isEmpty()) {
            throw new IllegalStateException(
                "the parked release of request "
                    + next.id()
                    + " had not committed: nothing of the run was written; it runs again");
          }
          answer = decided.get();
        }
        if (held.lost()) {
          // Its state writes were refused (fenced): another worker took the function over
          // while this run went on. The outcome is stale; the request runs again.
          throw new IllegalStateException(
              "the lock of function "
                  + next.request().functionId()
                  + " was taken over during the run; its outcome is dropped");
        }
        answer = answerOfRecord(next, held, answer);
        queue.executed(next.id(), answer);
      } catch (RuntimeException e) {
        // The chain (owner lookup), the signer or the store failed: the request stays pending in
        // the durable queue and runs again shortly. Logged once, here.
        log.error(
            "request {} could not be executed; retrying in {} ms: {}",
            next.id(),
            retry.executorRetryDelay().toMillis(),
            e.toString());
        try {
          Thread.sleep(retry.executorRetryDelay());
        } finally {
          queue.retry(next.id());
        }
        continue;
      } catch (Error e) {
        queue.retry(next.id()); // not left RUNNING: it runs again, on this worker once restarted
        throw e;
      }
      self.ok();
    }
  }

  /**
   * The answer an earlier run of the request recorded with its release, when this run's release
   * found one (it ran before a restart, on a worker that lost it, or its answer was thrown away):
   * this run's state writes were not applied, and the request is answered as that run answered.
   */
  private SignedFulfilment answerOfRecord(
      QueuedRequest next, FunctionLocks.Held held, SignedFulfilment answer) {
    Optional<byte[]> earlier = held.earlierAnswer();
    if (earlier.isEmpty()) {
      return answer;
    }
    SignedFulfilment recorded = RecordedAnswer.decode(next.id(), earlier.get());
    metrics.runAnsweredFromRecord();
    log.info(
        "request {} ({}) had run before and committed its state change: answered as then (status"
            + " {}), this run's writes dropped",
        next.id(),
        next.request().functionId(),
        recorded.status());
    return recorded;
  }

  /**
   * A run whose release's outcome is unknown (decision 1010, "A release of unknown outcome"): the
   * request stays RUNNING, so its function stays busy on this worker (the queue hands out none of
   * its other requests; other workers are held off by the lock row, still this worker's take if the
   * release did not land), and the release is read back with {@link RetryPolicy#newParkedBackoff}
   * until the store tells.
   *
   * @return the run's answer when the release committed, or when an earlier run's recorded answer
   *     stands ({@link #answerOfRecord} then swaps it in), or when the release recorded no answer
   *     and the lock row can no longer tell (answered, so that the run is applied at most once);
   *     empty when nothing was written (the request runs again); null when the executor stops first
   *     (the request stays pending in the durable queue and runs again after a restart, where its
   *     recorded answer, if the release committed, is found)
   */
  private Optional<SignedFulfilment> park(
      QueuedRequest next,
      FunctionLocks.Held held,
      SignedFulfilment answer,
      StorageOutcomeUnknownException unknown)
      throws InterruptedException {
    metrics.releaseParked();
    log.error(
        "request {} ({}) parked, its answer kept and its function held on this worker: {}",
        next.id(),
        next.request().functionId(),
        unknown.getMessage());
    Backoff backoff = retry.newParkedBackoff();
    StatePin.ReleaseOutcome decided = null;
    try {
      while (running) {
        try {
          decided = held.releaseOutcome();
        } catch (RuntimeException e) {
          Duration wait = backoff.onFailure();
          if (backoff.failures() == 1) {
            log.warn(
                "request {}: its parked release cannot be read back yet ({}); trying again every"
                    + " {} to {} ms",
                next.id(),
                e.getMessage(),
                retry.parkedBackoff().toMillis(),
                retry.parkedBackoffMax().toMillis());
          }
          Thread.sleep(wait);
          continue;
        }
        switch (decided) {
          case COMMITTED -> {
            log.info("request {}: its parked release had committed; answered", next.id());
            return Optional.of(answer);
          }
          case NOT_COMMITTED -> {
            if (held.earlierAnswer().isPresent()) {
              return Optional.of(answer); // an earlier run's answer stands: answerOfRecord
            }
            log.info("request {}: its parked release had not committed; it runs again", next.id());
            return Optional.empty();
          }
          case UNDECIDABLE -> {
            // Only a release that recorded no answer (the run's record decides otherwise).
            log.error(
                "request {} ({}): its parked release cannot be decided any more (another worker"
                    + " took the function's lock before the store answered); answered without"
                    + " running it again, so its state change is applied at most once: check the"
                    + " function's state if it matters",
                next.id(),
                next.request().functionId());
            return Optional.of(answer);
          }
        }
      }
      log.error(
          "stopping with request {} parked: it runs again when this worker restarts (or on"
              + " another); if the release had committed, that run finds its recorded answer and"
              + " answers with it instead of applying its state change again",
          next.id());
      return null;
    } finally {
      metrics.parkedReleaseEnded(decided);
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
        Instant t0 = clock.instant();
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
                    r.blockIndex(),
                    fn.get().memoryLimitBytes()));
        metrics.stage("execute", seconds(t0));
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
    if (ExecutionStatus.ofOnChain(outcome.status()).retried()) {
      // The engine failed, not the function: run again a few times before answering with it.
      int n = engineFailures.merge(r.requestId(), 1, Integer::sum);
      if (retry.runAgainAfterEngineFailure(n)) {
        throw new IllegalStateException(
            "engine internal error on attempt " + n + ": " + outcome.errorMessage());
      }
    }
    engineFailures.remove(r.requestId());
    metrics.requestExecuted(outcome.gasUsed());
    if (outcome.status() != 0) {
      metrics.requestFailed(outcome.kind());
    }
    byte[] result = outcome.status() == 0 ? outcome.result() : errorJson(outcome);
    int status = outcome.status();
    if (result.length > MAX_RESULT_BYTES) {
      status = ExecutionStatus.INTERNAL_ERROR.onChain();
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
            status == outcome.status() ? outcome.kind() : ExecutionStatus.INTERNAL_ERROR.kind(),
            new String(result, StandardCharsets.UTF_8),
            gasUsed,
            outcome.logs(),
            outcome.errorMessage(),
            clock.millis()));
    Instant t1 = clock.instant();
    SignedFulfilment signed = signer.sign(r.requestId(), status, result, gasUsed, r.fields());
    metrics.stage("sign", seconds(t1));
    return signed;
  }

  private static FunctionRunner.Outcome error(ExecutionStatus s, String message) {
    return new FunctionRunner.Outcome(s.onChain(), s.kind(), new byte[0], 0, List.of(), message);
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
    String m = message.length() > 1000 ? CharCut.prefix(message, 1000) + "…" : message;
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
      m = CharCut.prefix(m, m.length() / 2) + "…";
    }
  }

  private double seconds(Instant since) {
    return Math.max(0, Duration.between(since, clock.instant()).toNanos()) / 1e9;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Asks the workers and the recorder to end (the recorder writes what is left first); their
   * supervisor joins them.
   */
  @Override
  public void close() {
    running = false;
  }
}
