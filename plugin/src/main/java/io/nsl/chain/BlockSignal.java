package io.nsl.chain;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiters when the node announces a new block (websocket {@code block_added}). Waiters also
 * wake after their poll interval, so a lost websocket only costs latency, never a block.
 * Thread-safe.
 */
public final class BlockSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long announcedHeight = -1;
  private long generation;

  /** Records that the node announced block {@code height}. */
  public void announce(long height) {
    lock.lock();
    try {
      announcedHeight = Math.max(announcedHeight, height);
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Highest block index announced so far, or -1. */
  public long announcedHeight() {
    lock.lock();
    try {
      return announcedHeight;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a block is announced after this call, or {@code maxWait} passes. */
  public void await(Duration maxWait) throws InterruptedException {
    lock.lock();
    try {
      long seen = generation;
      long nanos = maxWait.toNanos();
      while (generation == seen && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }
}
