package io.nsl.pipeline;

import java.util.List;

/**
 * Runs one function invocation in the sandbox. The composition root adapts the JavaScript engine,
 * the owner's secrets and the function's state store to it. Must never throw for a failure of the
 * function itself: every such failure is an {@link Outcome} with an error status. Thread-safe: the
 * executor calls it from several threads.
 */
public interface FunctionRunner {
  Outcome run(Invocation invocation);

  /**
   * What to run.
   *
   * @param memoryLimitBytes the function's counted-memory budget (decision 0710); 0 for the
   *     operator's default
   */
  record Invocation(
      String functionId,
      String owner,
      long requestId,
      String code,
      java.util.Optional<String> inputSchema,
      java.util.Optional<java.util.List<String>> fetchHosts,
      byte[] input,
      long gasLimit,
      long blockIndex,
      long memoryLimitBytes) {
    public Invocation {
      input = input.clone();
      if (memoryLimitBytes < 0) {
        throw new IllegalArgumentException(
            "memoryLimitBytes must be >= 0 (0 = the default), was " + memoryLimitBytes);
      }
    }

    /** An invocation of a function that declared no memory budget. */
    public Invocation(
        String functionId,
        String owner,
        long requestId,
        String code,
        java.util.Optional<String> inputSchema,
        java.util.Optional<java.util.List<String>> fetchHosts,
        byte[] input,
        long gasLimit,
        long blockIndex) {
      this(
          functionId,
          owner,
          requestId,
          code,
          inputSchema,
          fetchHosts,
          input,
          gasLimit,
          blockIndex,
          0);
    }

    @Override
    public byte[] input() {
      return input.clone();
    }
  }

  /**
   * What came of it.
   *
   * @param status 0 for success, else the error kind's code (docs/functions.md)
   * @param kind "OK" or the error kind's name
   * @param result the JSON result (UTF-8) on success; empty on error
   * @param gasUsed JS gas units charged
   * @param logs captured log lines, secrets already scrubbed
   * @param errorMessage a message safe to publish (no secret values), empty on success
   */
  record Outcome(
      int status,
      String kind,
      byte[] result,
      long gasUsed,
      List<String> logs,
      String errorMessage) {
    public Outcome {
      result = result.clone();
      logs = List.copyOf(logs);
    }

    @Override
    public byte[] result() {
      return result.clone();
    }
  }
}
