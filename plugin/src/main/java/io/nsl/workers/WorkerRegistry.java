package io.nsl.workers;

import io.nsl.pipeline.Assignment;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's membership: writes its lease row, reads everyone's rows and the takeover claims,
 * and answers the pipeline's {@link Assignment} questions with {@link Membership}'s rules.
 *
 * <p>Threading: {@link #heartbeat()} runs on one loop (under the pipeline's supervisor); the {@link
 * Assignment} methods run on the pipeline's threads and read the last view (a volatile snapshot).
 * Failures: the store's, unchecked; a heartbeat that fails leaves the lease to expire, which is
 * what should happen to a worker that cannot reach the store.
 */
public final class WorkerRegistry implements Assignment {
  private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);
  static final String LEASE = "lease/";
  static final String CLAIM = "claim/";

  /** Lease timing. */
  public record Timing(Duration lease, Duration renewEvery, Duration submitMargin) {
    public Timing {
      if (renewEvery.isZero()
          || renewEvery.isNegative()
          || lease.compareTo(renewEvery.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "workers.leaseMs ("
                + lease.toMillis()
                + ") must be at least twice workers.renewMs ("
                + renewEvery.toMillis()
                + "), and renewMs above 0: one late renewal must not cost the lease");
      }
      if (submitMargin.isNegative() || submitMargin.compareTo(lease) >= 0) {
        throw new IllegalArgumentException("submitMargin must be in [0, lease)");
      }
    }

    /** Lease 5 s renewed every 1 s; an answer is sent only with 1 s of lease left. */
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));

    /**
     * A worker that joins is given requests after two renewals, once every other has seen it; a
     * lease expired for ten minutes is forgotten (its worker was removed).
     */
    Membership membership() {
      return new Membership(renewEvery.multipliedBy(2), Duration.ofMinutes(10));
    }
  }

  private record View(Map<String, WorkerLease> leases, Map<Long, Claim> claims) {}

  private final SharedRows rows;
  private final String me;
  private final String measurement;
  private final Timing timing;
  private final Membership membership;
  private final Clock clock;
  private final AtomicLong takeovers = new AtomicLong();
  private volatile View view = new View(Map.of(), Map.of());
  private volatile long sinceMillis = -1;

  public WorkerRegistry(
      SharedRows rows, String workerId, String measurement, Timing timing, Clock clock) {
    this.rows = rows;
    this.me = WorkerLease.checkId(workerId);
    this.measurement = measurement;
    this.timing = timing;
    this.membership = timing.membership();
    this.clock = clock;
  }

  public String workerId() {
    return me;
  }

  public Timing timing() {
    return timing;
  }

  /** Whether this worker has written its lease once: the others can count it from then on. */
  public boolean joined() {
    return sinceMillis >= 0;
  }

  /**
   * One turn: renews this worker's lease (a new incarnation when it had lapsed: the worker was
   * stopped or frozen past it, and the others may have taken its requests), then reads every lease
   * and claim.
   */
  public void heartbeat() {
    long now = clock.millis();
    Optional<WorkerLease> mine = rows.get(LEASE + me).map(r -> WorkerLease.decode(r.value()));
    long since;
    if (mine.isPresent() && mine.get().liveAt(now) && mine.get().sinceMillis() == sinceMillis) {
      since = sinceMillis;
    } else {
      if (mine.isPresent() && sinceMillis >= 0 && !mine.get().liveAt(now)) {
        log.warn(
            "worker {}: its lease lapsed {} ms ago (stopped or frozen past it); it rejoins and its"
                + " requests stay with whoever took them over",
            me,
            now - mine.get().expiresMillis());
      }
      since = now;
    }
    rows.put(
        LEASE + me,
        new WorkerLease(me, measurement, since, now, now + timing.lease().toMillis()).encode());
    view = read(Set.of());
    // Joined only once the others are read: /ready follows joined(), and a worker ready before
    // it knew the others showed no worker at all.
    sinceMillis = since;
    long read = clock.millis();
    logExpired(view, lastReadMillis, read);
    lastReadMillis = read;
    forgetOldClaims(view, now);
  }

  private long lastReadMillis;

  /**
   * One line per other worker whose lease expired since the last heartbeat's read: the moment this
   * worker notices, takeovers follow (docs/pipeline.md, "Takeover").
   */
  private void logExpired(View v, long sinceMillis, long now) {
    for (WorkerLease l : v.leases().values()) {
      if (!l.workerId().equals(me) && !l.liveAt(now) && l.expiresMillis() > sinceMillis) {
        log.info(
            "worker {} sees the lease of {} expired {} ms ago ({} ms after its last renewal)",
            me,
            l.workerId(),
            now - l.expiresMillis(),
            now - l.renewedMillis());
      }
    }
  }

  /**
   * Reads every lease, and the claims: the list of claim keys, then only the rows not read before
   * and those of {@code exactly} (a claim row is written once and changes only by a compare-and-set
   * takeover, which {@link #takeOver} and {@link #stillMine} read afresh). Claims are kept ten
   * minutes, hundreds after a worker dies: reading each again at every heartbeat, one store round
   * trip each, made heartbeats outgrow the lease (found by WorkersOnChainIT).
   */
  private View read(Set<Long> exactly) {
    Map<String, WorkerLease> leases = readLeases();
    Map<Long, Claim> known = view.claims();
    Map<Long, Claim> claims = new HashMap<>();
    List<String> toRead = new ArrayList<>();
    for (String key : rows.keys(CLAIM)) {
      long id = Long.parseLong(key.substring(CLAIM.length()));
      Claim c = known.get(id);
      if (c != null && !exactly.contains(id)) {
        claims.put(id, c);
      } else {
        toRead.add(key);
      }
    }
    if (toRead.size() > READ_ONE_BY_ONE) {
      // A worker that joins after a mass takeover has hundreds to read: all in one scan.
      for (Map.Entry<String, SharedRows.Row> e : rows.scan(CLAIM).entrySet()) {
        long id = Long.parseLong(e.getKey().substring(CLAIM.length()));
        claims.put(id, Claim.decode(id, e.getValue().value(), e.getValue().version()));
      }
    } else {
      for (String key : toRead) {
        long id = Long.parseLong(key.substring(CLAIM.length()));
        rows.get(key).ifPresent(r -> claims.put(id, Claim.decode(id, r.value(), r.version())));
      }
    }
    return new View(Map.copyOf(leases), claims);
  }

  private Map<String, WorkerLease> readLeases() {
    Map<String, WorkerLease> leases = new HashMap<>();
    for (SharedRows.Row r : rows.scan(LEASE).values()) {
      WorkerLease l = WorkerLease.decode(r.value());
      leases.put(l.workerId(), l);
    }
    return leases;
  }

  /**
   * The other workers whose lease is live now, read from the store (before this worker's first
   * heartbeat too): where a new worker starts reading the chain.
   */
  public List<String> othersLiveNow() {
    return Membership.live(readLeases().values(), clock.millis()).stream()
        .map(WorkerLease::workerId)
        .filter(id -> !id.equals(me))
        .toList();
  }

  private volatile boolean running = true;

  /**
   * The membership loop: renews the lease every {@link Timing#renewEvery()}, then runs {@code
   * afterRefresh} (the queue takes over what is now its own) and {@code beat} (a good turn). A
   * store failure ends the loop with that exception, for its supervisor to restart it; the lease
   * expires meanwhile, as it should for a worker that cannot reach the store.
   */
  public void run(Runnable afterRefresh, Runnable beat) throws InterruptedException {
    while (running) {
      long started = clock.millis();
      heartbeat();
      afterRefresh.run();
      beat.run();
      Thread.sleep(pauseAfterTurn(started, clock.millis()));
    }
  }

  /**
   * How long the membership loop sleeps after a turn that began at {@code startedMillis}: the rest
   * of {@link Timing#renewEvery()}, so a turn's work (the queue's reassignment, its claims) delays
   * the next renewal only by what exceeds the period, not by all of it.
   */
  long pauseAfterTurn(long startedMillis, long nowMillis) {
    long elapsed = Math.max(0, nowMillis - startedMillis);
    return Math.max(0, timing.renewEvery().toMillis() - elapsed);
  }

  /**
   * Whether {@code workerId}'s lease row, read afresh, is live now (a function lock's holder:
   * {@link SharedFunctionLocks}); false when it has none.
   */
  public boolean liveNow(String workerId) {
    long now = clock.millis();
    return rows.get(LEASE + workerId)
        .map(r -> WorkerLease.decode(r.value()).liveAt(now))
        .orElse(false);
  }

  /** Ends {@link #run} after its current turn. The lease is left to expire. */
  public void stop() {
    running = false;
  }

  /**
   * The workers as this one last read them, in Prometheus text: {@code nsl_workers_live} and one
   * {@code nsl_worker_lease_seconds{worker,measurement,self}} per lease row (seconds of lease left;
   * negative once expired).
   */
  public String renderPrometheus() {
    long now = clock.millis();
    View v = view;
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP nsl_workers_live Workers whose lease had not expired at the last read.\n");
    sb.append("# TYPE nsl_workers_live gauge\n");
    sb.append("nsl_workers_live ").append(Membership.live(v.leases().values(), now).size());
    sb.append('\n');
    sb.append(
        "# HELP nsl_worker_lease_seconds Seconds left on each worker's lease (negative: expired).\n");
    sb.append("# TYPE nsl_worker_lease_seconds gauge\n");
    v.leases().values().stream()
        .sorted(java.util.Comparator.comparing(WorkerLease::workerId))
        .forEach(
            l ->
                sb.append("nsl_worker_lease_seconds{worker=\"")
                    .append(l.workerId())
                    .append("\",measurement=\"")
                    .append(l.measurement())
                    .append("\",self=\"")
                    .append(l.workerId().equals(me))
                    .append("\"} ")
                    .append((l.expiresMillis() - now) / 1000.0)
                    .append('\n'));
    return sb.toString();
  }

  /** Every lease row as last read, live or not. */
  public Collection<WorkerLease> leases() {
    return view.leases().values();
  }

  /** Workers live by the last read. */
  public List<WorkerLease> liveWorkers() {
    return Membership.live(view.leases().values(), clock.millis());
  }

  /** Requests this worker took over since it started. */
  public long takeovers() {
    return takeovers.get();
  }

  @Override
  public Decision decide(long requestId) {
    return decideAll(List.of(requestId)).get(requestId);
  }

  /**
   * Decides every request from the last view; the takeovers among them are claimed together, {@link
   * #CLAIM_BATCH} claims per store write (all or nothing; a batch that loses a race to another
   * claimant is claimed again one by one). One write per claim, each queued behind the store's
   * other writers, made a survivor's reassignment of a dead worker's hundreds of requests outlast
   * its own lease (WorkersOnChainIT's kill -9 at load ~20: 10 to 30 claims a second, and the
   * survivor's lease lapsed every 8 s while it claimed).
   */
  @Override
  public Map<Long, Decision> decideAll(Collection<Long> requestIds) {
    return decideAll(requestIds, view, false);
  }

  private Map<Long, Decision> decideAll(Collection<Long> requestIds, View v, boolean sending) {
    long now = clock.millis();
    Map<Long, Decision> out = new HashMap<>();
    Map<Long, Membership.Decision> takeovers = new java.util.LinkedHashMap<>();
    for (long id : requestIds) {
      Membership.Decision d = membershipDecision(id, v, now, sending);
      if (d == null) {
        out.put(id, new Decision(false, "", false, 0)); // not (yet, or any more) a member
        continue;
      }
      switch (d.verdict()) {
        case MINE -> out.put(id, new Decision(true, me, false, 0));
        case OTHERS -> out.put(id, new Decision(false, d.owner(), false, 0));
        case TAKE_OVER -> takeovers.put(id, d);
      }
    }
    List<Long> ids = new ArrayList<>(takeovers.keySet());
    for (int from = 0; from < ids.size(); from += CLAIM_BATCH) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CLAIM_BATCH));
      out.putAll(claim(chunk, takeovers, v, now));
    }
    return out;
  }

  /**
   * This worker's membership decision about a request, or null when this worker is not (yet, or any
   * more) a member, or, {@code sending}, too close to the end of its lease to send.
   */
  private Membership.Decision membershipDecision(
      long requestId, View v, long now, boolean sending) {
    WorkerLease self = v.leases().get(me);
    if (self == null || self.sinceMillis() != sinceMillis || !self.liveAt(now)) {
      return null;
    }
    if (sending && self.expiresMillis() - now < timing.submitMargin().toMillis()) {
      return null;
    }
    Optional<Claim> claim = Optional.ofNullable(v.claims().get(requestId));
    return membership.decide(me, requestId, v.leases(), claim, now);
  }

  /** Claims {@code ids} in one write, or one by one when that write lost a race. */
  private Map<Long, Decision> claim(
      List<Long> ids, Map<Long, Membership.Decision> decided, View v, long now) {
    Map<String, Long> expected = new java.util.LinkedHashMap<>();
    Map<String, byte[]> values = new java.util.LinkedHashMap<>();
    for (long id : ids) {
      Claim old = v.claims().get(id);
      expected.put(CLAIM + id, old == null ? 0L : old.version());
      values.put(CLAIM + id, new Claim(id, me, now, 0).encode());
    }
    Map<Long, Decision> out = new HashMap<>();
    long version = rows.swapAllIfVersions(expected, values);
    if (version == 0) {
      // Another worker claimed one of them first (its view was newer): each on its own.
      for (long id : ids) {
        out.put(id, takeOver(id, Optional.ofNullable(v.claims().get(id)), decided.get(id), now));
      }
      return out;
    }
    Map<Long, Claim> claims = new HashMap<>(view.claims());
    Map<String, Integer> from = new java.util.TreeMap<>();
    for (long id : ids) {
      claims.put(id, new Claim(id, me, now, version));
      out.put(id, tookOver(id, decided.get(id), now));
      from.merge(decided.get(id).previousOwner(), 1, Integer::sum);
    }
    view = new View(view.leases(), claims);
    log.info(
        "worker {} took {} request(s) over in one write ({} ms after deciding), from {}",
        me,
        ids.size(),
        clock.millis() - now,
        from);
    return out;
  }

  private Decision takeOver(long requestId, Optional<Claim> old, Membership.Decision d, long now) {
    Claim c = new Claim(requestId, me, now, 0);
    long version =
        rows.swapIfVersion(CLAIM + requestId, old.map(Claim::version).orElse(0L), c.encode());
    Map<Long, Claim> claims = new HashMap<>(view.claims());
    if (version == 0) {
      // Another worker claimed it first (its view was newer): it is theirs.
      Optional<Claim> held =
          rows.get(CLAIM + requestId).map(x -> Claim.decode(requestId, x.value(), x.version()));
      held.ifPresentOrElse(h -> claims.put(requestId, h), () -> claims.remove(requestId));
      view = new View(view.leases(), claims);
      return new Decision(false, held.map(Claim::workerId).orElse(""), false, 0);
    }
    claims.put(requestId, new Claim(requestId, me, now, version));
    view = new View(view.leases(), claims);
    log.info("worker {} took request {} over from {}", me, requestId, d.previousOwner());
    return tookOver(requestId, d, now);
  }

  private Decision tookOver(long requestId, Membership.Decision d, long now) {
    takeovers.incrementAndGet();
    long latency = d.previousRenewedMillis() < 0 ? 0 : now - d.previousRenewedMillis();
    return new Decision(true, me, true, latency);
  }

  @Override
  public Set<Long> stillMine(Collection<Long> requestIds) {
    View fresh = read(Set.copyOf(requestIds));
    view = fresh;
    Set<Long> out = new HashSet<>();
    decideAll(requestIds, fresh, true)
        .forEach(
            (id, d) -> {
              if (d.mine()) {
                out.add(id);
              }
            });
    return out;
  }

  /**
   * Keeps the claims: the other workers still hold the request until they read on chain that it was
   * answered (once per block), and a claim removed before that would let one of them take it over
   * again, run it and drop the answer only at its state check. {@link #heartbeat} removes this
   * worker's claims once they are {@link #CLAIM_KEEP} old. The requests' run records are removed
   * {@link EndedAnswers#KEEP} after this, by the function locks' releases.
   */
  @Override
  public void ended(Collection<Long> requestIds) {
    endedAnswers.ended(requestIds, clock.millis());
  }

  /** The requests ended here whose run records {@link SharedFunctionLocks} removes in time. */
  EndedAnswers endedAnswers() {
    return endedAnswers;
  }

  private final EndedAnswers endedAnswers = new EndedAnswers();

  /** How long a claim is kept after it was made (every worker has read the chain by then). */
  static final Duration CLAIM_KEEP = Duration.ofMinutes(10);

  /** Claim rows a heartbeat reads one by one, at most; more are read in one scan. */
  static final int READ_ONE_BY_ONE = 16;

  /** Claims written or removed in one store write, at most. */
  static final int CLAIM_BATCH = 256;

  private void forgetOldClaims(View v, long now) {
    Map<String, Long> old = new java.util.LinkedHashMap<>();
    for (Claim c : v.claims().values()) {
      // By version: a claim another worker has since taken over is theirs to remove.
      if (c.workerId().equals(me) && c.atMillis() < now - CLAIM_KEEP.toMillis()) {
        old.put(CLAIM + c.requestId(), c.version());
        if (old.size() == CLAIM_BATCH) {
          break; // the rest at the next heartbeats: a turn stays short
        }
      }
    }
    if (old.isEmpty() || rows.deleteAllIfVersions(old)) {
      Map<Long, Claim> claims = new HashMap<>(view.claims());
      old.keySet().forEach(k -> claims.remove(Long.parseLong(k.substring(CLAIM.length()))));
      view = new View(view.leases(), claims);
      return;
    }
    // One of them moved: each on its own, read afresh at the next heartbeat when it stays.
    for (Map.Entry<String, Long> e : old.entrySet()) {
      if (!rows.deleteIfVersion(e.getKey(), e.getValue())) {
        Map<Long, Claim> claims = new HashMap<>(view.claims());
        claims.remove(Long.parseLong(e.getKey().substring(CLAIM.length())));
        view = new View(view.leases(), claims);
      }
    }
  }
}
