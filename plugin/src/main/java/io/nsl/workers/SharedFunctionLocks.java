package io.nsl.workers;

import io.nsl.pipeline.FunctionLocks;
import io.nsl.storage.Namespace;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFenceLostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FunctionLocks} as one row per function in the shared store ({@code lock/<functionId>}),
 * taken by compare-and-set (decision 1010). A lock is free when released, past its lifetime, or
 * held by a worker whose lease has expired (a dead worker frees its functions with its lease).
 *
 * <p>While held, the function's state is pinned at the lock row as taken ({@link
 * SharedRows#pinState}): the store holds the run's state writes, and closing the lock commits them
 * together with the release, in one transaction, only while the row is still as taken. A worker
 * frozen past its lock therefore writes nothing at all after another took the function over ({@link
 * Held#lost}), not even the writes it made before, and the store may serve the run's reads from its
 * cache. The run's answer ({@link Held#recordAnswer}) commits with the release too, in {@link
 * #ANSWERS}, where no earlier run of the request left one; where one did, the run's writes are
 * dropped and {@link Held#earlierAnswer} gives that answer (decision 1010, "A run's answer recorded
 * with its release").
 *
 * <p>Costs per run on PostgreSQL: the take and the pin are one statement and the release with the
 * run's writes another (two round trips, one synchronous commit; {@link
 * SharedRows#swapLazilyAndPinState}, decision 1010 "A run in two round trips"). A take first tries
 * the row at this worker's own last release; when another worker took the lock since, that try
 * answers the row as it stands, read in the same statement ({@link
 * SharedRows#swapLazilyAndPinStateOrRead}), and the take at its version follows: three round trips
 * for a lock handed over from another worker, not four ({@link SharedRows#getToTake} only when this
 * worker has no release of the lock to try). Threading: any thread; the queue gives a worker one
 * run per function at a time, so a lock row is never contended within one process.
 */
public final class SharedFunctionLocks implements FunctionLocks {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SharedFunctionLocks.class);
  static final String LOCK = "lock/";

  /**
   * Runs' answers, each committed with its run's release where none is yet (key: the request id),
   * in a namespace of their own: a function's storage never sees them, and listings of {@code
   * service} (which open every key) do not grow with them. Removed {@link EndedAnswers#KEEP} after
   * the request ended.
   */
  public static final Namespace ANSWERS = new Namespace("answers");

  private final SharedRows rows;
  private final WorkerRegistry registry;
  private final Duration lifetime;
  private final Clock clock;
  // Per function, the lock row's version after this worker's last release: the next take tries
  // that version first, without reading the row (one round trip less when nobody else took it).
  private final Map<String, Long> released = new ConcurrentHashMap<>();

  /**
   * @param lifetime how long a lock holds without release: longer than any run (the sandbox's time
   *     limit), so that only a live but stuck holder is ever passed over
   */
  public SharedFunctionLocks(
      SharedRows rows, WorkerRegistry registry, Duration lifetime, Clock clock) {
    this.rows = rows;
    this.registry = registry;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  private record Lock(String holder, long expiresMillis) {
    byte[] encode() {
      return ("v1|" + holder + "|" + expiresMillis).getBytes(StandardCharsets.UTF_8);
    }

    static Lock decode(byte[] row) {
      String[] p = new String(row, StandardCharsets.UTF_8).split("\\|", -1);
      if (p.length != 3 || !p[0].equals("v1")) {
        throw new IllegalArgumentException(
            "unreadable function lock row '" + new String(row, StandardCharsets.UTF_8) + "'");
      }
      return new Lock(p[1], Long.parseLong(p[2]));
    }
  }

  @Override
  public Optional<Held> acquire(String functionId, Duration wait) throws InterruptedException {
    String key = LOCK + functionId;
    String me = registry.workerId();
    long deadline = clock.millis() + wait.toMillis();
    byte[] released = new Lock(me, 0).encode();
    Long last = this.released.remove(functionId);
    // The row as the failed take below found it (null: not read), read in that take's round trip.
    Optional<SharedRows.Row> found = null;
    if (last != null) {
      // At that version the row is this worker's release (expiresAt 0): free.
      byte[] mine = new Lock(me, clock.millis() + lifetime.toMillis()).encode();
      SharedRows.Attempt a =
          rows.swapLazilyAndPinStateOrRead(functionId, key, last, mine, released);
      if (a.taken().isPresent()) {
        return Optional.of(held(functionId, key, me, a.taken().get()));
      }
      found = a.found(); // another worker took it since
    }
    long pause = 1;
    while (true) {
      long now = clock.millis();
      Optional<SharedRows.Row> row = found != null ? found : rows.getToTake(key);
      found = null;
      boolean free = row.isEmpty() || isFree(Lock.decode(row.get().value()), me, now);
      if (free) {
        byte[] mine = new Lock(me, now + lifetime.toMillis()).encode();
        // Lazily durable: a take lost in a database crash is harmless, because the run's writes
        // commit with the release only while the row still holds this value (decision 1010).
        Optional<StatePin.Taken> taken =
            rows.swapLazilyAndPinState(
                functionId, key, row.map(SharedRows.Row::version).orElse(0L), mine, released);
        if (taken.isPresent()) {
          return Optional.of(held(functionId, key, me, taken.get()));
        }
      }
      if (now >= deadline) {
        return Optional.empty();
      }
      Thread.sleep(Math.min(pause, Math.max(1, deadline - now)));
      pause = Math.min(pause * 2, 20);
    }
  }

  private boolean isFree(Lock l, String me, long now) {
    if (l.expiresMillis() <= now || l.holder().equals(me)) {
      return true; // released, outlived, or left by this worker's previous run
    }
    // Read afresh: a holder that joined after this worker's last view is live, not unknown.
    return !registry.liveNow(l.holder());
  }

  private Held held(String functionId, String key, String me, StatePin.Taken taken) {
    StatePin pin = taken.pin();
    long version = taken.version();
    return new Held() {
      private StatePin.RunRecord record;

      @Override
      public void recordAnswer(long requestId, byte[] answer) {
        record = new StatePin.RunRecord(key(requestId), answer);
      }

      @Override
      public Optional<byte[]> earlierAnswer() {
        return pin.earlierRecord();
      }

      @Override
      public void close() {
        long releasedAt;
        EndedAnswers ended = registry.endedAnswers();
        java.util.List<Long> forget = ended.due(clock.millis());
        try {
          releasedAt =
              pin.release(
                  new Lock(me, 0).encode(),
                  ANSWERS,
                  record,
                  forget.stream().map(SharedFunctionLocks::key).toList());
        } catch (StorageFenceLostException e) {
          ended.putBack(forget);
          return; // another worker holds the lock; nothing of the run was written: lost() is true
        } catch (RuntimeException e) {
          ended.putBack(forget);
          throw e;
        }
        // Another failure propagates: the run's writes are not stored, so it must not be
        // answered (or, STORAGE_OUTCOME_UNKNOWN, may be: releaseOutcome reads it back). The lock
        // stays this worker's until its lifetime ends; its retry retakes it.
        if (releasedAt == 0) {
          release(functionId, key, me, version); // a pin that held nothing: writes are stored
        } else {
          released.put(functionId, releasedAt);
        }
      }

      @Override
      public boolean lost() {
        return pin.fenceLost();
      }

      @Override
      public void abandon() {
        pin.close(); // drops the run's held writes
        release(functionId, key, me, version); // the row as taken, released; logged if it fails
      }

      @Override
      public StatePin.ReleaseOutcome releaseOutcome() {
        return pin.readBackRelease(); // the row is not remembered: the next take reads it first
      }
    };
  }

  /** A request's answer's key in {@link #ANSWERS}: its id in decimal. */
  public static byte[] key(long requestId) {
    return Long.toString(requestId).getBytes(StandardCharsets.UTF_8);
  }

  private void release(String functionId, String key, String me, long version) {
    try {
      // Only the row this worker wrote: if its version moved, someone took an outlived lock.
      long at = rows.swapIfVersion(key, version, new Lock(me, 0).encode());
      if (at != 0) {
        released.put(functionId, at);
      }
    } catch (RuntimeException e) {
      // The run is done and its state written: running it again would apply it twice. The lock
      // frees itself at its lifetime's end (or with this worker's lease); logged once, here.
      log.warn(
          "could not release the lock of {} ({}); it frees itself within {} ms",
          key,
          e.toString(),
          lifetime.toMillis());
    }
  }
}
