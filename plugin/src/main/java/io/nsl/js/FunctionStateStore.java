package io.nsl.js;

import java.util.List;
import java.util.Optional;

/**
 * The function's own persistent key-value state, as the sandbox sees it ({@code storage.*} in JS).
 * The pipeline adapts the real storage service to it, scoped to one function; the simulator uses
 * {@link InMemoryFunctionStateStore}.
 *
 * <p>Threading: one execution calls it from one thread at a time; the same store may be handed to
 * concurrent executions of the same function, so implementations must be thread-safe.
 *
 * <p>Failures: {@link #put} throws {@link StateQuotaExceededException} when the write would exceed
 * the function's quota (the function sees STORAGE_QUOTA_EXCEEDED). Any other runtime exception is
 * treated as the service's fault (INTERNAL_ERROR).
 */
public interface FunctionStateStore {
  /** The value stored under {@code key}, or empty. The returned array is the caller's. */
  Optional<byte[]> get(String key);

  /** Stores {@code value} (copied) under {@code key}, replacing any previous value. */
  void put(String key, byte[] value);

  /** Removes {@code key}; returns whether it existed. */
  boolean delete(String key);

  /** Keys starting with {@code prefix}, ascending, at most {@code limit}. */
  List<String> list(String prefix, int limit);
}
