package io.nsl.js;

import io.nsl.js.internal.Scrubber;
import java.util.List;

/** The engine-side outcome before it becomes an {@link ExecutionResult}. */
record Outcome(
    ErrorKind kind,
    byte[] result,
    String message,
    long gasUsed,
    List<String> logs,
    boolean engineBroken) {
  static Outcome ok(byte[] result, long gasUsed) {
    return new Outcome(ErrorKind.OK, result, "", gasUsed, List.of(), false);
  }

  static Outcome error(ErrorKind kind, String message, long gasUsed, List<String> logs) {
    return new Outcome(kind, new byte[0], message, gasUsed, logs, false);
  }

  static Outcome broken(String message, long gasUsed) {
    return new Outcome(ErrorKind.INTERNAL_ERROR, new byte[0], message, gasUsed, List.of(), true);
  }

  Outcome withLogs(List<String> newLogs) {
    return new Outcome(kind, result, message, gasUsed, newLogs, engineBroken);
  }

  Outcome scrubbed(List<String> secrets) {
    if (secrets.isEmpty()) {
      return this;
    }
    return new Outcome(
        kind,
        result,
        Scrubber.scrub(message, secrets),
        gasUsed,
        logs.stream().map(l -> Scrubber.scrub(l, secrets)).toList(),
        engineBroken);
  }

  ExecutionResult toResult() {
    return new ExecutionResult(kind, result, gasUsed, logs, message);
  }
}
