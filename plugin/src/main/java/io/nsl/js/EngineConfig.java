package io.nsl.js;

import java.util.Objects;

/**
 * How a {@link JavaScriptEngine} is built.
 *
 * @param limits the caps every execution runs under
 * @param maxConcurrentExecutions guest threads; more concurrent callers wait
 * @param requireJit refuse to start on the Truffle interpreter (true everywhere except a test that
 *     checks the refusal itself); the interpreter is 20-30x slower and must never be silent
 * @param warmupRounds ordinary runs (plus one stack overflow) done at start and after a recycle, so
 *     a cold JIT never meets a first stack overflow (GraalJS 25 CE bug, see docs/functions.md)
 */
public record EngineConfig(
    ExecutionLimits limits, int maxConcurrentExecutions, boolean requireJit, int warmupRounds) {
  public EngineConfig {
    Objects.requireNonNull(limits, "limits");
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentExecutions must be >= 1, was " + maxConcurrentExecutions);
    }
    if (warmupRounds < 0) {
      throw new IllegalArgumentException("warmupRounds must be >= 0, was " + warmupRounds);
    }
  }

  /**
   * Production defaults: default limits, one guest thread per core, JIT required, 30 warm-up
   * rounds.
   */
  public static EngineConfig defaults() {
    return new EngineConfig(
        ExecutionLimits.defaults(), Runtime.getRuntime().availableProcessors(), true, 30);
  }

  public EngineConfig withLimits(ExecutionLimits newLimits) {
    return new EngineConfig(newLimits, maxConcurrentExecutions, requireJit, warmupRounds);
  }
}
