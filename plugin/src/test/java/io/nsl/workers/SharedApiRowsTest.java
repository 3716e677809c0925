package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Two workers' API state over one set of shared rows: nonces and rate limits hold across them. */
class SharedApiRowsTest {
  private final InMemorySharedRows rows = new InMemorySharedRows();
  private final SharedApiRows worker1 = new SharedApiRows(rows);
  private final SharedApiRows worker2 = new SharedApiRows(rows);

  @Test
  void aNonceUsedAtOneWorkerIsRefusedAtAnother() {
    assertTrue(worker1.firstUse("02ab/nonce-1", 10_000, 1_000));
    assertFalse(worker2.firstUse("02ab/nonce-1", 10_000, 2_000));
    assertFalse(worker1.firstUse("02ab/nonce-1", 10_000, 2_000));
    assertTrue(worker2.firstUse("02ab/nonce-2", 10_000, 2_000));
  }

  @Test
  void aNonceOutOfItsWindowMayBeRecordedAgain() {
    assertTrue(worker1.firstUse("k", 10_000, 1_000));
    assertTrue(worker2.firstUse("k", 30_000, 10_001));
    assertFalse(worker1.firstUse("k", 30_000, 20_000));
  }

  @Test
  void aRateLimitHoldsAcrossWorkers() {
    int granted = 0;
    for (int i = 0; i < 10; i++) {
      granted += (i % 2 == 0 ? worker1 : worker2).tryTake("caller/x", 1.0, 4, 5_000) ? 1 : 0;
    }
    assertEquals(4, granted, "the burst is shared, not 4 per worker");
    assertFalse(worker2.tryTake("caller/x", 1.0, 4, 5_500));
    assertTrue(worker2.tryTake("caller/x", 1.0, 4, 6_000), "one token a second comes back");
    assertTrue(worker1.tryTake("caller/other", 1.0, 4, 6_000), "buckets are per key");
  }

  @Test
  void theSweepRemovesOnlyExpiredNonces() {
    worker1.firstUse("old", 1_000, 500);
    worker1.firstUse("live", 90_000, 500);
    assertEquals(1, worker1.sweep(2_000));
    assertEquals(1, rows.scan(SharedApiRows.NONCE).size());
    assertFalse(worker2.firstUse("live", 90_000, 2_000));
  }
}
