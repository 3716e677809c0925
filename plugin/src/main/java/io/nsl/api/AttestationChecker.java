package io.nsl.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the project's DCAP verifier for {@code POST /v1/attestation/check} and tells each check in
 * plain words. Implemented where the verifier lives ({@code service}), so this package does not
 * depend on the enclave's. Thread-safe; no I/O beyond the enclave's own attestation.
 */
public interface AttestationChecker {
  /** One check: its name, PASSED, FAILED or NOT_CHECKED, and why in words. */
  record Step(String name, String outcome, String words) {}

  /**
   * The answer.
   *
   * @param simulated the attestation is SIMULATED: it proves nothing about hardware
   * @param valid every check that ran passed (a SIMULATED attestation is never valid)
   * @param facts what was read (mode, MRENCLAVE, report_data, keys, which collateral: {@code
   *     pasted}, {@code operator} or {@code none}); never secret
   */
  record Report(boolean simulated, boolean valid, List<Step> checks, Map<String, Object> facts) {
    public Report {
      checks = List.copyOf(checks);
      facts = Map.copyOf(facts);
    }
  }

  /**
   * Checks the attestation this service serves at {@code GET /v1/enclave}.
   *
   * @param collateralJson Intel's collateral for the quote as PCCS JSON ({@code tcb_info}, {@code
   *     qe_identity}, their signatures and issuer chains, the CRLs; the format {@code ./nsl
   *     attestation verify --collateral} reads); when empty, the collateral the operator configured
   *     is used, if any, else the TCB status and QE identity are not checked
   * @throws ApiFailure INVALID_VALUE for collateral that is not that JSON
   */
  Report checkService(Optional<String> collateralJson);

  /**
   * Checks a pasted SGX quote.
   *
   * @param quote the quote's bytes
   * @param expectedMrEnclaveHex an MRENCLAVE to require, if given
   * @param expectedReportDataHex a report_data to require, if given
   * @param collateralJson as for {@link #checkService}
   * @throws ApiFailure INVALID_VALUE for a malformed expected value or collateral
   */
  Report checkQuote(
      byte[] quote,
      Optional<String> expectedMrEnclaveHex,
      Optional<String> expectedReportDataHex,
      Optional<String> collateralJson);
}
