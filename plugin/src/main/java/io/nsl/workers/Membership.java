package io.nsl.workers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns which request, as a pure function of the lease rows, the takeover claims, and the time:
 * no store, no clock, no threads. {@link WorkerRegistry} feeds it what it read.
 *
 * <p>Rules (docs/pipeline.md, "Several workers"; decision 1010):
 *
 * <ul>
 *   <li><b>live</b>: a worker whose lease has not expired;
 *   <li><b>eligible</b>: live, and joined at least {@code joinGrace} ago: a worker that just
 *       (re)joined is not given requests until every other worker has had time to see it, so that
 *       two workers never both think a fresh request theirs;
 *   <li><b>known</b>: a lease expired less than {@code forgetAfter} ago, or live;
 *   <li>a request's <b>owner</b> is the first eligible worker in its rendezvous order ({@link
 *       #order}); its <b>natural owner</b> the first known one. When they differ (the natural owner
 *       died, or is rejoining), the owner must <b>take it over</b>: a durable {@link Claim}, which
 *       then holds while its holder is live, whatever the order says.
 * </ul>
 */
public final class Membership {
  /** What a worker should do with a request. */
  public enum Verdict {
    /** Run and answer it. */
    MINE,
    /** Run and answer it after claiming it from {@link Decision#previousOwner()}. */
    TAKE_OVER,
    /** Another worker's (or, with no eligible worker, nobody's yet): hold it and watch. */
    OTHERS
  }

  /**
   * @param owner who should run the request now (empty when no worker is eligible)
   * @param previousOwner for {@link Verdict#TAKE_OVER}: the natural owner being replaced
   * @param previousRenewedMillis when the previous owner last renewed its lease (-1 if unknown)
   */
  public record Decision(
      Verdict verdict, String owner, String previousOwner, long previousRenewedMillis) {}

  private final Duration joinGrace;
  private final Duration forgetAfter;

  public Membership(Duration joinGrace, Duration forgetAfter) {
    if (joinGrace.isNegative() || forgetAfter.isNegative()) {
      throw new IllegalArgumentException("joinGrace and forgetAfter must not be negative");
    }
    this.joinGrace = joinGrace;
    this.forgetAfter = forgetAfter;
  }

  /** Workers live at {@code nowMillis}, by id. */
  public static List<WorkerLease> live(Collection<WorkerLease> leases, long nowMillis) {
    return leases.stream()
        .filter(l -> l.liveAt(nowMillis))
        .sorted(Comparator.comparing(WorkerLease::workerId))
        .toList();
  }

  /** Workers that may be given requests at {@code nowMillis}. */
  public List<WorkerLease> eligible(Collection<WorkerLease> leases, long nowMillis) {
    return leases.stream()
        .filter(l -> l.liveAt(nowMillis) && l.sinceMillis() <= nowMillis - joinGrace.toMillis())
        .sorted(Comparator.comparing(WorkerLease::workerId))
        .toList();
  }

  private List<WorkerLease> known(Collection<WorkerLease> leases, long nowMillis) {
    return leases.stream()
        .filter(l -> l.expiresMillis() > nowMillis - forgetAfter.toMillis())
        .toList();
  }

  /**
   * The rendezvous (highest random weight) order of {@code workerIds} for {@code requestId}: each
   * worker's weight is the first 8 bytes of SHA-256(worker id, 0, request id big-endian), highest
   * first, ties by id. Removing a worker moves only its own requests, each to the next worker in
   * its order.
   */
  public static List<String> order(long requestId, Collection<String> workerIds) {
    List<String> out = new ArrayList<>(workerIds);
    out.sort(
        Comparator.comparing((String w) -> weight(w, requestId), Long::compareUnsigned)
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    return out;
  }

  static long weight(String workerId, long requestId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(workerId.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(ByteBuffer.allocate(8).putLong(requestId).array());
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * What worker {@code me} should do with {@code requestId} at {@code nowMillis}, given every lease
   * row and the request's claim (if any).
   */
  public Decision decide(
      String me,
      long requestId,
      Map<String, WorkerLease> leases,
      Optional<Claim> claim,
      long nowMillis) {
    if (claim.isPresent()) {
      WorkerLease holder = leases.get(claim.get().workerId());
      if (holder != null && holder.liveAt(nowMillis)) {
        String h = claim.get().workerId();
        return new Decision(h.equals(me) ? Verdict.MINE : Verdict.OTHERS, h, "", -1);
      }
    }
    List<WorkerLease> eligible = eligible(leases.values(), nowMillis);
    if (eligible.isEmpty()) {
      return new Decision(Verdict.OTHERS, "", "", -1);
    }
    String owner = order(requestId, eligible.stream().map(WorkerLease::workerId).toList()).get(0);
    if (!owner.equals(me)) {
      return new Decision(Verdict.OTHERS, owner, "", -1);
    }
    List<WorkerLease> known = known(leases.values(), nowMillis);
    String natural = order(requestId, known.stream().map(WorkerLease::workerId).toList()).get(0);
    if (natural.equals(me) && claim.isEmpty()) {
      return new Decision(Verdict.MINE, me, "", -1);
    }
    // The natural owner is gone or rejoining, or a dead holder's claim stands: claim it.
    String previous = claim.map(Claim::workerId).orElse(natural);
    WorkerLease prev = leases.get(previous);
    return new Decision(Verdict.TAKE_OVER, me, previous, prev == null ? -1 : prev.renewedMillis());
  }
}
