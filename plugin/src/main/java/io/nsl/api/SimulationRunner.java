package io.nsl.api;

import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationTimeout;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs the simulations of {@code POST /v1/simulate} away from the request threads: on its own
 * bounded pool ({@code threads} runs at once, {@code queue} waiting, more refused with 503
 * SIMULATION_BUSY), each caller limited to its own rate (simulations cost CPU; 429 RATE_LIMITED),
 * each answer waited for at most the run's own timeout plus {@code slack} (then 504
 * SIMULATION_TIMEOUT; the engine's own limits stop the run). Thread-safe.
 */
public final class SimulationRunner implements AutoCloseable {
  private final Function<Simulation.Input, Simulation.Outcome> run;
  private final long maxGasLimit;
  private final Duration maxTimeout;
  private final Duration slack;
  private final RateLimiter perCaller;
  private final ThreadPoolExecutor pool;

  /**
   * @param run runs one simulation to its end (in production {@code Simulation.run} on the
   *     service's engine)
   * @param maxGasLimit the operator's largest gas limit (the engine's)
   * @param maxTimeout the longest and the default timeout of a run: the service's own deadline (a
   *     simulation runs on the production engine's guest threads, so none may hold one longer than
   *     a request could; the CLI, on the developer's machine, allows up to {@link
   *     SimulationTimeout#MAX})
   * @param perSecond simulations one account may start per second, on average
   * @param slack how much longer than a run's own timeout its answer is waited for: its time in the
   *     queue, input validation, the engine's grace past a deadline
   * @param burst simulations one account may start at once
   */
  public SimulationRunner(
      Function<Simulation.Input, Simulation.Outcome> run,
      long maxGasLimit,
      Duration maxTimeout,
      int threads,
      int queue,
      Duration slack,
      double perSecond,
      int burst,
      Clock clock) {
    if (threads < 1 || queue < 0) {
      throw new IllegalArgumentException(
          "threads must be >= 1 and queue >= 0, got " + threads + " and " + queue);
    }
    this.run = run;
    this.maxGasLimit = maxGasLimit;
    this.maxTimeout = maxTimeout;
    this.slack = slack;
    this.perCaller = new RateLimiter(clock, perSecond, burst, 100_000);
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().daemon().name("nsl-simulate-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Production's simulations at once; docs/api.md quotes these bounds (ApiDocLimitsTest). */
  static final int THREADS = 2;

  /** Production's simulations waiting for a thread. */
  static final int QUEUE = 8;

  /**
   * Production's wait past a run's own timeout. With the default timeout (the production deadline)
   * an answer is waited for as long as before simulations took a timeout.
   */
  static final Duration SLACK = Duration.ofSeconds(20);

  /** Production's simulations one account may start per second, on average. */
  static final int PER_SECOND = 1;

  /** Production's simulations one account may start at once. */
  static final int BURST = 5;

  /** Production bounds: {@link #THREADS}, {@link #QUEUE}, {@link #SLACK}, {@link #BURST}. */
  public static SimulationRunner withDefaults(
      Function<Simulation.Input, Simulation.Outcome> run,
      long maxGasLimit,
      Duration maxTimeout,
      Clock clock) {
    return new SimulationRunner(
        run, maxGasLimit, maxTimeout, THREADS, QUEUE, SLACK, PER_SECOND, BURST, clock);
  }

  long maxGasLimit() {
    return maxGasLimit;
  }

  Duration maxTimeout() {
    return maxTimeout;
  }

  /**
   * Runs {@code in} for {@code owner} and waits for its outcome.
   *
   * @throws ApiFailure RATE_LIMITED, SIMULATION_BUSY, SIMULATION_TIMEOUT
   */
  Simulation.Outcome simulate(String owner, Simulation.Input in) {
    if (!perCaller.tryAcquire(owner)) {
      throw new ApiFailure(
          ErrorStatus.RATE_LIMITED,
          "account "
              + owner
              + " started too many simulations; retry after "
              + perCaller.retryAfterSeconds()
              + " s",
          Map.of("retryAfterSeconds", perCaller.retryAfterSeconds()));
    }
    Future<Simulation.Outcome> f;
    try {
      f = pool.submit(() -> run.apply(in));
    } catch (RejectedExecutionException e) {
      throw new ApiFailure(
          ErrorStatus.SIMULATION_BUSY,
          "the service is running as many simulations as it allows; retry in a few seconds",
          Map.of("retryAfterSeconds", 2));
    }
    Duration wait = in.timeout().plus(slack);
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ApiFailure(
          ErrorStatus.SIMULATION_TIMEOUT,
          "the simulation did not finish within "
              + SimulationTimeout.format(wait)
              + " (its timeout and waiting included); try a smaller gas limit or timeout, or retry"
              + " when the service is less busy");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiFailure(ErrorStatus.SIMULATION_BUSY, "the service is stopping; retry later");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("a simulation failed", e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
