package io.nsl.js;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one execution.
 *
 * @param status OK or the error kind
 * @param resultJson the result as UTF-8 JSON when OK; empty otherwise
 * @param gasUsed gas charged; equals the limit when {@code status == GAS_EXHAUSTED}
 * @param logs the function's log lines, capped, with every secret value read during the run
 *     replaced by {@code [REDACTED]}
 * @param errorMessage human-readable reason when not OK (scrubbed like logs); empty when OK
 */
public record ExecutionResult(
    ErrorKind status, byte[] resultJson, long gasUsed, List<String> logs, String errorMessage) {

  public ExecutionResult {
    Objects.requireNonNull(status, "status");
    resultJson = resultJson == null ? new byte[0] : resultJson.clone();
    if (gasUsed < 0) {
      throw new IllegalArgumentException("gasUsed must be >= 0, was " + gasUsed);
    }
    logs = List.copyOf(logs);
    errorMessage = errorMessage == null ? "" : errorMessage;
    if (status == ErrorKind.OK && resultJson.length == 0) {
      throw new IllegalArgumentException("an OK result needs result JSON");
    }
  }

  @Override
  public byte[] resultJson() {
    return resultJson.clone();
  }

  /** The result JSON as a string (empty when not OK). */
  public String resultJsonString() {
    return new String(resultJson, StandardCharsets.UTF_8);
  }

  public boolean ok() {
    return status == ErrorKind.OK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutionResult r
        && status == r.status
        && java.util.Arrays.equals(resultJson, r.resultJson)
        && gasUsed == r.gasUsed
        && logs.equals(r.logs)
        && errorMessage.equals(r.errorMessage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, java.util.Arrays.hashCode(resultJson), gasUsed, logs, errorMessage);
  }

  @Override
  public String toString() {
    return "ExecutionResult[status="
        + status
        + ", gasUsed="
        + gasUsed
        + ", resultBytes="
        + resultJson.length
        + ", logs="
        + logs.size()
        + ", error="
        + errorMessage
        + "]";
  }
}
