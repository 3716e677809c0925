package io.nsl.enclave;

import java.time.Instant;
import java.util.Objects;

/**
 * Result of {@link Enclave#integrityCheck()}.
 *
 * @param intact true when every check passed
 * @param mode the enclave's mode
 * @param measurement hex MRENCLAVE of the running enclave (SGX), or {@code "SIMULATED"}
 * @param detail one line saying what was checked, or what failed
 * @param checkedAt when the check ran
 */
public record IntegrityReport(
    boolean intact, EnclaveMode mode, String measurement, String detail, Instant checkedAt) {
  public IntegrityReport {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }
}
