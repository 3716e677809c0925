package io.nsl.enclave.dcap;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * What NSL accepts on top of a cryptographically valid quote. Pure; thread-safe.
 *
 * @param allowDebug accept enclaves built debuggable (never in production: the host can read their
 *     memory)
 * @param expectedMrEnclaves lower-case hex MRENCLAVE values accepted; empty accepts any
 * @param acceptedTcbStatuses TCB statuses accepted when collateral was checked
 * @param requireCollateral refuse answers where TCB info / QE identity / CRLs were not checked
 * @param expectedReportData lower-case hex of the 64-byte report_data expected, or null for any
 */
public record AttestationPolicy(
    boolean allowDebug,
    Set<String> expectedMrEnclaves,
    Set<String> acceptedTcbStatuses,
    boolean requireCollateral,
    String expectedReportData) {

  /**
   * Statuses accepted by default: the platform is patched; remaining advisories are reported in
   * {@code advisoryIds} for the operator to judge. OutOfDate* and Revoked are refused.
   */
  public static final Set<String> DEFAULT_TCB_STATUSES =
      Set.of(
          "UpToDate",
          "SWHardeningNeeded",
          "ConfigurationNeeded",
          "ConfigurationAndSWHardeningNeeded");

  public AttestationPolicy {
    expectedMrEnclaves =
        expectedMrEnclaves.stream()
            .map(s -> normalise(s, 32, "MRENCLAVE"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    acceptedTcbStatuses = Set.copyOf(acceptedTcbStatuses);
    if (expectedReportData != null) {
      expectedReportData = normalise(expectedReportData, 64, "report_data");
    }
  }

  /** Refuses DEBUG, accepts any MRENCLAVE, default TCB statuses, collateral optional. */
  public static AttestationPolicy defaults() {
    return new AttestationPolicy(false, Set.of(), DEFAULT_TCB_STATUSES, false, null);
  }

  /** This policy, accepting only {@code mrEnclaveHex}. */
  public AttestationPolicy expectingMrEnclave(String mrEnclaveHex) {
    return new AttestationPolicy(
        allowDebug,
        Set.of(mrEnclaveHex),
        acceptedTcbStatuses,
        requireCollateral,
        expectedReportData);
  }

  /** Applies the policy: a refused answer keeps its facts and gains the policy's reason. */
  public QuoteVerification apply(QuoteVerification v) {
    if (!v.valid()) {
      return v;
    }
    if (v.debug() && !allowDebug) {
      return v.refuse(
          FailureReason.DEBUG_ENCLAVE,
          "the enclave is built debuggable (attributes.flags DEBUG): the host can read its memory;"
              + " build it with \"debuggable\": false in Occlum.json");
    }
    if (!expectedMrEnclaves.isEmpty() && !expectedMrEnclaves.contains(v.mrEnclave())) {
      return v.refuse(
          FailureReason.UNEXPECTED_MRENCLAVE,
          "MRENCLAVE " + v.mrEnclave() + " is not one of the expected " + expectedMrEnclaves);
    }
    if (expectedReportData != null && !expectedReportData.equals(v.reportData())) {
      return v.refuse(
          FailureReason.UNEXPECTED_REPORT_DATA,
          "report_data "
              + v.reportData()
              + " is not the expected "
              + expectedReportData
              + " (another key or another gateway)");
    }
    if (!v.collateralChecked()) {
      return requireCollateral
          ? v.refuse(
              FailureReason.COLLATERAL_REQUIRED,
              "no collateral was given: TCB status, QE identity and revocation are unchecked")
          : v;
    }
    if (!acceptedTcbStatuses.contains(v.tcbStatus())) {
      return v.refuse(
          FailureReason.TCB_STATUS_NOT_ACCEPTED,
          "TCB status "
              + v.tcbStatus()
              + " is not accepted (accepted: "
              + acceptedTcbStatuses
              + "); the platform needs a microcode/BIOS or QE update");
    }
    return v;
  }

  private static String normalise(String hex, int bytes, String what) {
    String h = hex.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
    try {
      if (HexFormat.of().parseHex(h).length != bytes) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what
              + " must be "
              + bytes
              + " bytes of hex ("
              + bytes * 2
              + " digits), got '"
              + hex
              + "'");
    }
    return h;
  }
}
