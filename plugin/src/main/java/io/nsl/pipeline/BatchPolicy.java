package io.nsl.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * When a batch of answers goes on chain: as soon as it is full, or the executor has finished the
 * burst it was working on (answers of one block arrive together: one transaction for all of them),
 * or {@code maxDelay} has passed since its first answer was taken. Pure: time comes in as an
 * argument read from the caller's {@link java.time.Clock}.
 *
 * @param maxBatch the most answers in one {@code fulfilBatch} transaction
 * @param maxDelay how long the first answer of a batch may wait for others
 */
public record BatchPolicy(int maxBatch, Duration maxDelay) {
  public BatchPolicy {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
    }
  }

  /**
   * Whether a batch of {@code size} answers, started at {@code firstTakenAt}, should be sent now.
   *
   * @param executorIdle nothing is queued or running in the executor: no answer is on its way
   */
  public boolean sendNow(int size, Instant firstTakenAt, Instant now, boolean executorIdle) {
    if (size >= maxBatch) {
      return true;
    }
    if (size == 0) {
      return false;
    }
    return executorIdle || !now.isBefore(firstTakenAt.plus(maxDelay));
  }
}
