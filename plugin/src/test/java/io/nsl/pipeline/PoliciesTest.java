package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** BatchPolicy, ExpiryPolicy and RetryPolicy: pure functions of their inputs. */
class PoliciesTest {
  private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000);
  private final BatchPolicy batching = new BatchPolicy(3, Duration.ofMillis(150));

  @Test
  void fullBatchGoesAtOnce() {
    assertTrue(batching.sendNow(3, T0, T0, false));
  }

  @Test
  void partBatchWaitsWhileTheExecutorIsBusyAndTheDelayRuns() {
    assertFalse(batching.sendNow(2, T0, T0.plusMillis(149), false));
  }

  @Test
  void partBatchGoesWhenTheExecutorIsIdle() {
    assertTrue(batching.sendNow(1, T0, T0, true));
  }

  @Test
  void partBatchGoesWhenTheDelayHasPassed() {
    assertTrue(batching.sendNow(2, T0, T0.plusMillis(150), false));
  }

  @Test
  void emptyBatchNeverGoes() {
    assertFalse(batching.sendNow(0, T0, T0.plusSeconds(60), true));
  }

  @Test
  void refusesAnEmptyBatchSizeOrNegativeDelay() {
    var e = assertThrows(IllegalArgumentException.class, () -> new BatchPolicy(0, Duration.ZERO));
    assertTrue(e.getMessage().contains("maxBatch must be at least 1, got 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BatchPolicy(1, Duration.ofMillis(-1)));
  }

  @Test
  void transactionIsValidForTheConfiguredBlocksAndExpiresAfterTheLast() {
    ExpiryPolicy expiry = new ExpiryPolicy(40);
    assertEquals(140, expiry.validUntilBlock(100));
    assertFalse(expiry.expired(140, 140), "still includable in its last valid block");
    assertTrue(expiry.expired(140, 141));
    assertThrows(IllegalArgumentException.class, () -> new ExpiryPolicy(0));
  }

  @Test
  void engineFailureRunsThreeTimesInAll() {
    RetryPolicy r = RetryPolicy.DEFAULT;
    assertTrue(r.runAgainAfterEngineFailure(1));
    assertTrue(r.runAgainAfterEngineFailure(2));
    assertFalse(r.runAgainAfterEngineFailure(3));
  }

  @Test
  void chainBackoffDoublesToItsCeilingAndResets() {
    var b = RetryPolicy.DEFAULT.newChainBackoff();
    assertEquals(Duration.ofMillis(200), b.onFailure());
    assertEquals(Duration.ofMillis(400), b.onFailure());
    for (int i = 0; i < 10; i++) {
      b.onFailure();
    }
    assertEquals(Duration.ofSeconds(10), b.onFailure());
    assertTrue(b.onSuccess(), "the end of a run of failures is reported once");
    assertFalse(b.onSuccess());
    assertEquals(Duration.ofMillis(200), b.onFailure());
  }
}
