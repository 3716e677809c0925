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

  /** What to run. */
  record Invocation(
      String functionId,
      String owner,
      long requestId,
      String code,
      java.util.Optional<String> inputSchema,
      java.util.Optional<java.util.List<String>> fetchHosts,
      byte[] input,
      long gasLimit,
      long blockIndex) {
    public Invocation {
      input = input.clone();
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
