package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.workers.Membership.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules of who owns which request: rendezvous order, liveness, grace, claims. */
class MembershipTest {
  private static final long NOW = 1_000_000;
  private final Membership m = new Membership(Duration.ofSeconds(2), Duration.ofMinutes(10));

  private static WorkerLease live(String id) {
    return new WorkerLease(id, "ab", NOW - 60_000, NOW - 500, NOW + 4_500);
  }

  private static WorkerLease expired(String id) {
    return new WorkerLease(id, "ab", NOW - 60_000, NOW - 6_000, NOW - 1_000);
  }

  private static WorkerLease joining(String id) {
    return new WorkerLease(id, "ab", NOW - 500, NOW - 500, NOW + 4_500);
  }

  private static Map<String, WorkerLease> leases(WorkerLease... ls) {
    Map<String, WorkerLease> out = new HashMap<>();
    for (WorkerLease l : ls) {
      out.put(l.workerId(), l);
    }
    return out;
  }

  @Test
  void orderIsTheSameWhateverTheInputOrder() {
    for (long id = 0; id < 200; id++) {
      assertEquals(
          Membership.order(id, List.of("w1", "w2", "w3")),
          Membership.order(id, List.of("w3", "w1", "w2")));
    }
  }

  @Test
  void requestsSpreadOverWorkers() {
    Map<String, Integer> firsts = new HashMap<>();
    for (long id = 1; id <= 3_000; id++) {
      firsts.merge(Membership.order(id, List.of("w1", "w2", "w3")).get(0), 1, Integer::sum);
    }
    for (String w : List.of("w1", "w2", "w3")) {
      int n = firsts.get(w);
      assertTrue(n > 800 && n < 1_200, w + " owns " + n + " of 3,000: " + firsts);
    }
  }

  @Test
  void removingAWorkerMovesOnlyItsRequestsEachToItsNextInOrder() {
    for (long id = 1; id <= 1_000; id++) {
      List<String> all = Membership.order(id, List.of("w1", "w2", "w3"));
      List<String> without = Membership.order(id, List.of("w1", "w3"));
      if (all.get(0).equals("w2")) {
        assertEquals(all.get(1), without.get(0), "request " + id);
      } else {
        assertEquals(
            all.get(0), without.get(0), "request " + id + " moved though its owner stayed");
      }
    }
  }

  @Test
  void eachRequestIsExactlyOneLiveWorkersOwn() {
    Map<String, WorkerLease> ls = leases(live("w1"), live("w2"), live("w3"));
    for (long id = 1; id <= 500; id++) {
      int mine = 0;
      for (String w : ls.keySet()) {
        if (m.decide(w, id, ls, Optional.empty(), NOW).verdict() == Verdict.MINE) {
          mine++;
        }
      }
      assertEquals(1, mine, "request " + id);
    }
  }

  @Test
  void theNextInOrderTakesOverFromAnExpiredOwner() {
    long id = firstRequestOwnedBy("w2", List.of("w1", "w2", "w3"));
    String next = Membership.order(id, List.of("w1", "w2", "w3")).get(1);
    String other = next.equals("w1") ? "w3" : "w1";
    Map<String, WorkerLease> ls = leases(live("w1"), expired("w2"), live("w3"));
    Membership.Decision d = m.decide(next, id, ls, Optional.empty(), NOW);
    assertEquals(Verdict.TAKE_OVER, d.verdict());
    assertEquals("w2", d.previousOwner());
    assertEquals(NOW - 6_000, d.previousRenewedMillis());
    assertEquals(Verdict.OTHERS, m.decide(other, id, ls, Optional.empty(), NOW).verdict());
    assertEquals(Verdict.OTHERS, m.decide("w2", id, ls, Optional.empty(), NOW).verdict());
  }

  @Test
  void aRejoiningWorkerIsGivenNothingDuringItsGraceAndItsRequestsAreTakenOver() {
    long id = firstRequestOwnedBy("w2", List.of("w1", "w2"));
    Map<String, WorkerLease> ls = leases(live("w1"), joining("w2"));
    assertEquals(Verdict.OTHERS, m.decide("w2", id, ls, Optional.empty(), NOW).verdict());
    assertEquals(Verdict.TAKE_OVER, m.decide("w1", id, ls, Optional.empty(), NOW).verdict());
    // After its grace it owns its fresh requests again.
    assertEquals(Verdict.MINE, m.decide("w2", id, ls, Optional.empty(), NOW + 2_000).verdict());
  }

  @Test
  void aLiveHoldersClaimStandsAgainstTheOrder() {
    long id = firstRequestOwnedBy("w2", List.of("w1", "w2"));
    Map<String, WorkerLease> ls = leases(live("w1"), live("w2"));
    Optional<Claim> byW1 = Optional.of(new Claim(id, "w1", NOW - 100, 5));
    assertEquals(Verdict.OTHERS, m.decide("w2", id, ls, byW1, NOW).verdict());
    assertEquals(Verdict.MINE, m.decide("w1", id, ls, byW1, NOW).verdict());
  }

  @Test
  void aDeadHoldersClaimIsTakenOverByTheOwnerInOrder() {
    long id = firstRequestOwnedBy("w2", List.of("w2", "w3"));
    Map<String, WorkerLease> ls = leases(expired("w1"), live("w2"), live("w3"));
    Optional<Claim> byW1 = Optional.of(new Claim(id, "w1", NOW - 9_000, 5));
    Membership.Decision d = m.decide("w2", id, ls, byW1, NOW);
    assertEquals(Verdict.TAKE_OVER, d.verdict());
    assertEquals("w1", d.previousOwner());
  }

  @Test
  void withNoEligibleWorkerNobodyRunsIt() {
    Map<String, WorkerLease> ls = leases(joining("w1"), expired("w2"));
    Membership.Decision d = m.decide("w1", 5, ls, Optional.empty(), NOW);
    assertEquals(Verdict.OTHERS, d.verdict());
    assertEquals("", d.owner());
  }

  @Test
  void aLeaseForgottenAfterItsTimeNoLongerCountsAsNaturalOwner() {
    long id = firstRequestOwnedBy("gone", List.of("w1", "gone"));
    WorkerLease longGone = new WorkerLease("gone", "ab", 0, 1, 2);
    Map<String, WorkerLease> ls = leases(live("w1"), longGone);
    assertEquals(Verdict.MINE, m.decide("w1", id, ls, Optional.empty(), NOW).verdict());
  }

  @Test
  void leaseRowsRoundTripAndBadOnesAreRefusedByName() {
    WorkerLease l = live("worker-1.a_b");
    assertEquals(l, WorkerLease.decode(l.encode()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WorkerLease.checkId("bad id"));
    assertTrue(e.getMessage().contains("'bad id'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerLease.checkId(""));
    assertThrows(IllegalArgumentException.class, () -> WorkerLease.checkId("x".repeat(65)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WorkerLease("w", "ab", 10, 5, 20),
        "since > renewed");
    assertThrows(
        IllegalArgumentException.class,
        () -> new WorkerLease("w", "AB", 1, 5, 20),
        "upper-case hex");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WorkerLease.decode("v2|w|ab|1|2|3".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(new Claim(9, "w1", 5, 3), Claim.decode(9, new Claim(9, "w1", 5, 0).encode(), 3));
  }

  private static long firstRequestOwnedBy(String worker, List<String> among) {
    for (long id = 1; ; id++) {
      if (Membership.order(id, among).get(0).equals(worker)) {
        return id;
      }
    }
  }
}
