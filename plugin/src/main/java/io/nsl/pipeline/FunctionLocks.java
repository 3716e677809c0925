package io.nsl.pipeline;

import io.nsl.storage.StatePin;
import java.time.Duration;
import java.util.Optional;

/**
 * One run of a function at a time across every worker sharing the store: a run reads and writes its
 * function's state without isolation, so two at once would lose an update (decision 1010). Within
 * one process the {@link RequestQueue} already runs one request per function at a time; {@link
 * #IN_PROCESS} adds nothing to that.
 *
 * <p>Contract: thread-safe; a lock is held by a worker, not a thread, until closed or until it
 * expires (a worker that dies holding one delays the function by at most the lock's lifetime).
 */
public interface FunctionLocks {
  /**
   * A held lock; closing releases it, and with a shared store commits the run's state writes with
   * the release. Close does not throw for a lost lock ({@link #lost} says so, and nothing of the
   * run was written); it throws when the run's writes could not be stored (the run must not be
   * answered).
   */
  interface Held extends AutoCloseable {
    @Override
    void close();

    /**
     * Ends the lock without committing the run's state writes that the store holds (shared store):
     * for a run that is not answered and will run again. Never throws: a release that fails is
     * logged and the lock frees itself at its lifetime's end. With an engine that wrote each write
     * at once (RocksDB, one process), those writes stay.
     */
    default void abandon() {
      close();
    }

    /**
     * Records the run's answer to {@code requestId}, to be committed with the release ({@link
     * #close}) only where no earlier run of the request committed one; where one did, the run's
     * state writes are dropped and {@link #earlierAnswer} answers that run's answer. Call before
     * {@link #close}. Without a shared store nothing is recorded.
     */
    default void recordAnswer(long requestId, byte[] answer) {}

    /**
     * After {@link #close} (or {@link #releaseOutcome}): the answer an earlier run of the same
     * request recorded with its release, when there was one (this run's state writes were then not
     * applied, and the request is to be answered with that answer); empty otherwise.
     */
    default Optional<byte[]> earlierAnswer() {
      return Optional.empty();
    }

    /**
     * Whether the lock was taken over while held, seen when a state write was refused (fenced): the
     * run's outcome is stale and must be dropped, not answered.
     */
    default boolean lost() {
      return false;
    }

    /**
     * After {@link #close} threw {@link io.nsl.storage.StorageOutcomeUnknownException} (the
     * release's connection broke and the store could not say whether it committed): reads it back
     * ({@link StatePin#readBackRelease}); the answer is final.
     *
     * @throws RuntimeException a storage failure while the store cannot tell: ask again later
     * @throws IllegalStateException when this lock's release had no unknown outcome
     */
    default StatePin.ReleaseOutcome releaseOutcome() {
      throw new IllegalStateException("this lock's release has no unknown outcome to read back");
    }
  }

  /**
   * Takes {@code functionId}'s lock, waiting up to {@code wait}; empty when another worker still
   * holds it then.
   */
  Optional<Held> acquire(String functionId, Duration wait) throws InterruptedException;

  /** One process: the queue's own serialisation is enough. */
  FunctionLocks IN_PROCESS = (functionId, wait) -> Optional.of(() -> {});
}
