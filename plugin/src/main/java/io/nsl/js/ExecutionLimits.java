package io.nsl.js;

import java.time.Duration;
import java.util.Objects;

/**
 * The caps that bound what gas can't (built-ins run many instructions per statement). Every field
 * is documented in docs/functions.md; {@link #defaults()} is what production and the simulator use.
 *
 * @param maxGasLimit largest gas limit a request may ask for
 * @param timeout wall-clock deadline per execution (from context creation to result)
 * @param maxInputBytes cap on the input JSON
 * @param maxInputDepth cap on the input's nesting depth (arrays + objects)
 * @param maxResultBytes cap on the serialised result
 * @param maxLogLines log lines kept per execution (later ones are dropped and counted)
 * @param maxLogLineChars a longer line is truncated
 * @param maxStateValueBytes cap on one storage value
 * @param guestStackBytes stack size of the threads that run guest code
 * @param maxCallDepth calls of the function's own code nest at most this deep; deeper, the run
 *     stops with RUNTIME_ERROR (not catchable, so the gas of deep recursion is the same everywhere)
 * @param heapHighWaterFraction when used heap passes this fraction of the max heap, the execution
 *     that allocated most (and at least {@code memoryVictimMinBytes}) is stopped with MEMORY_LIMIT
 * @param memoryVictimMinBytes an execution that allocated less than this is never the victim
 * @param defaultMemoryBytes the counted-memory budget of a function that sets none (decision 0710)
 * @param maxMemoryBytes the largest counted-memory budget a function may set (the operator's limit)
 */
public record ExecutionLimits(
    long maxGasLimit,
    Duration timeout,
    int maxInputBytes,
    int maxInputDepth,
    int maxResultBytes,
    int maxLogLines,
    int maxLogLineChars,
    int maxStateValueBytes,
    long guestStackBytes,
    int maxCallDepth,
    double heapHighWaterFraction,
    long memoryVictimMinBytes,
    long defaultMemoryBytes,
    long maxMemoryBytes) {

  public ExecutionLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (maxGasLimit <= 0 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("maxGasLimit and timeout must be positive");
    }
    if (maxInputBytes <= 0
        || maxInputDepth <= 0
        || maxResultBytes <= 0
        || maxLogLines < 0
        || maxLogLineChars <= 0
        || maxStateValueBytes <= 0) {
      throw new IllegalArgumentException("size caps must be positive");
    }
    if (guestStackBytes < 1024 * 1024) {
      throw new IllegalArgumentException(
          "guestStackBytes must be >= 1 MiB, was " + guestStackBytes);
    }
    if (maxCallDepth < 1) {
      throw new IllegalArgumentException("maxCallDepth must be >= 1, was " + maxCallDepth);
    }
    if (!(heapHighWaterFraction > 0.1 && heapHighWaterFraction < 0.95)) {
      throw new IllegalArgumentException(
          "heapHighWaterFraction must be in (0.1, 0.95), was " + heapHighWaterFraction);
    }
    if (defaultMemoryBytes <= 0 || defaultMemoryBytes > maxMemoryBytes) {
      throw new IllegalArgumentException(
          "defaultMemoryBytes must be in 1.."
              + maxMemoryBytes
              + " (maxMemoryBytes), was "
              + defaultMemoryBytes);
    }
  }

  /**
   * How deep the built-ins that recurse in Java may nest: {@code JSON.parse} text, {@code
   * JSON.stringify} values, {@code Array.prototype.flat}. Deeper stops the run (RUNTIME_ERROR, the
   * whole gas limit), counted by the prelude, so it happens at the same point on every node instead
   * of where the JVM's stack runs out (docs/functions.md, "Deterministic answers").
   */
  public static final int MAX_BUILTIN_NESTING = 1_000;

  /** Default counted-memory budget per execution, and the default operator limit: 128 MiB. */
  public static final long DEFAULT_MEMORY_BYTES = 128L * 1024 * 1024;

  /** Default call-depth limit (docs/functions.md, "Limits"). */
  public static final int MAX_CALL_DEPTH = 3_000;

  /** The published defaults (docs/functions.md, "Limits"). */
  public static ExecutionLimits defaults() {
    return new ExecutionLimits(
        100_000_000L,
        Duration.ofSeconds(10),
        64 * 1024,
        32,
        // The gateway's MaxResultSize: a larger result could never be put on chain, so the
        // simulator refuses it too (RESULT_TOO_LARGE), exactly as production does.
        4 * 1024,
        200,
        2_000,
        16 * 1024,
        16L * 1024 * 1024,
        // Below what a 16 MiB guest stack holds on a cold engine for ordinary functions (4,200
        // levels for recursion through Array.prototype.map, 6,600 through try/catch, 8,000 plain,
        // measured here), so the count, not the stack, is what stops recursion, whatever the JIT
        // has compiled yet. Python stops at 1,000 and NeoVM at 1,024.
        MAX_CALL_DEPTH,
        0.75,
        32L * 1024 * 1024,
        DEFAULT_MEMORY_BYTES,
        DEFAULT_MEMORY_BYTES);
  }

  /** A copy with another timeout. */
  public ExecutionLimits withTimeout(Duration newTimeout) {
    return new ExecutionLimits(
        maxGasLimit,
        newTimeout,
        maxInputBytes,
        maxInputDepth,
        maxResultBytes,
        maxLogLines,
        maxLogLineChars,
        maxStateValueBytes,
        guestStackBytes,
        maxCallDepth,
        heapHighWaterFraction,
        memoryVictimMinBytes,
        defaultMemoryBytes,
        maxMemoryBytes);
  }

  /** A copy with another heap high-water fraction. */
  public ExecutionLimits withHeapHighWaterFraction(double fraction) {
    return new ExecutionLimits(
        maxGasLimit,
        timeout,
        maxInputBytes,
        maxInputDepth,
        maxResultBytes,
        maxLogLines,
        maxLogLineChars,
        maxStateValueBytes,
        guestStackBytes,
        maxCallDepth,
        fraction,
        memoryVictimMinBytes,
        defaultMemoryBytes,
        maxMemoryBytes);
  }

  /** A copy with another call-depth limit. */
  public ExecutionLimits withMaxCallDepth(int depth) {
    return new ExecutionLimits(
        maxGasLimit,
        timeout,
        maxInputBytes,
        maxInputDepth,
        maxResultBytes,
        maxLogLines,
        maxLogLineChars,
        maxStateValueBytes,
        guestStackBytes,
        depth,
        heapHighWaterFraction,
        memoryVictimMinBytes,
        defaultMemoryBytes,
        maxMemoryBytes);
  }

  /** A copy with another default and maximum counted-memory budget (the operator's setting). */
  public ExecutionLimits withMemoryBytes(long newDefaultBytes, long newMaxBytes) {
    return new ExecutionLimits(
        maxGasLimit,
        timeout,
        maxInputBytes,
        maxInputDepth,
        maxResultBytes,
        maxLogLines,
        maxLogLineChars,
        maxStateValueBytes,
        guestStackBytes,
        maxCallDepth,
        heapHighWaterFraction,
        memoryVictimMinBytes,
        newDefaultBytes,
        newMaxBytes);
  }
}
