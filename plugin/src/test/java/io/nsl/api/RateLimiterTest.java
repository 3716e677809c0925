package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  final ManualClock clock = new ManualClock();

  @Test
  void aKeyGetsItsBurstThenWaitsForTheRate() {
    RateLimiter r = new RateLimiter(clock, 2, 3, 10);
    assertTrue(r.tryAcquire("a"));
    assertTrue(r.tryAcquire("a"));
    assertTrue(r.tryAcquire("a"));
    assertFalse(r.tryAcquire("a"));
    clock.millis += 500;
    assertTrue(r.tryAcquire("a"));
    assertFalse(r.tryAcquire("a"));
  }

  @Test
  void aFullTableOfBusyKeysRefusesNewKeysInsteadOfGrowing() {
    // Before: when no bucket was idle, a new key was added anyway, so a flood of fresh keys grew
    // the table past maxKeys without bound.
    RateLimiter r = new RateLimiter(clock, 1, 1, 2);
    assertTrue(r.tryAcquire("a"));
    assertTrue(r.tryAcquire("b"));
    assertFalse(r.tryAcquire("c"));
    assertTrue(r.size() <= 2);
    // Once a bucket is full again it carries no information and makes room.
    clock.millis += 1_000;
    assertTrue(r.tryAcquire("c"));
    assertTrue(r.size() <= 2);
  }
}
