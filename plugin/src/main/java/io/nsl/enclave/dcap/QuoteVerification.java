package io.nsl.enclave.dcap;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link DcapQuoteVerifier} (and, after it, {@link AttestationPolicy}).
 *
 * <p>When {@code valid} is false, {@code reason} names the first check that failed and {@code
 * detail} says what was wrong in words. The enclave fields are filled whenever the quote could be
 * parsed, even when a later check failed, so a caller can see what was claimed; they are null
 * otherwise.
 *
 * @param valid every check (and, after policy, every policy rule) passed
 * @param reason the failed check, or null when valid
 * @param detail what was checked or what was wrong
 * @param mrEnclave hex, or null
 * @param mrSigner hex, or null
 * @param isvProdId ISV product id, or -1
 * @param isvSvn ISV security version, or -1
 * @param debug whether attributes.flags has DEBUG set (false when unparsed)
 * @param reportData hex of the 64-byte report_data, or null
 * @param tcbStatus the platform TCB status converged with the QE's (Intel's names: UpToDate,
 *     SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, OutOfDate,
 *     OutOfDateConfigurationNeeded, Revoked), or null when no collateral was checked
 * @param advisoryIds Intel security advisories that apply at that TCB level
 * @param qeTcbStatus the quoting enclave's own TCB status, or null
 * @param fmspc hex FMSPC from the PCK certificate, or null
 * @param collateralChecked whether TCB info, QE identity and CRLs were checked
 * @param verifiedAt the time certificates, CRLs and collateral were checked against
 */
public record QuoteVerification(
    boolean valid,
    FailureReason reason,
    String detail,
    String mrEnclave,
    String mrSigner,
    int isvProdId,
    int isvSvn,
    boolean debug,
    String reportData,
    String tcbStatus,
    List<String> advisoryIds,
    String qeTcbStatus,
    String fmspc,
    boolean collateralChecked,
    Instant verifiedAt) {

  public QuoteVerification {
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(verifiedAt, "verifiedAt");
    advisoryIds = List.copyOf(advisoryIds);
    if (valid != (reason == null)) {
      throw new IllegalArgumentException("a valid answer has no reason; an invalid one has one");
    }
  }

  /** A refusal before any fact could be read from the quote (malformed, simulated, ...). */
  public static QuoteVerification rejected(FailureReason why, String whyDetail, Instant at) {
    return new QuoteVerification(
        false, why, whyDetail, null, null, -1, -1, false, null, null, List.of(), null, null, false,
        at);
  }

  /** The same facts, now refused for {@code why}. */
  public QuoteVerification refuse(FailureReason why, String whyDetail) {
    return new QuoteVerification(
        false,
        why,
        whyDetail,
        mrEnclave,
        mrSigner,
        isvProdId,
        isvSvn,
        debug,
        reportData,
        tcbStatus,
        advisoryIds,
        qeTcbStatus,
        fmspc,
        collateralChecked,
        verifiedAt);
  }
}
