package io.nsl.api;

import io.nsl.pipeline.PipelineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator view's plots: a ring of {@link Sample}s of the pipeline's metrics (the numbers
 * {@code /metrics} shows), one every {@code every}, the last {@code capacity} kept (an hour at the
 * defaults). {@link #sample()} is the pure step; {@link #start()} runs it on a daemon thread.
 * Thread-safe.
 */
public final class OperatorSeries implements AutoCloseable {
  /**
   * One point of the plots.
   *
   * @param p95BlocksToAnswerAtMost over every answer since the service started
   * @param p95BlocksToAnswerLastMinute over the answers that landed since the kept sample closest
   *     to {@link #WINDOW} before this one; null when none landed or this is the first sample
   */
  public record Sample(
      long atMillis,
      long queueDepth,
      long lagBlocks,
      long requestsSeen,
      long requestsFulfilled,
      long jsGasUsed,
      Double p95BlocksToAnswerAtMost,
      long fulfilFeesDatoshi,
      Double p95BlocksToAnswerLastMinute) {}

  /** The window of {@link Sample#p95BlocksToAnswerLastMinute}. */
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Supplier<PipelineMetrics.Snapshot> metrics;
  private final Clock clock;
  private final Duration every;
  private final Sample[] ring;
  // Beside each sample: the answers within each blocks bound so far (not sent to clients).
  private final List<List<Long>> within;
  private int next;
  private int size;
  private ScheduledExecutorService timer;

  public OperatorSeries(
      Supplier<PipelineMetrics.Snapshot> metrics, Clock clock, Duration every, int capacity) {
    if (capacity < 2 || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException(
          "capacity must be >= 2 and every positive, got " + capacity + " and " + every);
    }
    this.metrics = metrics;
    this.clock = clock;
    this.every = every;
    this.ring = new Sample[capacity];
    this.within = new ArrayList<>(java.util.Collections.nCopies(capacity, List.of()));
  }

  /** How often {@link #lastHour} samples (docs/api.md, docs/operator.md, docs/console.md). */
  public static final Duration LAST_HOUR_EVERY = Duration.ofSeconds(5);

  /** Every 5 s, the last hour. */
  public static OperatorSeries lastHour(Supplier<PipelineMetrics.Snapshot> metrics, Clock clock) {
    return new OperatorSeries(
        metrics,
        clock,
        LAST_HOUR_EVERY,
        (int) (Duration.ofHours(1).toMillis() / LAST_HOUR_EVERY.toMillis()));
  }

  Duration every() {
    return every;
  }

  /** Takes one sample now. */
  public synchronized void sample() {
    PipelineMetrics.Snapshot s = metrics.get();
    long now = clock.millis();
    Double lastMinute = null;
    if (size > 0) {
      // The kept sample closest to WINDOW ago (the oldest while fewer are kept).
      int from = (next - size + ring.length) % ring.length;
      for (int k = size; k >= 1; k--) {
        int i = (next - k + ring.length) % ring.length;
        if (ring[i].atMillis() <= now - WINDOW.toMillis()) {
          from = i;
        }
      }
      List<Long> before = within.get(from);
      List<Long> diff = new ArrayList<>();
      for (int b = 0; b < s.answersWithinBlocks().size(); b++) {
        diff.add(s.answersWithinBlocks().get(b) - (b < before.size() ? before.get(b) : 0));
      }
      var q =
          PipelineMetrics.quantileAtMost(
              PipelineMetrics.BLOCKS_TO_ANSWER_BOUNDS,
              diff,
              s.requestsFulfilled() - ring[from].requestsFulfilled(),
              0.95);
      lastMinute = q.isPresent() ? q.getAsDouble() : null;
    }
    within.set(next, s.answersWithinBlocks());
    ring[next] =
        new Sample(
            now,
            s.queueDepth(),
            s.lagBlocks(),
            s.requestsSeen(),
            s.requestsFulfilled(),
            s.jsGasUsed(),
            s.p95BlocksToAnswerAtMost().isPresent()
                ? s.p95BlocksToAnswerAtMost().getAsDouble()
                : null,
            s.fulfilFeesDatoshi(),
            lastMinute);
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** The kept samples, oldest first. */
  public synchronized List<Sample> samples() {
    List<Sample> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(ring[(next - size + i + ring.length) % ring.length]);
    }
    return out;
  }

  /** Samples on a daemon thread every {@code every} until closed. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("nsl-operator-series").unstarted(r));
    timer.scheduleAtFixedRate(
        () -> {
          try {
            sample();
          } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(OperatorSeries.class)
                .warn("sampling the operator view's metrics failed: {}", e.toString());
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
