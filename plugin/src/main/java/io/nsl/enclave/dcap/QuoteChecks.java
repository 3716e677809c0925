package io.nsl.enclave.dcap;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link QuoteVerification} told as the checks a person recognises (the console's attestation
 * view, issue 23): quote format, PCK chain to Intel's root, quote signature, QE identity, TCB
 * status, measurement against a policy, report_data binding — each passed, failed (with the
 * verifier's own words) or not checked (and why). Pure.
 *
 * <p>The verifier stops at the first failure. A check is said to have passed only when every way it
 * can fail comes, in the verifier's order ({@link #ORDER}), before the failure that stopped it; a
 * check that had only partly run when it stopped is "not checked". So this can say less than the
 * verifier did, never more.
 */
public final class QuoteChecks {
  private QuoteChecks() {}

  /** How one check came out. */
  public enum Outcome {
    PASSED,
    FAILED,
    NOT_CHECKED
  }

  /** One check in plain words. */
  public record Check(String name, Outcome outcome, String words) {}

  /** The checks, in the order they are shown. */
  public enum Name {
    QUOTE_FORMAT("quote format"),
    PCK_CHAIN("PCK certificate chain to Intel's SGX root"),
    QUOTE_SIGNATURE("quote signature"),
    QE_IDENTITY("quoting enclave identity"),
    TCB_STATUS("TCB status"),
    MEASUREMENT("measurement against the policy"),
    REPORT_DATA("report_data binding");

    final String words;

    Name(String words) {
      this.words = words;
    }

    /** The check's name as shown. */
    public String words() {
      return words;
    }
  }

  /**
   * Where each failure can first happen in {@link DcapQuoteVerifier#verify} and then {@link
   * AttestationPolicy#apply}: a smaller number is checked earlier. A reason that can arise at
   * several points (CHAIN_UNTRUSTED: the PCK chain, later the collateral's signers) has its
   * earliest.
   */
  static final Map<FailureReason, Integer> ORDER = new EnumMap<>(FailureReason.class);

  private static final Map<Name, Set<FailureReason>> GROUPS = new EnumMap<>(Name.class);

  static {
    at(
        0,
        FailureReason.SIMULATED_ATTESTATION,
        FailureReason.MALFORMED_QUOTE,
        FailureReason.UNSUPPORTED_QUOTE_VERSION,
        FailureReason.TDX_QUOTE_NOT_SUPPORTED,
        FailureReason.UNSUPPORTED_ATTESTATION_KEY_TYPE,
        FailureReason.UNSUPPORTED_QE_VENDOR,
        FailureReason.UNSUPPORTED_CERTIFICATION_DATA);
    at(
        1,
        FailureReason.PCK_CHAIN_MALFORMED,
        FailureReason.CHAIN_UNTRUSTED,
        FailureReason.CERTIFICATE_EXPIRED);
    at(
        2,
        FailureReason.QE_REPORT_SIGNATURE_INVALID,
        FailureReason.QE_REPORT_DATA_MISMATCH,
        FailureReason.QUOTE_SIGNATURE_INVALID);
    at(3, FailureReason.CRL_INVALID, FailureReason.CRL_EXPIRED, FailureReason.CERTIFICATE_REVOKED);
    at(4, FailureReason.TCB_INFO_SIGNATURE_INVALID);
    at(5, FailureReason.QE_IDENTITY_SIGNATURE_INVALID);
    at(
        6,
        FailureReason.TCB_INFO_INVALID,
        FailureReason.TCB_INFO_MISMATCH,
        FailureReason.TCB_INFO_EXPIRED,
        FailureReason.TCB_LEVEL_NOT_FOUND);
    at(
        7,
        FailureReason.QE_IDENTITY_INVALID,
        FailureReason.QE_IDENTITY_EXPIRED,
        FailureReason.QE_IDENTITY_MISMATCH,
        FailureReason.QE_REVOKED);
    at(8, FailureReason.TCB_REVOKED);
    at(9, FailureReason.DEBUG_ENCLAVE);
    at(10, FailureReason.UNEXPECTED_MRENCLAVE);
    at(11, FailureReason.UNEXPECTED_REPORT_DATA);
    at(12, FailureReason.COLLATERAL_REQUIRED);
    at(13, FailureReason.TCB_STATUS_NOT_ACCEPTED);

    GROUPS.put(
        Name.QUOTE_FORMAT,
        Set.of(
            FailureReason.SIMULATED_ATTESTATION,
            FailureReason.MALFORMED_QUOTE,
            FailureReason.UNSUPPORTED_QUOTE_VERSION,
            FailureReason.TDX_QUOTE_NOT_SUPPORTED,
            FailureReason.UNSUPPORTED_ATTESTATION_KEY_TYPE,
            FailureReason.UNSUPPORTED_QE_VENDOR,
            FailureReason.UNSUPPORTED_CERTIFICATION_DATA));
    GROUPS.put(
        Name.PCK_CHAIN,
        Set.of(
            FailureReason.PCK_CHAIN_MALFORMED,
            FailureReason.CHAIN_UNTRUSTED,
            FailureReason.CERTIFICATE_EXPIRED,
            FailureReason.CRL_INVALID,
            FailureReason.CRL_EXPIRED,
            FailureReason.CERTIFICATE_REVOKED));
    GROUPS.put(
        Name.QUOTE_SIGNATURE,
        Set.of(
            FailureReason.QE_REPORT_SIGNATURE_INVALID,
            FailureReason.QE_REPORT_DATA_MISMATCH,
            FailureReason.QUOTE_SIGNATURE_INVALID));
    GROUPS.put(
        Name.QE_IDENTITY,
        Set.of(
            FailureReason.QE_IDENTITY_SIGNATURE_INVALID,
            FailureReason.QE_IDENTITY_INVALID,
            FailureReason.QE_IDENTITY_EXPIRED,
            FailureReason.QE_IDENTITY_MISMATCH,
            FailureReason.QE_REVOKED));
    GROUPS.put(
        Name.TCB_STATUS,
        Set.of(
            FailureReason.TCB_INFO_SIGNATURE_INVALID,
            FailureReason.TCB_INFO_INVALID,
            FailureReason.TCB_INFO_MISMATCH,
            FailureReason.TCB_INFO_EXPIRED,
            FailureReason.TCB_LEVEL_NOT_FOUND,
            FailureReason.TCB_REVOKED,
            FailureReason.COLLATERAL_REQUIRED,
            FailureReason.TCB_STATUS_NOT_ACCEPTED));
    GROUPS.put(
        Name.MEASUREMENT, Set.of(FailureReason.DEBUG_ENCLAVE, FailureReason.UNEXPECTED_MRENCLAVE));
    GROUPS.put(Name.REPORT_DATA, Set.of(FailureReason.UNEXPECTED_REPORT_DATA));
  }

  private static void at(int position, FailureReason... reasons) {
    for (FailureReason r : reasons) {
      ORDER.put(r, position);
    }
  }

  /**
   * The checks of {@code v}, in {@link Name} order.
   *
   * @param v a verification, after {@code policy.apply}
   * @param policy the policy that was applied to {@code v}
   */
  public static List<Check> explain(QuoteVerification v, AttestationPolicy policy) {
    boolean measurementPolicy = !policy.expectedMrEnclaves().isEmpty();
    boolean reportDataPolicy = policy.expectedReportData() != null;
    List<Check> out = new ArrayList<>();
    int stoppedAt = v.valid() ? Integer.MAX_VALUE : ORDER.getOrDefault(v.reason(), -1);
    for (Name n : Name.values()) {
      Set<FailureReason> group = GROUPS.get(n);
      if (!v.valid() && group.contains(v.reason())) {
        out.add(new Check(n.words, Outcome.FAILED, v.reason().name() + ": " + v.detail()));
        continue;
      }
      boolean ran = group.stream().allMatch(r -> ORDER.get(r) < stoppedAt);
      boolean needsCollateral = n == Name.QE_IDENTITY || n == Name.TCB_STATUS;
      if (n == Name.PCK_CHAIN) {
        // The chain's signatures are checked first; its revocation only with collateral, later.
        if (ORDER.get(FailureReason.CERTIFICATE_EXPIRED) >= stoppedAt) {
          out.add(
              new Check(
                  n.words,
                  Outcome.NOT_CHECKED,
                  "not checked: the verification stopped at an earlier failure"));
        } else {
          String revocation =
              !v.collateralChecked()
                  ? "revocation not checked: no collateral (CRLs) was given"
                  : ran
                      ? "none revoked (CRLs checked)"
                      : "revocation not checked: the verification stopped before it";
          out.add(new Check(n.words, Outcome.PASSED, chainWords(v, revocation)));
        }
        continue;
      }
      if (!ran) {
        out.add(
            new Check(
                n.words,
                Outcome.NOT_CHECKED,
                "not checked: the verification stopped at an earlier failure"));
      } else if (needsCollateral && !v.collateralChecked()) {
        out.add(
            new Check(
                n.words,
                Outcome.NOT_CHECKED,
                "not checked: no collateral (TCB info, QE identity, CRLs) was given"));
      } else if (n == Name.MEASUREMENT && !measurementPolicy) {
        out.add(
            new Check(
                n.words,
                Outcome.NOT_CHECKED,
                "not checked: no expected MRENCLAVE was given (MRENCLAVE "
                    + v.mrEnclave()
                    + (v.debug() ? ", a DEBUG enclave" : ", not a debug enclave")
                    + ")"));
      } else if (n == Name.REPORT_DATA && !reportDataPolicy) {
        out.add(
            new Check(
                n.words,
                Outcome.NOT_CHECKED,
                "not checked: no expected report_data was given (report_data "
                    + v.reportData()
                    + ")"));
      } else {
        out.add(new Check(n.words, Outcome.PASSED, passedWords(n, v, policy)));
      }
    }
    return out;
  }

  private static String chainWords(QuoteVerification v, String revocation) {
    return "every certificate signed up to Intel's SGX Root CA and valid at "
        + v.verifiedAt()
        + "; "
        + revocation
        + (v.fmspc() == null ? "" : "; FMSPC " + v.fmspc());
  }

  private static String passedWords(Name n, QuoteVerification v, AttestationPolicy policy) {
    return switch (n) {
      case QUOTE_FORMAT -> "an SGX ECDSA-P256 quote (v3 or v4) with its PCK certificate chain";
      case PCK_CHAIN -> throw new IllegalStateException("the chain has its own words");
      case QUOTE_SIGNATURE ->
          "the quoting enclave's report is signed by the PCK key and binds the attestation key,"
              + " which signs the quote: it was not altered";
      case QE_IDENTITY ->
          "the quoting enclave is Intel's, at TCB level "
              + v.qeTcbStatus()
              + " (QE identity checked)";
      case TCB_STATUS ->
          "TCB status "
              + v.tcbStatus()
              + (v.advisoryIds().isEmpty() ? "" : ", advisories " + v.advisoryIds())
              + ", one the policy accepts "
              + new java.util.TreeSet<>(policy.acceptedTcbStatuses());
      case MEASUREMENT ->
          "MRENCLAVE "
              + v.mrEnclave()
              + " is one the policy expects"
              + (v.debug()
                  ? " (a DEBUG enclave, which the policy allows)"
                  : ", not a debug enclave");
      case REPORT_DATA -> "report_data " + v.reportData() + " is the expected one";
    };
  }
}
