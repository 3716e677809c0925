package io.nsl.js;

import io.nsl.js.internal.MemoryGuard;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * Limits that stop a run from outside: a running execution the deadline timer and the memory guard
 * may cancel. The first of finish and cancel wins; cancelling closes the context from a virtual
 * thread, never blocking the watchdog. Thread-safe.
 */
/** A running execution the deadline timer and the memory guard may cancel. */
final class CancellableRun implements MemoryGuard.Watched {
  private final Context ctx;
  private final long threadId;
  private final long allocatedAtStart;

  /** null while running; OK once finished normally; TIMEOUT / MEMORY_LIMIT once cancelled. */
  private final AtomicReference<ErrorKind> state = new AtomicReference<>();

  CancellableRun(Context ctx, long threadId, long allocatedAtStart) {
    this.ctx = ctx;
    this.threadId = threadId;
    this.allocatedAtStart = allocatedAtStart;
  }

  void cancel(ErrorKind why) {
    if (state.compareAndSet(null, why)) {
      // close(true) waits for the guest thread to leave; never block the watchdog on it.
      Thread.ofVirtual().start(() -> closeQuietly(ctx));
    }
  }

  /** Marks the run finished; returns the cancel reason if a cancel won the race, else null. */
  ErrorKind finish() {
    if (state.compareAndSet(null, ErrorKind.OK)) {
      return null;
    }
    ErrorKind s = state.get();
    return s == ErrorKind.OK ? null : s;
  }

  ErrorKind cancelReason() {
    return state.get();
  }

  @Override
  public long threadId() {
    return threadId;
  }

  @Override
  public long allocatedAtStart() {
    return allocatedAtStart;
  }

  @Override
  public void cancelForMemory() {
    cancel(ErrorKind.MEMORY_LIMIT);
  }

  static void closeQuietly(Context ctx) {
    try {
      ctx.close(true);
    } catch (PolyglotException | IllegalStateException e) {
      // Expected: closing a context that was cancelled or ran out of gas reports that again.
    }
  }
}
