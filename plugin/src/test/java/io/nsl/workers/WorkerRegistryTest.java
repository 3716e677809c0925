package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.pipeline.Assignment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several registries on one set of shared rows, one clock moved by hand: liveness, takeover with
 * its claim, and a frozen worker that wakes up past its lease.
 */
class WorkerRegistryTest {
  private final ManualClock clock = new ManualClock(1_000_000);
  private final InMemorySharedRows rows = new InMemorySharedRows();
  private final WorkerRegistry.Timing timing = WorkerRegistry.Timing.DEFAULT; // 5 s, 1 s, 1 s

  private WorkerRegistry worker(String id) {
    return new WorkerRegistry(rows, id, "ab", timing, clock);
  }

  /** Every registry renews, the clock moves a second, twice more: past every join grace. */
  private void settle(WorkerRegistry... ws) {
    for (int i = 0; i < 3; i++) {
      for (WorkerRegistry w : ws) {
        w.heartbeat();
      }
      clock.advance(1_000);
    }
    for (WorkerRegistry w : ws) {
      w.heartbeat();
    }
  }

  private static long ownedBy(String worker, List<String> among) {
    for (long id = 1; ; id++) {
      if (Membership.order(id, among).get(0).equals(worker)) {
        return id;
      }
    }
  }

  @Test
  void aWorkerBeforeItsFirstHeartbeatOwnsNothing() {
    WorkerRegistry w1 = worker("w1");
    assertFalse(w1.decide(1).mine());
    w1.heartbeat();
    assertFalse(w1.decide(1).mine(), "not eligible during its join grace");
  }

  @Test
  void threeWorkersAgreeOnOneOwnerPerRequest() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    WorkerRegistry w3 = worker("w3");
    settle(w1, w2, w3);
    for (long id = 1; id <= 300; id++) {
      int owners = 0;
      for (WorkerRegistry w : List.of(w1, w2, w3)) {
        Assignment.Decision d = w.decide(id);
        owners += d.mine() ? 1 : 0;
        assertFalse(d.takenOver());
      }
      assertEquals(1, owners, "request " + id);
    }
    assertEquals(3, w1.liveWorkers().size());
  }

  @Test
  void whenTheOwnersLeaseExpiresTheNextTakesItOverOnceWithAClaim() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    long id = ownedBy("w2", List.of("w1", "w2"));
    assertFalse(w1.decide(id).mine());
    // w2 is killed: no more heartbeats. Its lease runs out 5 s after its last renewal.
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
    }
    Assignment.Decision d = w1.decide(id);
    assertTrue(d.mine());
    assertTrue(d.takenOver());
    assertEquals(6_000, d.takeoverMillis(), "time since w2 last renewed");
    assertEquals(1, w1.takeovers());
    assertTrue(rows.get(WorkerRegistry.CLAIM + id).isPresent());
    Assignment.Decision again = w1.decide(id);
    assertTrue(again.mine());
    assertFalse(again.takenOver(), "the claim holds: no second takeover");
    w1.ended(List.of(id));
    assertTrue(
        rows.get(WorkerRegistry.CLAIM + id).isPresent(),
        "kept while the others may still hold the request");
    clock.advance(WorkerRegistry.CLAIM_KEEP.toMillis() + 1);
    w1.heartbeat();
    assertTrue(rows.get(WorkerRegistry.CLAIM + id).isEmpty(), "forgotten once old");
  }

  @Test
  void aFrozenWorkerThatWakesPastItsLeaseSendsNothingItLost() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    long id = ownedBy("w2", List.of("w1", "w2"));
    assertEquals(Set.of(id), w2.stillMine(List.of(id)));
    // w2 is frozen (SIGSTOP) for 8 s; w1 goes on and takes its request over.
    for (int i = 0; i < 8; i++) {
      clock.advance(1_000);
      w1.heartbeat();
    }
    assertTrue(w1.decide(id).takenOver());
    // w2 wakes: its sender looks before its heartbeat does, then after it.
    assertEquals(Set.of(), w2.stillMine(List.of(id)), "its lease lapsed");
    w2.heartbeat();
    assertEquals(Set.of(), w2.stillMine(List.of(id)), "rejoined, but w1 holds the claim");
    settle(w1, w2);
    assertEquals(Set.of(), w2.stillMine(List.of(id)), "past its grace, the claim still holds");
    assertEquals(Set.of(id), w1.stillMine(List.of(id)));
  }

  @Test
  void aWorkerNearTheEndOfItsLeaseDoesNotSend() {
    WorkerRegistry w1 = worker("w1");
    settle(w1);
    assertEquals(Set.of(7L), w1.stillMine(List.of(7L)));
    clock.advance(4_200); // 0.8 s of lease left, under the 1 s margin
    assertEquals(Set.of(), w1.stillMine(List.of(7L)));
    assertTrue(w1.decide(7).mine(), "it still runs it; only sending waits for a renewal");
  }

  @Test
  void aTakeoverLostToAnotherClaimantIsNotMine() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    WorkerRegistry w3 = worker("w3");
    settle(w1, w2, w3);
    long id = ownedBy("w3", List.of("w1", "w2", "w3"));
    String next = Membership.order(id, List.of("w1", "w2", "w3")).get(1);
    WorkerRegistry taker = next.equals("w1") ? w1 : w2;
    String other = next.equals("w1") ? "w2" : "w1";
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
      w2.heartbeat();
    }
    // The other worker claimed it first (its view said so); the taker's view is older.
    rows.putIfVersion(
        WorkerRegistry.CLAIM + id, 0, new Claim(id, other, clock.millis(), 0).encode());
    Assignment.Decision d = taker.decide(id);
    assertFalse(d.mine());
    assertEquals(other, d.owner());
    assertEquals(0, taker.takeovers());
  }

  @Test
  void timingRefusesALeaseShorterThanTwoRenewals() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                new WorkerRegistry.Timing(
                    Duration.ofMillis(1_500), Duration.ofSeconds(1), Duration.ZERO));
    assertTrue(e.getMessage().contains("1500"), e.getMessage());
  }
}
