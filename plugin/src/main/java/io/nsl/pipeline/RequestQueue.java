package io.nsl.pipeline;

import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.RunId;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of every request's stage ({@link RequestStage}) and the only class that changes one:
 * the watcher records what it saw here (with the block cursor), the executor takes requests to run
 * and gives back answers, the submitter takes answers and reports what the chain did with them.
 * Every change follows {@link RequestStage}'s table and is made durable before it is visible.
 *
 * <p>Durability: a request is recorded in the same atomic write that moves the cursor past its
 * block, and removed only at an end stage, so a restart (even after kill -9) resumes exactly where
 * the service was ({@link #resume}). A stage changes in memory only after its write returned, so a
 * write that threw is made again by its caller; a write that threw but landed (its outcome unknown,
 * see {@link ServiceStore}) is harmless to repeat, except the watcher's, which moves the cursor:
 * {@link #commit} settles those by reading back.
 *
 * <p>Thread-safe: one lock over the in-memory stages; each durable change is one {@link
 * ServiceStore#apply}. Taking methods block with a timeout and never hold the lock while waiting
 * for the store.
 *
 * <p>Why one file of over 700 lines: decision 0102 makes this class the single owner of every stage
 * change, so the moves that several workers added (hold a request another worker owns, re-check it
 * after each heartbeat, drop it once answered on chain, keep only one's own answers, set a request
 * aside while another worker runs its function; {@link Assignment}) live here beside the moves they
 * interleave with, under the same lock and the same durable write. Who owns what is decided outside
 * ({@link Assignment}); only the stage bookkeeping is here.
 */
public final class RequestQueue implements EventWatcher.Cursor<GatewayRequest> {
  private static final Logger log = LoggerFactory.getLogger(RequestQueue.class);

  /** The failure kind counted for requests this build cannot answer (no request fields). */
  static final String NO_REQUEST_FIELDS = "NO_REQUEST_FIELDS";

  /**
   * How long a function whose lock another live worker holds is passed over here after the first
   * such find ({@link #setAside}); doubled at each find in a row, up to {@link
   * #BUSY_ELSEWHERE_MAX}.
   */
  public static final Duration BUSY_ELSEWHERE_FIRST = Duration.ofMillis(20);

  /** The longest a function busy on another worker is passed over before it is tried again. */
  public static final Duration BUSY_ELSEWHERE_MAX = Duration.ofMillis(200);

  static final String CURSOR = "cursor";
  static final String PREFIX = QueueCodec.PREFIX;

  private final ServiceStore store;
  private final long startBlock;
  private final Clock clock;
  private final PipelineMetrics metrics;
  private final Assignment assignment;
  private final QueueCodec codec = new QueueCodec();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition runnable = lock.newCondition();
  private final java.util.Set<String> busyFunctions = new java.util.HashSet<>();
  // Functions whose lock another live worker held at this worker's last try: passed over until
  // their retry time (see setAside). Guarded by lock; an entry ends when the function runs here.
  private final Map<String, BusyElsewhere> busyElsewhere = new HashMap<>();
  private final Condition answered = lock.newCondition();
  // All guarded by lock.
  private final Map<Long, QueuedRequest> live = new HashMap<>();
  private final FairQueue<String, Long> toRun = new FairQueue<>();
  private final ArrayDeque<Long> toSend = new ArrayDeque<>();
  private final Map<Long, Instant> answeredAt = new HashMap<>(); // metrics only
  // QUEUED requests another worker owns (id -> that worker, "" when nobody is eligible yet).
  private final Map<Long, String> held = new HashMap<>();
  // Requests of a watcher's commit not yet queued: its write failed with an unknown outcome, or a
  // decision after it did (see settle). By id, in the order seen.
  private final Map<Long, Unsettled> unsettled = new LinkedHashMap<>();
  private int running;

  /**
   * A request a commit recorded, or may have: {@code written} once its write is known to land,
   * {@code writing} while its write has not returned (another commit's settle leaves it alone:
   * finding it absent from the store then does not mean its write failed).
   */
  private record Unsettled(QueuedRequest seen, boolean written, boolean writing) {}

  /** A function passed over until {@code untilMillis}; {@code delayMillis} was the last wait. */
  private record BusyElsewhere(long untilMillis, long delayMillis) {}

  /**
   * @param startBlock the first block to read when the store has no cursor yet (e.g. the gateway's
   *     deployment block)
   */
  public RequestQueue(ServiceStore store, long startBlock, Clock clock, PipelineMetrics metrics) {
    this(store, startBlock, clock, metrics, Assignment.SOLE);
  }

  /**
   * A queue that shares the chain with other workers: only requests {@code assignment} says are
   * this worker's are run; the others are held, and run if it later says so (see {@link
   * #reassign}).
   */
  public RequestQueue(
      ServiceStore store,
      long startBlock,
      Clock clock,
      PipelineMetrics metrics,
      Assignment assignment) {
    this.store = store;
    this.startBlock = startBlock;
    this.clock = clock;
    this.metrics = metrics;
    this.assignment = assignment;
  }

  // ---- the watcher's side -------------------------------------------------------------------

  /**
   * The block to read next: the stored cursor, once the requests of an earlier commit that failed
   * are settled ({@link #settle}; its failure is the store's, and the watcher asks again).
   */
  @Override
  public long nextBlock() {
    settle();
    return storedCursor(store).orElse(startBlock);
  }

  private static Optional<Long> storedCursor(ServiceStore s) {
    return s.get(CURSOR).map(b -> ByteBuffer.wrap(b).getLong());
  }

  /**
   * Where a worker with no cursor of its own starts: at the furthest cursor among {@code peers}
   * (the queues of the live workers), with that peer's unended requests recorded as SEEN, in one
   * write. Every worker keeps every request it read until it ends, so those are all the requests
   * before that cursor still waiting for an answer; a request the peer ends meanwhile is simply
   * dropped here at its first state check, and one it records meanwhile is read again from the
   * chain and kept once. Without a peer, or with a cursor of its own, nothing changes. Call before
   * {@link #resume} and before anything reads {@link #nextBlock}.
   *
   * @return the block this queue reads next
   */
  public long startFrom(List<ServiceStore> peers) {
    Optional<Long> own = storedCursor(store);
    if (own.isPresent()) {
      return own.get();
    }
    ServiceStore from = null;
    long cursor = startBlock;
    for (ServiceStore p : peers) {
      long c = storedCursor(p).orElse(-1L);
      if (c > cursor) {
        cursor = c;
        from = p;
      }
    }
    if (from == null) {
      return startBlock;
    }
    Map<String, byte[]> puts = new LinkedHashMap<>();
    for (byte[] v : from.scan(PREFIX).values()) {
      QueuedRequest q = codec.decode(v);
      puts.put(
          QueueCodec.key(q.id()), codec.encode(QueuedRequest.seen(q.request(), q.seenAtMillis())));
    }
    puts.put(CURSOR, ByteBuffer.allocate(8).putLong(cursor).array());
    store.apply(puts, Set.of());
    return cursor;
  }

  /**
   * Records the block's requests (SEEN) with the cursor in one write, then queues them to run.
   * Requests already in the queue are left as they are (a block committed again after a write whose
   * failure was reported but which landed).
   *
   * <p>A write that throws may have landed all the same (a PostgreSQL connection broken at COMMIT
   * cannot tell): its requests are kept apart, and the next {@link #nextBlock} or commit reads them
   * back from the store and queues those it finds, so none waits behind the advanced cursor for a
   * restart, and none is queued twice.
   */
  @Override
  public void commit(long index, List<GatewayRequest> events) {
    settle();
    Map<String, byte[]> puts = new LinkedHashMap<>();
    long now = clock.millis();
    List<QueuedRequest> seen = new ArrayList<>();
    lock.lock();
    try {
      for (GatewayRequest r : events) {
        if (live.containsKey(r.requestId())) {
          continue; // queued already: never record it afresh (SEEN) over its stage
        }
        QueuedRequest q = QueuedRequest.seen(r, now);
        seen.add(q);
        puts.put(QueueCodec.key(r.requestId()), codec.encode(q));
        unsettled.put(q.id(), new Unsettled(q, false, true));
      }
    } finally {
      lock.unlock();
    }
    puts.put(CURSOR, ByteBuffer.allocate(8).putLong(index + 1).array());
    boolean landed = false;
    try {
      apply(puts, Set.of());
      landed = true;
    } finally {
      boolean written = landed;
      lock.lock();
      try {
        for (QueuedRequest q : seen) {
          unsettled.computeIfPresent(q.id(), (id, u) -> new Unsettled(u.seen(), written, false));
        }
      } finally {
        lock.unlock();
      }
    }
    settle();
  }

  /**
   * Queues the requests of earlier commits that are not yet queued: those whose write is known to
   * have landed, and those whose write failed but are found in the store (it landed; the cursor
   * moved with them). Those not found are forgotten: the write did not land, the cursor did not
   * move, and the watcher reads their block again. Idempotent; a store failure here leaves the rest
   * for the next call.
   */
  private void settle() {
    List<Unsettled> batch;
    lock.lock();
    try {
      batch = new ArrayList<>();
      for (Unsettled u : unsettled.values()) {
        if (!u.writing()) {
          batch.add(u); // one still being written is its own commit's to settle
        }
      }
      if (batch.isEmpty()) {
        return;
      }
    } finally {
      lock.unlock();
    }
    List<Long> found = new ArrayList<>();
    try {
      List<Long> inStore = new ArrayList<>();
      for (Unsettled u : batch) {
        long id = u.seen().id();
        if (u.written() || store.get(QueueCodec.key(id)).isPresent()) {
          inStore.add(id);
        }
      }
      // Decided outside the lock: it may claim durably (one write for all takeovers), and fail.
      Map<Long, Assignment.Decision> decided = assignment.decideAll(inStore);
      for (Unsettled u : batch) {
        long id = u.seen().id();
        Assignment.Decision d = decided.get(id);
        boolean stored = d != null;
        lock.lock();
        try {
          if (unsettled.remove(id) == null || !stored || live.containsKey(id)) {
            continue;
          }
          live.put(id, u.seen());
          metrics.requestSeen();
          queueToRun(u.seen(), d);
          if (!u.written()) {
            found.add(id);
          }
        } finally {
          lock.unlock();
        }
      }
    } finally {
      if (!found.isEmpty()) {
        log.warn(
            "the store reported a failed write that had landed: {} request(s) found in it and"
                + " queued now: {}",
            found.size(),
            found);
      }
    }
  }

  /**
   * Loads what a previous run left: pending requests are queued to run again, answers that came
   * back from a transaction wait for the submitter (after a state check), and requests in a sent
   * transaction are returned for the submitter to track. Call once, before the workers start.
   *
   * <p>A pending or answered request recorded by a build from before the gateway kept commitments
   * has no request fields, so no answer to it can be signed: it ends FAILED here, once, instead of
   * being retried forever (see {@link #failWithoutFields}). One in SENT is still tracked: its
   * transaction needs no fields and may be included.
   *
   * @return the requests in SENT, grouped by nothing: the submitter tracks their transactions
   */
  public List<QueuedRequest> resume() {
    List<QueuedRequest> sent = new ArrayList<>();
    List<Long> withoutFields = new ArrayList<>();
    lock.lock();
    try {
      for (byte[] v : store.scan(PREFIX).values()) {
        QueuedRequest q = codec.decode(v);
        live.put(q.id(), q);
        if (q.stage() != RequestStage.SENT && !hasFields(q)) {
          withoutFields.add(q.id());
          continue;
        }
        switch (q.stage()) {
          case SEEN -> queueToRun(q, assignment.decide(q.id()));
          case EXECUTED -> {
            answeredAt.put(q.id(), clock.instant());
            toSend.add(q.id());
          }
          case SENT -> sent.add(q);
          default -> throw new IllegalStateException("stored stage " + q.stage());
        }
      }
      answered.signalAll();
    } finally {
      lock.unlock();
    }
    failWithoutFields(withoutFields);
    return sent;
  }

  // ---- the executor's side ------------------------------------------------------------------

  /**
   * Takes the next request to run (QUEUED → RUNNING), round-robin across function owners so one
   * owner's flood does not starve the others; waits up to {@code wait} for one.
   */
  public Optional<QueuedRequest> takeToRun(Duration wait) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      Optional<Long> id;
      while (true) {
        long now = clock.millis();
        id = toRun.poll(r -> functionIsFree(r, now));
        if (id.isPresent()) {
          break;
        }
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
          return Optional.empty();
        }
        // Woken when a function frees here (signal) or a function set aside may be tried again.
        runnable.awaitNanos(Math.min(nanos, nanosUntilRetry(now)));
      }
      QueuedRequest taken = move(id.get(), RequestStage.RUNNING);
      running++;
      busyFunctions.add(taken.request().functionId());
      return Optional.of(taken);
    } finally {
      lock.unlock();
    }
  }

  /** RUNNING → EXECUTED: the signed answer waits for the submitter (in memory, see the stages). */
  public void executed(long id, SignedFulfilment answer) {
    lock.lock();
    try {
      QueuedRequest q = require(id, RequestStage.EXECUTED);
      live.put(id, q.executed(answer));
      answeredAt.put(id, clock.instant());
      running--;
      functionFreed(q);
      busyElsewhere.remove(q.request().functionId()); // it ran here: its lock came free
      toSend.add(id);
      answered.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * RUNNING → QUEUED: a failure of ours (not the function's); it runs again, before the later
   * requests of its function.
   */
  public void retry(long id) {
    lock.lock();
    try {
      QueuedRequest q = backFirst(id);
      functionFreed(q);
      busyElsewhere.remove(q.request().functionId());
    } finally {
      lock.unlock();
    }
  }

  /**
   * RUNNING → QUEUED: another live worker runs this request's function now (its lock was held). The
   * request goes back before its function's later requests, and no request of the function is
   * handed out here before a retry time ({@link #BUSY_ELSEWHERE_FIRST} after the first find,
   * doubled at each find in a row up to {@link #BUSY_ELSEWHERE_MAX}), so the executor thread takes
   * another function's request instead of waiting. The wait starts over once the function runs
   * here.
   *
   * @return the wait before the function is tried again
   */
  public Duration setAside(long id) {
    lock.lock();
    try {
      QueuedRequest q = backFirst(id);
      String fn = q.request().functionId();
      BusyElsewhere before = busyElsewhere.get(fn);
      long delay =
          before == null
              ? BUSY_ELSEWHERE_FIRST.toMillis()
              : Math.min(before.delayMillis() * 2, BUSY_ELSEWHERE_MAX.toMillis());
      busyElsewhere.put(fn, new BusyElsewhere(clock.millis() + delay, delay));
      functionFreed(q);
      return Duration.ofMillis(delay);
    } finally {
      lock.unlock();
    }
  }

  /** RUNNING → QUEUED, before its function's later requests (retry, set-aside); lock held. */
  private QueuedRequest backFirst(long id) {
    QueuedRequest was = live.get(id);
    if (was != null && was.stage() != RequestStage.RUNNING) {
      // EXECUTED → QUEUED is a move too (keepOwn), but never a retry's or a set-aside's.
      throw new RequestStage.IllegalTransition(id, was.stage(), RequestStage.QUEUED);
    }
    QueuedRequest q = move(id, RequestStage.QUEUED);
    running--;
    toRun.addFirst(fairnessKey(q.request()), id);
    return q;
  }

  /** True when no request is queued or running: a burst has been fully executed. */
  public boolean executorIdle() {
    lock.lock();
    try {
      return toRun.size() == 0 && running == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting for a worker. */
  public int backlog() {
    lock.lock();
    try {
      return toRun.size();
    } finally {
      lock.unlock();
    }
  }

  // ---- the submitter's side -----------------------------------------------------------------

  /**
   * Takes up to {@code max} EXECUTED answers, waiting up to {@code wait} for the first. They stay
   * EXECUTED until {@link #sent}; hand back what was not sent with {@link #giveBack}.
   */
  public List<QueuedRequest> takeAnswers(int max, Duration wait) throws InterruptedException {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (toSend.isEmpty()) {
        if (nanos <= 0) {
          return List.of();
        }
        nanos = answered.awaitNanos(nanos);
      }
      List<QueuedRequest> out = new ArrayList<>();
      while (out.size() < max && !toSend.isEmpty()) {
        out.add(live.get(toSend.poll()));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Hands back answers taken but not sent (the node was away): they are taken again later. */
  public void giveBack(List<QueuedRequest> answers) {
    lock.lock();
    try {
      for (QueuedRequest q : answers) {
        if (live.get(q.id()) == null || live.get(q.id()).stage() != RequestStage.EXECUTED) {
          throw new IllegalStateException("request " + q.id() + " was not taken as EXECUTED");
        }
        toSend.add(q.id());
      }
      answered.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands back those of {@code answers} that are still unsent answers and not already waiting to be
   * taken: after a failure part-way through a batch (e.g. the store refused to record its
   * transaction), whatever the submitter had not yet handed on. Idempotent.
   */
  public void reclaim(List<QueuedRequest> answers) {
    lock.lock();
    try {
      Set<Long> waiting = new HashSet<>(toSend);
      for (QueuedRequest q : answers) {
        QueuedRequest now = live.get(q.id());
        if (now != null && now.stage() == RequestStage.EXECUTED && waiting.add(q.id())) {
          toSend.add(q.id());
        }
      }
      answered.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * EXECUTED → SENT, durably, before the transaction leaves: after a crash the service waits for
   * this transaction instead of paying for a twin.
   */
  public List<QueuedRequest> sent(List<QueuedRequest> answers, String txHash, long validUntil) {
    List<QueuedRequest> out = new ArrayList<>();
    lock.lock();
    try {
      for (QueuedRequest q : answers) {
        require(q.id(), RequestStage.SENT);
        out.add(live.get(q.id()).sent(txHash, validUntil));
      }
    } finally {
      lock.unlock();
    }
    apply(encodeAll(out), Set.of());
    lock.lock();
    try {
      for (QueuedRequest q : out) {
        live.put(q.id(), q);
        answeredAt.remove(q.id());
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  /**
   * SENT → EXECUTED, durably: the transaction expired, faulted or was refused. The answers are
   * taken again after the gateway confirms their requests are still pending.
   */
  public void unsent(Collection<Long> ids) {
    List<QueuedRequest> out = new ArrayList<>();
    List<Long> withoutFields = new ArrayList<>();
    lock.lock();
    try {
      for (long id : ids) {
        QueuedRequest q = require(id, RequestStage.EXECUTED);
        if (hasFields(q)) {
          out.add(q.unsent());
        } else {
          withoutFields.add(id);
        }
      }
    } finally {
      lock.unlock();
    }
    failWithoutFields(withoutFields);
    apply(encodeAll(out), Set.of());
    lock.lock();
    try {
      for (QueuedRequest q : out) {
        live.put(q.id(), q);
        toSend.add(q.id());
      }
      answered.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** SENT → CONFIRMED: the gateway accepted the answers. They leave the queue. */
  public void confirmed(Collection<Long> ids) {
    end(ids, RequestStage.CONFIRMED);
  }

  /** EXECUTED or SENT → DROPPED: the requests are no longer pending on chain. */
  public void dropped(Collection<Long> ids) {
    end(ids, RequestStage.DROPPED);
  }

  /** EXECUTED or SENT → FAILED: the gateway refuses these answers themselves. */
  public void failed(Collection<Long> ids) {
    end(ids, RequestStage.FAILED);
  }

  private void end(Collection<Long> ids, RequestStage stage) {
    if (ids.isEmpty()) {
      return;
    }
    Set<String> deletes = new HashSet<>();
    Map<Long, QueuedRequest> checked = new HashMap<>();
    lock.lock();
    try {
      for (long id : ids) {
        checked.put(id, require(id, stage));
        deletes.add(QueueCodec.key(id));
      }
    } finally {
      lock.unlock();
    }
    apply(Map.of(), deletes);
    lock.lock();
    try {
      for (long id : ids) {
        if (live.get(id) != checked.get(id)) {
          // Moved on while its end was written (another loop's change): it goes on from there,
          // and ends again later; removing it now would strand it half-ended.
          log.warn(
              "request {} moved on while it was ending as {}; it goes on from there", id, stage);
          continue;
        }
        QueuedRequest gone = live.remove(id);
        answeredAt.remove(id);
        held.remove(id);
        if (stage == RequestStage.DROPPED && gone != null && gone.stage() == RequestStage.SENT) {
          metrics.duplicateSubmission();
        }
      }
    } finally {
      lock.unlock();
    }
    assignment.ended(ids);
  }

  /** One durable write, timed for {@code nsl_store_write_seconds}. */
  private void apply(Map<String, byte[]> puts, Set<String> deletes) {
    Instant t0 = clock.instant();
    store.apply(puts, deletes);
    metrics.storeWrite(Math.max(0, Duration.between(t0, clock.instant()).toNanos()) / 1e9);
  }

  // ---- several workers ----------------------------------------------------------------------

  /**
   * Asks {@link Assignment} again about every held request (after the workers' view changed: one
   * joined, left, or let its lease expire): those now this worker's are queued to run, a takeover
   * counted with its latency.
   *
   * @return how many were queued to run
   */
  public int reassign() {
    List<Long> ids;
    lock.lock();
    try {
      ids = new ArrayList<>(held.keySet());
    } finally {
      lock.unlock();
    }
    // May claim durably (one write for all takeovers): outside the lock.
    Map<Long, Assignment.Decision> decided = assignment.decideAll(ids);
    long now = clock.millis();
    int queued = 0;
    lock.lock();
    try {
      for (Map.Entry<Long, Assignment.Decision> e : decided.entrySet()) {
        Assignment.Decision d = e.getValue();
        QueuedRequest q = live.get(e.getKey());
        if (q == null || !held.containsKey(e.getKey()) || q.stage() != RequestStage.QUEUED) {
          continue; // ended meanwhile
        }
        if (d.mine()) {
          held.remove(q.id());
          toRun.add(fairnessKey(q.request()), q.id());
          queued++;
          if (d.takenOver()) {
            metrics.takeover(takeoverMillis(d, q, now) / 1000.0);
          }
        } else {
          held.put(q.id(), d.owner());
        }
      }
      if (queued > 0) {
        runnable.signalAll();
      }
    } finally {
      lock.unlock();
    }
    return queued;
  }

  /** The requests held for other workers (to ask the chain whether they were answered). */
  public List<Long> heldIds() {
    lock.lock();
    try {
      return new ArrayList<>(held.keySet());
    } finally {
      lock.unlock();
    }
  }

  /**
   * QUEUED → DROPPED for held requests that are no longer pending on chain (their owner answered
   * them, or they were cancelled). Ids not held (any more) are ignored.
   */
  public void droppedHeld(Collection<Long> ids) {
    // Taken out of the held set before the write, so that a takeover (reassign) meanwhile cannot
    // queue to run what the write is about to remove; put back if the write fails.
    Map<Long, String> drop = new LinkedHashMap<>();
    lock.lock();
    try {
      for (long id : ids) {
        QueuedRequest q = live.get(id);
        String owner = held.get(id);
        if (owner != null && q != null && q.stage() == RequestStage.QUEUED) {
          held.remove(id);
          drop.put(id, owner);
        }
      }
    } finally {
      lock.unlock();
    }
    try {
      end(drop.keySet(), RequestStage.DROPPED);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        drop.forEach(
            (id, owner) -> {
              if (live.containsKey(id)) {
                held.putIfAbsent(id, owner);
              }
            });
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /**
   * Of answers taken to send, keeps those still this worker's ({@link Assignment#stillMine}, read
   * afresh) and holds the others again (EXECUTED → QUEUED, the answer thrown away, counted in
   * {@code nsl_stale_answers_total}): a worker frozen or cut off past its lease must not send what
   * another now owns.
   */
  public List<QueuedRequest> keepOwn(List<QueuedRequest> answers) {
    if (answers.isEmpty()) {
      return answers;
    }
    Set<Long> mine = assignment.stillMine(answers.stream().map(QueuedRequest::id).toList());
    if (mine.size() == answers.size()) {
      return answers;
    }
    List<QueuedRequest> kept = new ArrayList<>();
    lock.lock();
    try {
      for (QueuedRequest q : answers) {
        if (mine.contains(q.id())) {
          kept.add(q);
          continue;
        }
        move(q.id(), RequestStage.QUEUED);
        answeredAt.remove(q.id());
        held.put(q.id(), "");
        metrics.staleAnswer();
        log.warn(
            "request {} is no longer this worker's (its lease lapsed or another took it over);"
                + " its answer is not sent",
            q.id());
      }
    } finally {
      lock.unlock();
    }
    return kept;
  }

  /** Requests held for other workers. */
  public int heldCount() {
    lock.lock();
    try {
      return held.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many requests are in each stage that is not an end, every such stage named (zero included),
   * with the QUEUED ones another worker owns counted apart as {@code HELD}: the operator view's
   * queue depth per stage. The counts add up to {@link #size()}.
   */
  public Map<String, Long> countByStage() {
    lock.lock();
    try {
      Map<String, Long> out = new LinkedHashMap<>();
      for (RequestStage st : RequestStage.values()) {
        if (!st.isEnd()) {
          out.put(st.name(), 0L);
        }
      }
      out.put("HELD", 0L);
      for (QueuedRequest q : live.values()) {
        String name =
            q.stage() == RequestStage.QUEUED && held.containsKey(q.id())
                ? "HELD"
                : q.stage().name();
        out.merge(name, 1L, Long::sum);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Requests running, answered or sent here. */
  public int inFlight() {
    lock.lock();
    try {
      int n = 0;
      for (QueuedRequest q : live.values()) {
        RequestStage st = q.stage();
        if (st == RequestStage.RUNNING || st == RequestStage.EXECUTED || st == RequestStage.SENT) {
          n++;
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends (FAILED) requests queued by a build from before the gateway kept commitments (decision
   * 0601): their records have no request fields, which every answer must carry, so the executor
   * could not sign one and the submitter could not send one; retrying would never end. Logged once
   * for all of them, with what the operator should have done, and counted as failures of kind
   * {@value #NO_REQUEST_FIELDS}. Their requesters get their GAS back by cancelling after expiry.
   */
  private void failWithoutFields(List<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    log.error(
        "{} request(s) queued by an older build have no request fields and cannot be answered;"
            + " they are marked FAILED and their requesters can cancel after expiry: {}."
            + " Drain the queue before upgrading (docs/pipeline.md, contracts/README.md"
            + " \"Updating a deployed gateway\")",
        ids.size(),
        ids);
    ids.forEach(id -> metrics.requestFailed(NO_REQUEST_FIELDS));
    end(ids, RequestStage.FAILED);
  }

  private static boolean hasFields(QueuedRequest q) {
    return q.request().fields().length > 0;
  }

  /** When the answer of {@code id} was first ready to send in this run (for the metrics). */
  public Optional<Instant> answeredAt(long id) {
    lock.lock();
    try {
      return Optional.ofNullable(answeredAt.get(id));
    } finally {
      lock.unlock();
    }
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The request's current record, while it is in the queue. */
  public Optional<QueuedRequest> get(long id) {
    lock.lock();
    try {
      return Optional.ofNullable(live.get(id));
    } finally {
      lock.unlock();
    }
  }

  /** Requests not yet at an end stage. */
  public int size() {
    lock.lock();
    try {
      return live.size();
    } finally {
      lock.unlock();
    }
  }

  /** Every request as stored (the durable view, what a restart would resume). */
  public List<QueuedRequest> stored() {
    List<QueuedRequest> out = new ArrayList<>();
    for (byte[] v : store.scan(PREFIX).values()) {
      out.add(codec.decode(v));
    }
    return out;
  }

  // ---- the table ----------------------------------------------------------------------------

  /** The live record of {@code id}, checked to be allowed to move to {@code next}. Under lock. */
  private QueuedRequest require(long id, RequestStage next) {
    QueuedRequest q = live.get(id);
    if (q == null) {
      throw new IllegalStateException("request " + id + " is not in the queue");
    }
    if (!q.stage().canMoveTo(next)) {
      throw new RequestStage.IllegalTransition(id, q.stage(), next);
    }
    return q;
  }

  /** Moves a request whose record needs no other change. Under lock. */
  private QueuedRequest move(long id, RequestStage next) {
    QueuedRequest moved = require(id, next).at(next);
    live.put(id, moved);
    return moved;
  }

  /**
   * Whether request {@code id}'s function has no run in progress. One run per function at a time: a
   * function's state is read and written by its run without isolation, so two runs of it at once
   * would lose updates (a counter bumped by two runs going up by one). Nor while it is set aside
   * for another worker's run ({@link #setAside}) and its retry time has not come. Under lock.
   */
  private boolean functionIsFree(Long id, long nowMillis) {
    QueuedRequest q = live.get(id);
    if (q == null) {
      return true;
    }
    String fn = q.request().functionId();
    BusyElsewhere b = busyElsewhere.get(fn);
    return !busyFunctions.contains(fn) && (b == null || b.untilMillis() <= nowMillis);
  }

  /**
   * Until the first function set aside may be tried again, in ns (a long wait: none). Under lock.
   */
  private long nanosUntilRetry(long nowMillis) {
    long soonest = Long.MAX_VALUE;
    for (BusyElsewhere b : busyElsewhere.values()) {
      if (b.untilMillis() > nowMillis) {
        soonest = Math.min(soonest, b.untilMillis() - nowMillis);
      }
    }
    return soonest == Long.MAX_VALUE ? Long.MAX_VALUE : soonest * 1_000_000L;
  }

  /** A run of {@code q}'s function ended: its next request may run. Under lock. */
  private void functionFreed(QueuedRequest q) {
    busyFunctions.remove(q.request().functionId());
    runnable.signalAll();
  }

  /** SEEN → QUEUED: to run when it is this worker's, held otherwise. Under lock. */
  private void queueToRun(QueuedRequest seen, Assignment.Decision decision) {
    move(seen.id(), RequestStage.QUEUED);
    if (!decision.mine()) {
      held.put(seen.id(), decision.owner());
      return;
    }
    if (decision.takenOver()) {
      metrics.takeover(takeoverMillis(decision, seen, clock.millis()) / 1000.0);
    }
    toRun.add(fairnessKey(seen.request()), seen.id());
    runnable.signal();
  }

  /**
   * How long a request taken over waited for it: since its previous owner last renewed its lease,
   * or since this worker recorded it when that was later (a request that arrived after its owner
   * died waited only from then; counting from the renewal charged it the time before it existed).
   */
  private static long takeoverMillis(Assignment.Decision d, QueuedRequest q, long nowMillis) {
    return Math.max(0, Math.min(d.takeoverMillis(), nowMillis - q.seenAtMillis()));
  }

  /**
   * Runs of subscriptions (docs/triggers.md) queue apart from requests: a busy schedule takes one
   * turn in the round-robin, never the turns of the requests.
   */
  private static String fairnessKey(GatewayRequest r) {
    String key = r.functionOwner().orElse("function:" + r.functionId());
    return RunId.isRun(r.requestId()) ? "runs:" + key : key;
  }

  private Map<String, byte[]> encodeAll(List<QueuedRequest> records) {
    Map<String, byte[]> puts = new LinkedHashMap<>();
    for (QueuedRequest q : records) {
      puts.put(QueueCodec.key(q.id()), codec.encode(q));
    }
    return puts;
  }
}
