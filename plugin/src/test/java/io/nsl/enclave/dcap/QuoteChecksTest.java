package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.dcap.QuoteChecks.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plain-words checks, on the recorded SGX quotes. */
class QuoteChecksTest {
  private final DcapQuoteVerifier verifier = SgxVectors.verifier();
  static final String PHALA_MRENCLAVE =
      "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
  static final String PHALA_REPORT_DATA =
      HexFormat.of()
          .formatHex(Arrays.copyOf("Hello, world!".getBytes(StandardCharsets.US_ASCII), 64));

  static List<Outcome> outcomes(List<QuoteChecks.Check> checks) {
    return checks.stream().map(QuoteChecks.Check::outcome).toList();
  }

  @Test
  void aGenuineQuoteWithCollateralAndAFullPolicyPassesEveryCheck() {
    AttestationPolicy policy =
        new AttestationPolicy(
            false,
            Set.of(PHALA_MRENCLAVE),
            AttestationPolicy.DEFAULT_TCB_STATUSES,
            true,
            PHALA_REPORT_DATA);
    QuoteVerification v =
        policy.apply(
            verifier.verify(
                SgxVectors.phalaQuote(),
                SgxVectors.phalaCollateral(),
                DcapQuoteVerifierTest.PHALA_TIME));
    List<QuoteChecks.Check> checks = QuoteChecks.explain(v, policy);
    assertEquals(7, checks.size());
    assertTrue(checks.stream().allMatch(c -> c.outcome() == Outcome.PASSED), checks.toString());
    assertTrue(checks.get(4).words().contains("ConfigurationAndSWHardeningNeeded"));
    assertTrue(checks.get(1).words().contains("CRLs checked"));
  }

  @Test
  void withoutCollateralTheCollateralChecksSayTheyDidNotRun() {
    AttestationPolicy policy = AttestationPolicy.defaults();
    QuoteVerification v =
        policy.apply(
            verifier.verify(SgxVectors.phalaQuote(), null, DcapQuoteVerifierTest.PHALA_TIME));
    List<QuoteChecks.Check> checks = QuoteChecks.explain(v, policy);
    assertEquals(
        List.of(
            Outcome.PASSED,
            Outcome.PASSED,
            Outcome.PASSED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED),
        outcomes(checks));
    assertTrue(checks.get(1).words().contains("revocation not checked"), checks.get(1).words());
    assertTrue(checks.get(3).words().contains("no collateral"));
    assertTrue(checks.get(5).words().contains(PHALA_MRENCLAVE));
  }

  @Test
  void anAlteredQuoteFailsItsSignatureAndNothingAfterIsClaimed() {
    byte[] quote = SgxVectors.phalaQuote();
    quote[48 + 320 + 5] ^= 1; // a byte of report_data, inside the signed report body
    AttestationPolicy policy = AttestationPolicy.defaults();
    QuoteVerification v =
        policy.apply(
            verifier.verify(quote, SgxVectors.phalaCollateral(), DcapQuoteVerifierTest.PHALA_TIME));
    List<QuoteChecks.Check> checks = QuoteChecks.explain(v, policy);
    assertEquals(
        List.of(
            Outcome.PASSED,
            Outcome.PASSED,
            Outcome.FAILED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED),
        outcomes(checks));
    assertTrue(checks.get(2).words().startsWith("QUOTE_SIGNATURE_INVALID"), checks.get(2).words());
    assertTrue(
        checks.get(1).words().contains("revocation not checked: the verification stopped"),
        checks.get(1).words());
  }

  @Test
  void anExpiredCrlFailsTheChainAfterTheSignaturesPassed() {
    AttestationPolicy policy = AttestationPolicy.defaults();
    QuoteVerification v =
        policy.apply(
            verifier.verify(
                SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat"),
                SgxVectors.mobilecoinCollateral(),
                DcapQuoteVerifierTest.MOBILECOIN_TIME));
    List<QuoteChecks.Check> checks = QuoteChecks.explain(v, policy);
    assertEquals(
        List.of(
            Outcome.PASSED,
            Outcome.FAILED,
            Outcome.PASSED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED,
            Outcome.NOT_CHECKED),
        outcomes(checks));
    assertTrue(checks.get(1).words().startsWith("CRL_EXPIRED"), checks.get(1).words());
  }

  @Test
  void anotherMeasurementFailsThePolicyCheck() {
    AttestationPolicy policy = AttestationPolicy.defaults().expectingMrEnclave("ab".repeat(32));
    QuoteVerification v =
        policy.apply(
            verifier.verify(
                SgxVectors.phalaQuote(),
                SgxVectors.phalaCollateral(),
                DcapQuoteVerifierTest.PHALA_TIME));
    List<QuoteChecks.Check> checks = QuoteChecks.explain(v, policy);
    assertEquals(Outcome.FAILED, checks.get(5).outcome());
    assertTrue(checks.get(5).words().startsWith("UNEXPECTED_MRENCLAVE"), checks.get(5).words());
    assertEquals(Outcome.PASSED, checks.get(3).outcome(), "the QE identity was checked before");
  }

  @Test
  void everyFailureReasonHasAPlaceInTheOrder() {
    for (FailureReason r : FailureReason.values()) {
      assertTrue(QuoteChecks.ORDER.containsKey(r), r + " has no position");
    }
  }
}
