package io.nsl.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service's operational numbers, rendered in Prometheus text format. Counters only go up;
 * gauges are set. Thread-safe and lock-free on the hot path. Never carries secret values or request
 * payloads; labels are error kinds only.
 */
public final class PipelineMetrics {
  private final LongAdder requestsSeen = new LongAdder();
  private final LongAdder requestsExecuted = new LongAdder();
  private final LongAdder requestsFulfilled = new LongAdder();
  private final LongAdder gasUsed = new LongAdder();
  private final LongAdder fulfilTransactions = new LongAdder();
  private final LongAdder fulfilRetries = new LongAdder();
  private final LongAdder fulfilFeesDatoshi = new LongAdder();
  private volatile Map<String, Long> queueByStage = Map.of();
  private final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> droppedByState = new ConcurrentHashMap<>();
  private final AtomicLong queueDepth = new AtomicLong();
  private final AtomicLong lagBlocks = new AtomicLong();
  private final AtomicLong chainHeight = new AtomicLong(-1);
  private final Map<String, java.util.concurrent.atomic.DoubleAdder> stageSeconds =
      new ConcurrentHashMap<>();
  private final Map<String, LongAdder> stageCount = new ConcurrentHashMap<>();
  private final Histogram fulfilmentLatencySeconds =
      new Histogram(new double[] {0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60});

  /** The bounds of the blocks-to-answer histogram, in blocks. */
  public static final List<Double> BLOCKS_TO_ANSWER_BOUNDS =
      List.of(0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0);

  private final Histogram fulfilmentLatencyBlocks =
      new Histogram(BLOCKS_TO_ANSWER_BOUNDS.stream().mapToDouble(Double::doubleValue).toArray());
  // Several workers (docs/pipeline.md, "Several workers"); zero with one.
  private final LongAdder takeovers = new LongAdder();
  private final Histogram takeoverSeconds =
      new Histogram(new double[] {1, 2, 3, 5, 7.5, 10, 15, 30, 60});
  private final LongAdder staleAnswers = new LongAdder();
  private final LongAdder duplicateSubmissions = new LongAdder();
  private final Histogram storeSeconds =
      new Histogram(new double[] {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1});
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  // Runs answered with an earlier run's recorded answer (decision 1010).
  private final LongAdder runsAnsweredFromRecord = new LongAdder();
  // Runs whose release's outcome was unknown (decision 1010, "A release of unknown outcome").
  private final LongAdder releasesParked = new LongAdder();
  private final AtomicLong releasesParkedNow = new AtomicLong();
  private final Map<String, LongAdder> parkedDecided = new ConcurrentHashMap<>();
  // An executor thread's take of a function's lock (decision 1010), and the takes that found the
  // function running on another live worker.
  private final Histogram functionLockSeconds =
      new Histogram(new double[] {0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5});
  private final LongAdder functionLockBusy = new LongAdder();

  /**
   * This worker took a request over from one whose lease expired; {@code sinceOwnerSeenSeconds} is
   * the time since that owner last renewed its lease (an upper bound of the time since it died).
   */
  public void takeover(double sinceOwnerSeenSeconds) {
    takeovers.increment();
    takeoverSeconds.observe(sinceOwnerSeenSeconds);
  }

  public long takeovers() {
    return takeovers.sum();
  }

  /** An answer this worker had ready but did not send: the request is no longer its own. */
  public void staleAnswer() {
    staleAnswers.increment();
  }

  public long staleAnswers() {
    return staleAnswers.sum();
  }

  /**
   * An answer that went on chain in a transaction and was skipped by the gateway because its
   * request was no longer pending (another worker's answer got there first, or it was cancelled).
   */
  public void duplicateSubmission() {
    duplicateSubmissions.increment();
  }

  public long duplicateSubmissions() {
    return duplicateSubmissions.sum();
  }

  /**
   * A run whose release found its request's answer recorded by an earlier run (decision 1010, "A
   * run's answer recorded with its release"): answered with that answer, its own writes dropped.
   */
  public void runAnsweredFromRecord() {
    runsAnsweredFromRecord.increment();
  }

  public long runsAnsweredFromRecord() {
    return runsAnsweredFromRecord.sum();
  }

  /** A run's release had an unknown outcome: the run is parked until the store tells. */
  public void releaseParked() {
    releasesParked.increment();
    releasesParkedNow.incrementAndGet();
  }

  /**
   * A parked run left the park: {@code decided} is what the read-back found, null when the executor
   * stopped first.
   */
  public void parkedReleaseEnded(io.nsl.storage.StatePin.ReleaseOutcome decided) {
    releasesParkedNow.decrementAndGet();
    String outcome =
        decided == null ? "stopped" : decided.name().toLowerCase(java.util.Locale.ROOT);
    parkedDecided.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  public long releasesParked() {
    return releasesParked.sum();
  }

  /** Parked runs that left the park with {@code outcome} (committed, not_committed, ...). */
  public long parkedReleasesDecided(String outcome) {
    LongAdder a = parkedDecided.get(outcome);
    return a == null ? 0 : a.sum();
  }

  /**
   * An executor thread spent {@code seconds} taking a function's lock (its round trips to the
   * shared store, and any wait for another worker's run of that function); {@code busy} when it
   * came back without the lock because another live worker runs the function.
   */
  public void functionLock(double seconds, boolean busy) {
    functionLockSeconds.observe(seconds);
    if (busy) {
      functionLockBusy.increment();
    }
  }

  /** Takes of a function's lock that found the function running on another worker. */
  public long functionLockBusy() {
    return functionLockBusy.sum();
  }

  /** Seconds executor threads spent taking function locks, in all. */
  public double functionLockSeconds() {
    return functionLockSeconds.sum();
  }

  /** One durable write of the pipeline's queue, in seconds. */
  public void storeWrite(double seconds) {
    storeSeconds.observe(seconds);
  }

  /** Requests this worker owns, holds for others, and has running, answered or sent. */
  public void assignment(long assignedNow, long heldNow, long inFlightNow) {
    assigned.set(assignedNow);
    held.set(heldNow);
    inFlight.set(inFlightNow);
  }

  public void requestSeen() {
    requestsSeen.increment();
  }

  public void requestExecuted(long gas) {
    requestsExecuted.increment();
    gasUsed.add(gas);
  }

  public void requestFailed(String kind) {
    failuresByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /**
   * An answer not sent (or not needed) because its request is no longer pending on chain; {@code
   * state} is the gateway's state of it (FULFILLED, CANCELLED, UNKNOWN).
   */
  public void requestDropped(String state) {
    droppedByState.computeIfAbsent(state, k -> new LongAdder()).increment();
  }

  public void requestFulfilled(double latencySeconds, long latencyBlocks) {
    requestsFulfilled.increment();
    fulfilmentLatencySeconds.observe(latencySeconds);
    fulfilmentLatencyBlocks.observe(latencyBlocks);
  }

  /**
   * Time one request spent in a stage, the stages one after the other: {@code watch} (its block's
   * timestamp to the watcher recording it), {@code queue} (recorded to a worker taking it), {@code
   * execute} (the sandbox), {@code sign} (the enclave, the answer alone), {@code submit} (answer
   * ready to its transaction sent: batching, test invocation, the batch signature, the durable
   * record, the send), {@code include} (sent to seen included).
   */
  public void stage(String stage, double seconds) {
    stageSeconds
        .computeIfAbsent(stage, k -> new java.util.concurrent.atomic.DoubleAdder())
        .add(seconds);
    stageCount.computeIfAbsent(stage, k -> new LongAdder()).increment();
  }

  /** Total seconds spent in each stage so far, by stage name. */
  public Map<String, Double> stageTotals() {
    Map<String, Double> out = new java.util.TreeMap<>();
    stageSeconds.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public void fulfilTransactionSent() {
    fulfilTransactions.increment();
  }

  public void fulfilRetried() {
    fulfilRetries.increment();
  }

  /**
   * A fulfilment transaction of ours was included (halted or faulted: both pay): {@code
   * feesDatoshi}, its system and network fees, are GAS the operator spent.
   */
  public void fulfilFeesPaid(long feesDatoshi) {
    if (feesDatoshi < 0) {
      throw new IllegalArgumentException("fees must not be negative, got " + feesDatoshi);
    }
    fulfilFeesDatoshi.add(feesDatoshi);
  }

  /**
   * How many requests of the queue are in each stage now ({@link RequestQueue#countByStage}), a
   * gauge.
   */
  public void queueByStage(Map<String, Long> counts) {
    queueByStage = Map.copyOf(new java.util.TreeMap<>(counts));
  }

  public void queueDepth(long depth) {
    queueDepth.set(depth);
  }

  public void lagBlocks(long lag) {
    lagBlocks.set(lag);
  }

  public void chainHeight(long height) {
    chainHeight.set(height);
  }

  public long requestsSeen() {
    return requestsSeen.sum();
  }

  public long requestsFulfilled() {
    return requestsFulfilled.sum();
  }

  public long queueDepth() {
    return queueDepth.get();
  }

  public long lagBlocks() {
    return lagBlocks.get();
  }

  public long fulfilTransactions() {
    return fulfilTransactions.sum();
  }

  /**
   * The same numbers {@link #renderPrometheus()} renders, as one value (for the operator view).
   *
   * @param p95BlocksToAnswerAtMost the smallest histogram bound at or under which 95% of answers
   *     landed, in blocks; empty before the first answer or when over the largest bound (50)
   * @param answersWithinBlocks for each of {@link #BLOCKS_TO_ANSWER_BOUNDS}, the answers that
   *     landed within that many blocks so far (cumulative, as Prometheus buckets): two snapshots'
   *     difference gives the quantile of the answers between them ({@link #quantileAtMost})
   */
  public record Snapshot(
      long requestsSeen,
      long requestsExecuted,
      long requestsFulfilled,
      long jsGasUsed,
      long fulfilTransactions,
      long fulfilRetries,
      long fulfilFeesDatoshi,
      long queueDepth,
      Map<String, Long> queueByStage,
      long lagBlocks,
      long chainHeight,
      Map<String, Long> failuresByKind,
      Map<String, Long> droppedByState,
      Map<String, Double> stageSeconds,
      java.util.OptionalDouble p95BlocksToAnswerAtMost,
      List<Long> answersWithinBlocks) {
    public Snapshot {
      answersWithinBlocks = List.copyOf(answersWithinBlocks);
      queueByStage = Map.copyOf(queueByStage);
      failuresByKind = Map.copyOf(failuresByKind);
      droppedByState = Map.copyOf(droppedByState);
      stageSeconds = Map.copyOf(stageSeconds);
    }
  }

  public Snapshot snapshot() {
    Map<String, Long> failures = new java.util.TreeMap<>();
    failuresByKind.forEach((k, v) -> failures.put(k, v.sum()));
    Map<String, Long> dropped = new java.util.TreeMap<>();
    droppedByState.forEach((k, v) -> dropped.put(k, v.sum()));
    return new Snapshot(
        requestsSeen.sum(),
        requestsExecuted.sum(),
        requestsFulfilled.sum(),
        gasUsed.sum(),
        fulfilTransactions.sum(),
        fulfilRetries.sum(),
        fulfilFeesDatoshi.sum(),
        queueDepth.get(),
        new java.util.TreeMap<>(queueByStage),
        lagBlocks.get(),
        chainHeight.get(),
        failures,
        dropped,
        stageTotals(),
        fulfilmentLatencyBlocks.quantileAtMost(0.95),
        fulfilmentLatencyBlocks.cumulativeCounts());
  }

  /**
   * The smallest of {@code bounds} with at least {@code q} of {@code n} observations at or under
   * it, given {@code atMost} (per bound, the observations at or under it); empty with no
   * observations or when the quantile is over the largest bound. Pure: the operator view applies it
   * to the difference of two snapshots, the answers of one window.
   */
  public static java.util.OptionalDouble quantileAtMost(
      List<Double> bounds, List<Long> atMost, long n, double q) {
    if (bounds.size() != atMost.size()) {
      throw new IllegalArgumentException(
          bounds.size() + " bounds but " + atMost.size() + " counts: they go in pairs");
    }
    if (n <= 0) {
      return java.util.OptionalDouble.empty();
    }
    for (int i = 0; i < bounds.size(); i++) {
      if (atMost.get(i) >= Math.ceil(q * n)) {
        return java.util.OptionalDouble.of(bounds.get(i));
      }
    }
    return java.util.OptionalDouble.empty();
  }

  /** Prometheus text exposition format 0.0.4. */
  public String renderPrometheus() {
    StringBuilder sb = new StringBuilder();
    counter(sb, "nsl_requests_seen_total", "Requests read from the chain.", requestsSeen.sum());
    counter(
        sb,
        "nsl_requests_executed_total",
        "Requests executed (any status).",
        requestsExecuted.sum());
    counter(
        sb,
        "nsl_requests_fulfilled_total",
        "Fulfilments confirmed on chain.",
        requestsFulfilled.sum());
    sb.append(
        "# HELP nsl_requests_failed_total Executions that ended in an error status, by kind.\n");
    sb.append("# TYPE nsl_requests_failed_total counter\n");
    failuresByKind.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                sb.append("nsl_requests_failed_total{kind=\"")
                    .append(e.getKey())
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n'));
    sb.append(
        "# HELP nsl_requests_dropped_total Answers not sent or not needed: the request was no"
            + " longer pending on chain, by its state there.\n");
    sb.append("# TYPE nsl_requests_dropped_total counter\n");
    droppedByState.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                sb.append("nsl_requests_dropped_total{state=\"")
                    .append(e.getKey())
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n'));
    counter(sb, "nsl_gas_used_total", "JS gas units used by executions.", gasUsed.sum());
    counter(
        sb,
        "nsl_fulfil_transactions_total",
        "Fulfilment transactions sent.",
        fulfilTransactions.sum());
    counter(
        sb,
        "nsl_fulfil_retries_total",
        "Fulfilment transactions re-sent after expiry.",
        fulfilRetries.sum());
    counter(
        sb,
        "nsl_fulfil_fees_datoshi_total",
        "System and network fees of included fulfilment transactions, in datoshi (1e-8 GAS).",
        fulfilFeesDatoshi.sum());
    gauge(
        sb,
        "nsl_queue_depth",
        "Requests recorded and not yet confirmed fulfilled.",
        queueDepth.get());
    sb.append("# HELP nsl_queue_stage_requests Requests of the queue in each stage.\n");
    sb.append("# TYPE nsl_queue_stage_requests gauge\n");
    new java.util.TreeMap<>(queueByStage)
        .forEach(
            (k, v) ->
                sb.append("nsl_queue_stage_requests{stage=\"")
                    .append(k)
                    .append("\"} ")
                    .append(v)
                    .append('\n'));
    gauge(
        sb,
        "nsl_lag_blocks",
        "Blocks between the chain head and the watcher's cursor.",
        lagBlocks.get());
    gauge(sb, "nsl_chain_height", "Chain height last seen.", chainHeight.get());
    sb.append("# HELP nsl_stage_seconds Time requests spent in each pipeline stage.\n");
    sb.append("# TYPE nsl_stage_seconds summary\n");
    new java.util.TreeMap<>(stageSeconds)
        .forEach(
            (k, v) -> {
              sb.append("nsl_stage_seconds_sum{stage=\"")
                  .append(k)
                  .append("\"} ")
                  .append(v.sum())
                  .append('\n');
              sb.append("nsl_stage_seconds_count{stage=\"")
                  .append(k)
                  .append("\"} ")
                  .append(stageCount.get(k).sum())
                  .append('\n');
            });
    fulfilmentLatencySeconds.render(
        sb,
        "nsl_fulfilment_latency_seconds",
        "From the request's block to the confirmed fulfilment.");
    fulfilmentLatencyBlocks.render(
        sb,
        "nsl_fulfilment_latency_blocks",
        "Blocks from the request's block to the fulfilment's.");
    gauge(
        sb,
        "nsl_requests_assigned",
        "Requests in this worker's queue that are its own to answer.",
        assigned.get());
    gauge(
        sb,
        "nsl_requests_held",
        "Requests this worker holds for other workers (taken over if their owner's lease expires).",
        held.get());
    gauge(
        sb,
        "nsl_requests_in_flight",
        "Requests this worker is running, has answered, or has sent.",
        inFlight.get());
    counter(
        sb,
        "nsl_takeovers_total",
        "Requests this worker took over from a worker whose lease expired.",
        takeovers.sum());
    takeoverSeconds.render(
        sb,
        "nsl_takeover_seconds",
        "At each takeover, time since the previous owner last renewed its lease.");
    counter(
        sb,
        "nsl_stale_answers_total",
        "Answers not sent because the request was no longer this worker's.",
        staleAnswers.sum());
    counter(
        sb,
        "nsl_duplicate_submissions_total",
        "Answers sent on chain that the gateway skipped: the request was no longer pending.",
        duplicateSubmissions.sum());
    storeSeconds.render(
        sb, "nsl_store_write_seconds", "Durable writes of the pipeline's queue to the store.");
    counter(
        sb,
        "nsl_runs_answered_from_record_total",
        "Runs of a request whose earlier run had committed its state change and answer (restart,"
            + " takeover, answer lost): answered with that answer, this run's writes dropped.",
        runsAnsweredFromRecord.sum());
    counter(
        sb,
        "nsl_releases_parked_total",
        "Runs whose release (state writes and lock release) had an unknown outcome, parked until"
            + " the store told.",
        releasesParked.sum());
    gauge(
        sb,
        "nsl_releases_parked",
        "Runs parked now: answer kept, function held, release read back with backoff.",
        releasesParkedNow.get());
    functionLockSeconds.render(
        sb,
        "nsl_function_lock_seconds",
        "Time an executor thread spent taking a function's lock: the shared store's round trips"
            + " and any wait for another worker's run of the function.");
    counter(
        sb,
        "nsl_function_lock_busy_total",
        "Takes of a function's lock that found the function running on another live worker.",
        functionLockBusy.sum());
    sb.append(
        "# HELP nsl_releases_parked_decided_total Parked runs by what the read-back found"
            + " (committed: answered; not_committed: run again; undecidable: answered, at most"
            + " once; stopped: left pending).\n");
    sb.append("# TYPE nsl_releases_parked_decided_total counter\n");
    new java.util.TreeMap<>(parkedDecided)
        .forEach(
            (k, v) ->
                sb.append("nsl_releases_parked_decided_total{outcome=\"")
                    .append(k)
                    .append("\"} ")
                    .append(v.sum())
                    .append('\n'));
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, long v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    sb.append(name).append(' ').append(v).append('\n');
  }

  private static void gauge(StringBuilder sb, String name, String help, long v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    sb.append(name).append(' ').append(v).append('\n');
  }

  /** A fixed-bucket histogram. */
  static final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds.clone();
      this.counts = new LongAdder[bounds.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double v) {
      for (int i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          counts[i].increment();
        }
      }
      count.increment();
      sum.add(v);
    }

    /**
     * The smallest bound with at least {@code q} of the observations at or under it; empty with no
     * observations or when the quantile is over the largest bound.
     */
    java.util.OptionalDouble quantileAtMost(double q) {
      List<Double> b = java.util.Arrays.stream(bounds).boxed().toList();
      return PipelineMetrics.quantileAtMost(b, cumulativeCounts(), count.sum(), q);
    }

    double sum() {
      return sum.sum();
    }

    /** Observations at or under each bound. */
    List<Long> cumulativeCounts() {
      List<Long> out = new java.util.ArrayList<>(counts.length);
      for (LongAdder c : counts) {
        out.add(c.sum());
      }
      return out;
    }

    void render(StringBuilder sb, String name, String help) {
      sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(name).append(" histogram\n");
      for (int i = 0; i < bounds.length; i++) {
        sb.append(name)
            .append("_bucket{le=\"")
            .append(bounds[i])
            .append("\"} ")
            .append(counts[i].sum())
            .append('\n');
      }
      sb.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
      sb.append(name).append("_sum ").append(sum.sum()).append('\n');
      sb.append(name).append("_count ").append(count.sum()).append('\n');
    }
  }
}
