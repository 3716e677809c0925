package io.nsl.storage;

/**
 * A namespace pinned by the worker that holds its function's lock ({@link
 * PersistentStorageService#pin}): while open, this store instance may serve the namespace's reads
 * from memory, and every write to it is fenced. Closing unpins it (before the lock is released).
 *
 * <p>Threading: one run holds a pin; {@link #fenceLost} may be read from any thread.
 */
public interface StatePin extends AutoCloseable {
  /**
   * Whether a write under this pin was refused with {@link StorageFenceLostException}: the lock was
   * taken over while the run went on, so its outcome must be dropped, not answered.
   */
  boolean fenceLost();

  @Override
  void close();

  /** A pin that caches nothing and fences nothing (an engine only one process opens). */
  StatePin NONE =
      new StatePin() {
        @Override
        public boolean fenceLost() {
          return false;
        }

        @Override
        public void close() {}
      };
}
