package io.nsl.enclave;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of the counters {@link Enclave#recordExecution} and {@link Enclave#recordFailure} keep
 * (the original design's execution metrics). Counters start at zero with each process.
 *
 * @param executions successful executions recorded
 * @param failures failures recorded
 * @param gasUsedTotal sum of gas units of successful executions
 * @param executionTimeTotal sum of wall-clock execution times of successful executions
 * @param lastFailureCode the code of the latest failure, or empty
 * @param startedAt when this enclave instance was opened
 */
public record EnclaveMetrics(
    long executions,
    long failures,
    long gasUsedTotal,
    Duration executionTimeTotal,
    String lastFailureCode,
    Instant startedAt) {
  public EnclaveMetrics {
    Objects.requireNonNull(executionTimeTotal, "executionTimeTotal");
    Objects.requireNonNull(lastFailureCode, "lastFailureCode");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
