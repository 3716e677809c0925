package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.pipeline.Assignment;
import io.nsl.testing.ManualClock;
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

  /** Counts store round trips: one per get, per key listing and per scan. */
  private static final class CountingRows extends ForwardingSharedRows {
    int reads;

    CountingRows(SharedRows rows) {
      super(rows);
    }

    @Override
    public java.util.Optional<Row> get(String key) {
      reads++;
      return rows.get(key);
    }

    @Override
    public java.util.Map<String, Row> scan(String prefix) {
      reads++; // one round trip on PostgreSQL (PersistentStorageService.readAll)
      return rows.scan(prefix);
    }

    @Override
    public Set<String> keys(String prefix) {
      reads++; // one listing, values left out
      return rows.keys(prefix);
    }
  }

  @Test
  void aWorkerHasJoinedOnlyOnceItHasReadTheOthersLeases() {
    // Found by CI (WorkersOnChainIT's upgrade): joined() turned true when the lease was written,
    // before the leases were read; /ready said 200 to an operator while /metrics still showed no
    // worker at all.
    WorkerRegistry w1 = worker("w1");
    w1.heartbeat();
    java.util.List<Boolean> joinedWhileReading = new java.util.ArrayList<>();
    WorkerRegistry[] w2 = new WorkerRegistry[1];
    SharedRows watching =
        new ForwardingSharedRows(rows) {
          @Override
          public java.util.Map<String, Row> scan(String prefix) {
            joinedWhileReading.add(w2[0].joined());
            return rows.scan(prefix);
          }
        };
    w2[0] = new WorkerRegistry(watching, "w2", "ab", timing, clock);
    w2[0].heartbeat();
    assertEquals(List.of(false), joinedWhileReading);
    assertTrue(w2[0].joined());
    assertEquals(
        Set.of("w1", "w2"),
        w2[0].leases().stream()
            .map(WorkerLease::workerId)
            .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void aHeartbeatReadsOnlyTheClaimsItHasNotSeenBefore() {
    // Found by WorkersOnChainIT: with a worker killed mid-stream, its ~500 requests' claims were
    // all read again (one store round trip each on PostgreSQL) at every heartbeat and before every
    // send, for the ten minutes claims are kept; heartbeats outgrew the lease and the survivor's
    // lease lapsed again and again, throwing its answers away.
    CountingRows counting = new CountingRows(rows);
    WorkerRegistry w1 = new WorkerRegistry(counting, "w1", "ab", timing, clock);
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    for (long id = 1; id <= 500; id++) {
      rows.put(WorkerRegistry.CLAIM + id, new Claim(id, "w2", clock.millis(), 0).encode());
    }
    w1.heartbeat();
    counting.reads = 0;
    w1.heartbeat();
    assertTrue(counting.reads <= 6, "a heartbeat read " + counting.reads + " rows");
    counting.reads = 0;
    w1.stillMine(List.of(7L, 8L));
    assertTrue(counting.reads <= 7, "a check of 2 requests read " + counting.reads + " rows");
  }

  @Test
  void aWorkerJoiningAfterAMassTakeoverReadsTheClaimsInOneScan() {
    // Found by WorkersOnChainIT's upgrade at load ~40: the first heartbeat of a new worker read
    // each of ~1,200 claim rows on its own (one round trip each) for 19 s, and the lease it had
    // written at the start of that heartbeat lapsed before the next.
    WorkerRegistry w1 = worker("w1");
    settle(w1);
    for (long id = 1; id <= 500; id++) {
      rows.put(WorkerRegistry.CLAIM + id, new Claim(id, "w1", clock.millis(), 0).encode());
    }
    CountingRows counting = new CountingRows(rows);
    WorkerRegistry w3 = new WorkerRegistry(counting, "w3", "ab", timing, clock);
    w3.heartbeat();
    assertTrue(counting.reads <= 6, "a first heartbeat read " + counting.reads + " times");
    assertFalse(w3.decide(7).mine(), "w1's claim is in the view");
    assertEquals("w1", w3.decide(7).owner());
  }

  @Test
  void aClaimTakenSinceTheLastHeartbeatIsSeenBeforeSendingAndKept() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    long id = ownedBy("w2", List.of("w1", "w2"));
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
    }
    assertTrue(w1.decide(id).takenOver());
    w1.heartbeat();
    // w1 is then thought gone by w3, which re-claims the request (compare-and-set on the row).
    var row = rows.get(WorkerRegistry.CLAIM + id).orElseThrow();
    assertTrue(
        rows.putIfVersion(
            WorkerRegistry.CLAIM + id,
            row.version(),
            new Claim(id, "w3", clock.millis(), 0).encode()));
    WorkerRegistry w3 = worker("w3");
    w3.heartbeat();
    assertEquals(Set.of(), w1.stillMine(List.of(id)), "the claim moved to w3");
    assertFalse(w1.decide(id).mine(), "and w1's view keeps what it read");
    clock.advance(WorkerRegistry.CLAIM_KEEP.toMillis() + 1);
    w1.heartbeat();
    assertEquals(
        "w3",
        Claim.decode(id, rows.get(WorkerRegistry.CLAIM + id).orElseThrow().value(), 1).workerId(),
        "w1 removes only its own claims");
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

  /** Counts store writes: puts, compare-and-sets, batches and removals. */
  private static final class CountingWrites extends ForwardingSharedRows {
    int writes;

    CountingWrites(SharedRows rows) {
      super(rows);
    }

    @Override
    public void put(String key, byte[] value) {
      writes++;
      rows.put(key, value);
    }

    @Override
    public long swapIfVersion(String key, long expectedVersion, byte[] value) {
      writes++;
      return rows.swapIfVersion(key, expectedVersion, value);
    }

    @Override
    public long swapAllIfVersions(
        java.util.Map<String, Long> expectedVersions, java.util.Map<String, byte[]> values) {
      writes++;
      return rows.swapAllIfVersions(expectedVersions, values);
    }

    @Override
    public boolean deleteAllIfVersions(java.util.Map<String, Long> expectedVersions) {
      writes++;
      return rows.deleteAllIfVersions(expectedVersions);
    }

    @Override
    public boolean deleteIfVersion(String key, long expectedVersion) {
      writes++;
      return rows.deleteIfVersion(key, expectedVersion);
    }
  }

  private static List<Long> ownedByEach(String worker, List<String> among, int n) {
    List<Long> out = new java.util.ArrayList<>();
    for (long id = 1; out.size() < n; id++) {
      if (Membership.order(id, among).get(0).equals(worker)) {
        out.add(id);
      }
    }
    return out;
  }

  @Test
  void aDeadWorkersRequestsAreClaimedInOneWrite() {
    // Found by WorkersOnChainIT's kill -9 at load ~20: the survivor claimed the dead worker's
    // requests one write each, 10 to 30 a second, in its membership loop; its own lease lapsed
    // every 8 s while it claimed, and it threw away its answers and rejoined again and again.
    CountingWrites counting = new CountingWrites(rows);
    WorkerRegistry w1 = new WorkerRegistry(counting, "w1", "ab", timing, clock);
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    List<Long> ids = ownedByEach("w2", List.of("w1", "w2"), 200);
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
    }
    counting.writes = 0;
    java.util.Map<Long, Assignment.Decision> d = w1.decideAll(ids);
    assertEquals(1, counting.writes, "one write for 200 claims");
    for (long id : ids) {
      assertTrue(d.get(id).mine() && d.get(id).takenOver(), "request " + id);
      assertEquals(
          "w1",
          Claim.decode(id, rows.get(WorkerRegistry.CLAIM + id).orElseThrow().value(), 1)
              .workerId());
    }
    assertEquals(200, w1.takeovers());
    assertEquals(6_000, d.get(ids.get(0)).takeoverMillis(), "time since w2 last renewed");
    Assignment.Decision again = w1.decide(ids.get(7));
    assertTrue(again.mine() && !again.takenOver(), "the claim is in the view: no second takeover");
  }

  @Test
  void aClaimBatchThatLosesOneRaceClaimsTheRestOneByOne() {
    WorkerRegistry w1 = worker("w1");
    WorkerRegistry w2 = worker("w2");
    WorkerRegistry w3 = worker("w3");
    settle(w1, w2, w3);
    List<String> all = List.of("w1", "w2", "w3");
    List<Long> ids = new java.util.ArrayList<>();
    for (long id : ownedByEach("w3", all, 200)) {
      if (Membership.order(id, all).get(1).equals("w1")) {
        ids.add(id); // w1 is next in line for these when w3 dies
      }
    }
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
      w2.heartbeat();
    }
    // w2 claimed one of them after w1's last read (its view said so).
    long raced = ids.get(3);
    rows.putIfVersion(
        WorkerRegistry.CLAIM + raced, 0, new Claim(raced, "w2", clock.millis(), 0).encode());
    java.util.Map<Long, Assignment.Decision> d = w1.decideAll(ids);
    assertFalse(d.get(raced).mine());
    assertEquals("w2", d.get(raced).owner());
    for (long id : ids) {
      if (id != raced) {
        assertTrue(d.get(id).mine() && d.get(id).takenOver(), "request " + id);
      }
    }
    assertEquals(ids.size() - 1, w1.takeovers());
  }

  @Test
  void oldClaimsAreForgottenInOneWrite() {
    CountingWrites counting = new CountingWrites(rows);
    WorkerRegistry w1 = new WorkerRegistry(counting, "w1", "ab", timing, clock);
    WorkerRegistry w2 = worker("w2");
    settle(w1, w2);
    List<Long> ids = ownedByEach("w2", List.of("w1", "w2"), 100);
    for (int i = 0; i < 6; i++) {
      clock.advance(1_000);
      w1.heartbeat();
    }
    w1.decideAll(ids);
    clock.advance(WorkerRegistry.CLAIM_KEEP.toMillis() + 1);
    counting.writes = 0;
    w1.heartbeat();
    assertEquals(2, counting.writes, "the lease, and one removal of 100 claims");
    assertEquals(Set.of(), rows.keys(WorkerRegistry.CLAIM));
  }

  @Test
  void aLongTurnIsFollowedByTheNextRenewalAtOnce() {
    WorkerRegistry w1 = worker("w1");
    assertEquals(700, w1.pauseAfterTurn(10_000, 10_300), "the rest of the 1 s period");
    assertEquals(0, w1.pauseAfterTurn(10_000, 12_500), "a turn past the period: renew at once");
    assertEquals(1_000, w1.pauseAfterTurn(10_000, 9_000), "a clock stepped back: one period");
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
