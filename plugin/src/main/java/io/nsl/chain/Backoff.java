package io.nsl.chain;

import java.time.Duration;

/**
 * Retry delays after failures: doubling from {@code initial} up to {@code max}, reset by a success.
 * Pure logic, no clock; not thread-safe (one per loop).
 */
public final class Backoff {
  /** The first wait of the service's loops that talk to the chain (watcher, submitter, tracker). */
  public static final Duration INITIAL = Duration.ofMillis(200);

  /** Their longest wait. */
  public static final Duration MAX = Duration.ofSeconds(10);

  private final Duration initial;
  private final Duration max;
  private Duration next;
  private int failures;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The service's standard backoff: {@link #INITIAL} doubling to {@link #MAX}. */
  public static Backoff standard() {
    return new Backoff(INITIAL, MAX);
  }

  /** Records a failure and returns how long to wait before the next try. */
  public Duration onFailure() {
    failures++;
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** Records a success; returns true if this ends a run of failures (a state change to log). */
  public boolean onSuccess() {
    boolean recovered = failures > 0;
    failures = 0;
    next = initial;
    return recovered;
  }

  /** Consecutive failures so far; 1 means this is the first (a state change to log). */
  public int failures() {
    return failures;
  }
}
