package io.nsl.js.internal;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process heap watchdog. Community GraalJS has no per-context heap limit, so one daemon
 * thread polls the used heap every {@link #POLL_NANOS}; when it passes the high-water mark it
 * cancels the running execution that has allocated the most since it started (measured per guest
 * thread with {@code ThreadMXBean.getThreadAllocatedBytes}), if that is at least the victim
 * minimum. Before judging, it runs a collection and re-measures, so garbage alone never triggers
 * it. A short cool-down after a cancel lets the collector reclaim the victim before anyone else is
 * judged.
 *
 * <p>Threading: {@link #register}/{@link #unregister} are thread-safe.
 */
public final class MemoryGuard implements AutoCloseable {
  static final long POLL_NANOS = 2_000_000L;
  private static final long COOL_DOWN_NANOS = 250_000_000L;

  /** An execution the guard may cancel. */
  public interface Watched {
    /** Guest thread id. */
    long threadId();

    /** Bytes the guest thread had allocated when the execution started. */
    long allocatedAtStart();

    /** Stops the execution with MEMORY_LIMIT; must not block. */
    void cancelForMemory();
  }

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Set<Watched> running = ConcurrentHashMap.newKeySet();
  private final long highWaterBytes;
  private final long victimMinBytes;
  private final Thread thread;
  private volatile boolean closed;
  private long coolDownUntil;

  public MemoryGuard(double highWaterFraction, long victimMinBytes) {
    this.highWaterBytes = (long) (Runtime.getRuntime().maxMemory() * highWaterFraction);
    this.victimMinBytes = victimMinBytes;
    this.thread = Thread.ofPlatform().daemon().name("nsl-js-memory-guard").unstarted(this::loop);
    thread.start();
  }

  /** Bytes allocated so far by the current thread (for {@link Watched#allocatedAtStart()}). */
  public long allocatedByCurrentThread() {
    return threads.getCurrentThreadAllocatedBytes();
  }

  public void register(Watched w) {
    running.add(w);
    LockSupport.unpark(thread);
  }

  public void unregister(Watched w) {
    running.remove(w);
  }

  public long highWaterBytes() {
    return highWaterBytes;
  }

  private void loop() {
    Runtime rt = Runtime.getRuntime();
    while (!closed) {
      if (running.isEmpty()) {
        LockSupport.parkNanos(50_000_000L);
        continue;
      }
      long used = rt.totalMemory() - rt.freeMemory();
      long now = System.nanoTime();
      if (used > highWaterBytes && now - coolDownUntil > 0) {
        // Garbage also counts as used: confirm with a collection before judging anyone, so a
        // function that merely churns is never stopped. Rare (the heap is past its high-water).
        System.gc();
        used = rt.totalMemory() - rt.freeMemory();
      }
      if (used > highWaterBytes && now - coolDownUntil > 0) {
        Watched victim = null;
        long most = victimMinBytes - 1;
        for (Watched w : running) {
          long allocated = threads.getThreadAllocatedBytes(w.threadId()) - w.allocatedAtStart();
          if (allocated > most) {
            most = allocated;
            victim = w;
          }
        }
        if (victim != null) {
          running.remove(victim);
          victim.cancelForMemory();
          coolDownUntil = now + COOL_DOWN_NANOS;
        }
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
