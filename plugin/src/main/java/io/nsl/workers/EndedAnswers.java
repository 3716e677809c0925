package io.nsl.workers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests that ended at this worker (confirmed, dropped, failed), whose run records ({@link
 * SharedFunctionLocks}: the answer committed with a run's release) may be removed once {@link
 * #KEEP} has passed since: the next releases of this worker delete them, {@link #BATCH} at a time,
 * in their own statement (no round trip of their own). Kept that long because a worker whose
 * release is parked (its outcome unknown) decides it by the record: while the record is there, a
 * missing one means "not committed" (decision 1010, "A run's answer recorded with its release").
 *
 * <p>Pure: time comes in as arguments. Thread-safe. At most {@link #MAX_REMEMBERED} are remembered
 * (the oldest are forgotten first: every worker ends every request, so another worker removes them;
 * else they stay, a row each).
 */
final class EndedAnswers {
  /** How long a run's record is kept after its request ended. */
  static final Duration KEEP = Duration.ofMinutes(10);

  /** Records removed with one release, at most. */
  static final int BATCH = 256;

  /** Ended requests remembered, at most. */
  static final int MAX_REMEMBERED = 1 << 16;

  private record Ended(long requestId, long atMillis) {}

  private final ConcurrentLinkedQueue<Ended> ended = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  void ended(Collection<Long> requestIds, long nowMillis) {
    for (long id : requestIds) {
      ended.add(new Ended(id, nowMillis));
      if (size.incrementAndGet() > MAX_REMEMBERED && ended.poll() != null) {
        size.decrementAndGet();
      }
    }
  }

  /** Up to {@link #BATCH} requests that ended {@link #KEEP} ago or earlier, taken out. */
  List<Long> due(long nowMillis) {
    List<Long> out = new ArrayList<>();
    long cutoff = nowMillis - KEEP.toMillis();
    while (out.size() < BATCH) {
      Ended e = ended.peek();
      if (e == null || e.atMillis() > cutoff) {
        break;
      }
      if (ended.remove(e)) {
        size.decrementAndGet();
        out.add(e.requestId());
      }
    }
    return out;
  }

  /** Requests {@link #due} gave whose records were not removed (the release failed): due again. */
  void putBack(List<Long> requestIds) {
    ended(requestIds, Long.MIN_VALUE / 2);
  }

  int size() {
    return size.get();
  }
}
