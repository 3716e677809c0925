package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.ManualClock;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final ManualClock clock = new ManualClock(1_700_000_000_000L);

  @Test
  void aKeyGetsItsBurstThenWaitsForTheRate() {
    RateLimiter r = new RateLimiter(clock, 2, 3, 10);
    assertTrue(r.tryAcquire("a"));
    assertTrue(r.tryAcquire("a"));
    assertTrue(r.tryAcquire("a"));
    assertFalse(r.tryAcquire("a"));
    clock.advance(500);
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
    clock.advance(1_000);
    assertTrue(r.tryAcquire("c"));
    assertTrue(r.size() <= 2);
  }
}
