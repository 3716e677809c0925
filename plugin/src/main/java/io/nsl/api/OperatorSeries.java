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
  /** One point of the plots. */
  public record Sample(
      long atMillis,
      long queueDepth,
      long lagBlocks,
      long requestsSeen,
      long requestsFulfilled,
      long jsGasUsed,
      Double p95BlocksToAnswerAtMost,
      long fulfilFeesDatoshi) {}

  private final Supplier<PipelineMetrics.Snapshot> metrics;
  private final Clock clock;
  private final Duration every;
  private final Sample[] ring;
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
  }

  /** Every 5 s, the last hour. */
  public static OperatorSeries lastHour(Supplier<PipelineMetrics.Snapshot> metrics, Clock clock) {
    return new OperatorSeries(metrics, clock, Duration.ofSeconds(5), 720);
  }

  Duration every() {
    return every;
  }

  /** Takes one sample now. */
  public synchronized void sample() {
    PipelineMetrics.Snapshot s = metrics.get();
    ring[next] =
        new Sample(
            clock.millis(),
            s.queueDepth(),
            s.lagBlocks(),
            s.requestsSeen(),
            s.requestsFulfilled(),
            s.jsGasUsed(),
            s.p95BlocksToAnswerAtMost().isPresent()
                ? s.p95BlocksToAnswerAtMost().getAsDouble()
                : null,
            s.fulfilFeesDatoshi());
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
