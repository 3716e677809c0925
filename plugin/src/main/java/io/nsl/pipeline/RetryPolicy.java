package io.nsl.pipeline;

import io.nsl.chain.Backoff;
import java.time.Duration;

/**
 * How the pipeline tries again, in one place (docs/pipeline.md quotes these numbers and {@code
 * PipelineDocTest} checks them). Pure.
 *
 * @param engineAttempts runs of a request whose engine fails ({@link
 *     ExecutionStatus#ENGINE_INTERNAL_ERROR}) before that failure is the answer
 * @param executorRetryDelay the wait before a request runs again after a failure of the service's
 *     own while executing it (an owner or block-time lookup on an unreachable node, the signer):
 *     the request stays pending and is tried again without limit
 * @param chainBackoff the first wait after the chain failed the watcher, the submitter or the
 *     tracker, doubled on each further failure up to {@code chainBackoffMax}
 * @param chainBackoffMax the longest such wait
 * @param restartBackoff the first wait before {@link Supervisor} starts a pipeline loop again after
 *     it stopped on a failure nothing inside it handled (a full disk, a bug), doubled on each
 *     further stop without a good turn between, up to {@code restartBackoffMax}
 * @param restartBackoffMax the longest such wait
 * @param parkedBackoff the first wait before the executor reads back again a run's release whose
 *     outcome is unknown (its connection broke during the commit and the store could not be read;
 *     the run is parked), doubled on each further failure up to {@code parkedBackoffMax}; the run
 *     is parked until the store answers, without limit
 * @param parkedBackoffMax the longest such wait
 */
public record RetryPolicy(
    int engineAttempts,
    Duration executorRetryDelay,
    Duration chainBackoff,
    Duration chainBackoffMax,
    Duration restartBackoff,
    Duration restartBackoffMax,
    Duration parkedBackoff,
    Duration parkedBackoffMax) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          3,
          Duration.ofSeconds(1),
          Backoff.INITIAL,
          Backoff.MAX,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          Duration.ofSeconds(5));

  public RetryPolicy {
    if (engineAttempts < 1) {
      throw new IllegalArgumentException(
          "engineAttempts must be at least 1, got " + engineAttempts);
    }
  }

  /** Whether a request whose engine failed on attempt {@code attempt} (from 1) runs again. */
  public boolean runAgainAfterEngineFailure(int attempt) {
    return attempt < engineAttempts;
  }

  /** A fresh backoff for restarting one supervised loop. */
  public Backoff newRestartBackoff() {
    return new Backoff(restartBackoff, restartBackoffMax);
  }

  /** A fresh backoff for reading back one parked release. */
  public Backoff newParkedBackoff() {
    return new Backoff(parkedBackoff, parkedBackoffMax);
  }

  /** A fresh backoff for one loop that talks to the chain. */
  public Backoff newChainBackoff() {
    return new Backoff(chainBackoff, chainBackoffMax);
  }
}
