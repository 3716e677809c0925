package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verifier on the three recorded vector sets (see testdata/sgx-vectors/README.txt). */
class DcapQuoteVerifierTest {
  static final Instant PHALA_TIME = Instant.parse("2025-07-01T00:00:00Z");
  static final Instant AUTOMATA_TIME = Instant.parse("2025-08-20T00:00:00Z");
  static final Instant MOBILECOIN_TIME = Instant.parse("2023-07-13T00:00:00Z");

  private final DcapQuoteVerifier verifier = SgxVectors.verifier();

  @Test
  void bundledRootIsTheIntelSgxRootCaOfTheVectors() throws Exception {
    assertArrayEquals(
        SgxVectors.pem("intel_sgx_root_ca.pem").get(0).getEncoded(),
        DcapQuoteVerifier.withIntelRoot().trustedRoot().getEncoded());
  }

  @Test
  void acceptsGenuinePhalaQuoteWithCollateral() {
    QuoteVerification v =
        verifier.verify(SgxVectors.phalaQuote(), SgxVectors.phalaCollateral(), PHALA_TIME);
    assertTrue(v.valid(), v::detail);
    assertNull(v.reason());
    assertEquals("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", v.mrEnclave());
    assertEquals("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6", v.mrSigner());
    assertEquals(0, v.isvProdId());
    assertEquals(0, v.isvSvn());
    assertFalse(v.debug());
    byte[] rd = Arrays.copyOf("Hello, world!".getBytes(StandardCharsets.US_ASCII), 64);
    assertEquals(HexFormat.of().formatHex(rd), v.reportData());
    assertEquals("ConfigurationAndSWHardeningNeeded", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), v.advisoryIds());
    assertEquals("UpToDate", v.qeTcbStatus());
    assertEquals("00a067110000", v.fmspc());
    assertTrue(v.collateralChecked());
    assertEquals(v, AttestationPolicy.defaults().apply(v));
  }

  @Test
  void acceptsGenuinePhalaQuoteWithoutCollateralButSaysSo() {
    QuoteVerification v = verifier.verify(SgxVectors.phalaQuote(), null, PHALA_TIME);
    assertTrue(v.valid(), v::detail);
    assertFalse(v.collateralChecked());
    assertNull(v.tcbStatus());
    assertTrue(v.detail().contains("NOT checked"));
  }

  @Test
  void acceptsGenuineAutomataQuoteWithPcsCollateral() {
    QuoteVerification v =
        verifier.verify(
            SgxVectors.hexFile("automata-dcap-attestation/quotev3.hex"),
            SgxVectors.automataCollateral(),
            AUTOMATA_TIME);
    assertTrue(v.valid(), v::detail);
    assertEquals("a4f45c39dac622cb1dd32ddb35a52ec92db41d0fa88a1c911c49e59c534f61cd", v.mrEnclave());
    assertEquals("8f2dbc0f9c5d3378d596974b2deed1f93223cc49242899f83809bcc92546132c", v.mrSigner());
    assertEquals("SWHardeningNeeded", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00615"), v.advisoryIds());
    assertEquals("UpToDate", v.qeTcbStatus());
    assertEquals("00606a000000", v.fmspc());
    assertTrue(AttestationPolicy.defaults().apply(v).valid());
  }

  @Test
  void acceptsGenuineMobilecoinQuoteSignaturesAndChain() {
    QuoteVerification v =
        verifier.verify(
            SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat"), null, MOBILECOIN_TIME);
    assertTrue(v.valid(), v::detail);
    assertEquals("840d61b0585dc8b4dc90f53af293c760fda06bee75978a6a86263ffb296423f4", v.mrEnclave());
    assertEquals("9f06df5ca79a23ffdfb6ca0ec85514e21dd1cbd1ed11abc45dbe8dc894efdddf", v.mrSigner());
    assertEquals("00".repeat(64), v.reportData());
  }

  @Test
  void rejectsMobilecoinCollateralBecauseItsPckCrlHadExpired() {
    // The processor CRL (2023-04-21..2023-05-21) was already stale when the TCB info was issued.
    QuoteVerification v =
        verifier.verify(
            SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat"),
            SgxVectors.mobilecoinCollateral(),
            MOBILECOIN_TIME);
    assertEquals(FailureReason.CRL_EXPIRED, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK CRL"), v.detail());
  }

  @Test
  void rejectsPckCertificateNotYetValid() {
    // At 2023-05-10 both CRLs are current but the PCK leaf was issued 2023-06-08.
    QuoteVerification v =
        verifier.verify(
            SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat"),
            SgxVectors.mobilecoinCollateral(),
            Instant.parse("2023-05-10T00:00:00Z"));
    assertEquals(FailureReason.CERTIFICATE_EXPIRED, v.reason(), v.detail());
  }

  @Test
  void rejectsTcbInfoNotYetIssued() {
    // PCK CRL from 10:23:18, QE identity from 10:01:18, TCB info only from 10:56:11.
    assertEquals(FailureReason.TCB_INFO_EXPIRED, phalaAt("2025-06-19T10:30:00Z").reason());
  }

  @Test
  void rejectsExpiredQeIdentity() {
    // QE identity ends 10:01:18, PCK CRL 10:23:18, TCB info 10:56:11.
    assertEquals(FailureReason.QE_IDENTITY_EXPIRED, phalaAt("2025-07-19T10:10:00Z").reason());
  }

  @Test
  void rejectsExpiredPckCrl() {
    assertEquals(FailureReason.CRL_EXPIRED, phalaAt("2025-07-19T10:30:00Z").reason());
  }

  @Test
  void rejectsCertificatesAfterTheyExpire() {
    assertEquals(
        FailureReason.CERTIFICATE_EXPIRED,
        verifier
            .verify(SgxVectors.phalaQuote(), null, Instant.parse("2051-01-01T00:00:00Z"))
            .reason());
  }

  private QuoteVerification phalaAt(String time) {
    return verifier.verify(
        SgxVectors.phalaQuote(), SgxVectors.phalaCollateral(), Instant.parse(time));
  }

  @Test
  void refusesTheDebugEnclaveByPolicy() {
    QuoteVerification v =
        verifier.verify(
            SgxVectors.bytes("automata-dcap-attestation/quote_sgx_debug.bin"),
            null,
            Instant.parse("2025-05-10T00:00:00Z"));
    assertTrue(v.valid(), v::detail);
    assertTrue(v.debug());
    QuoteVerification p = AttestationPolicy.defaults().apply(v);
    assertFalse(p.valid());
    assertEquals(FailureReason.DEBUG_ENCLAVE, p.reason());
    AttestationPolicy lenient =
        new AttestationPolicy(true, Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, false, null);
    assertTrue(lenient.apply(v).valid());
  }

  @Test
  void rejectsPckCrlOfThePlatformCaForAProcessorCaChain() {
    Collateral c =
        Collateral.fromPcsResponses(
            SgxVectors.text("automata-dcap-attestation/tcb_info_v3_sgx_00A067110000.json"),
            SgxVectors.text("automata-dcap-attestation/sgx_qeidentity_v4.json"),
            SgxVectors.pem("automata-dcap-attestation/tcb_signing_cert.pem"),
            SgxVectors.bytes("automata-dcap-attestation/intel_root_ca_crl.der"),
            SgxVectors.bytes("automata-dcap-attestation/platform_crl.der"));
    QuoteVerification v =
        verifier.verify(
            SgxVectors.bytes("automata-dcap-attestation/quote_sgx_debug.bin"),
            c,
            Instant.parse("2025-05-10T00:00:00Z"));
    // The debug quote's PCK leaf comes from the Processor CA; automata's CRL is the Platform CA's.
    assertEquals(FailureReason.CRL_INVALID, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK Platform CA"), v.detail());
    assertTrue(v.debug());
  }

  @Test
  void rejectsTdxQuoteClearly() {
    QuoteVerification v =
        verifier.verify(
            SgxVectors.hexFile("automata-dcap-attestation/quotev4_tdx.hex"), null, AUTOMATA_TIME);
    assertEquals(FailureReason.TDX_QUOTE_NOT_SUPPORTED, v.reason());
    assertTrue(v.detail().contains("TDX"));
    assertNull(v.mrEnclave());
  }

  @Test
  void refusesUnexpectedMrEnclaveByPolicy() {
    QuoteVerification v =
        verifier.verify(SgxVectors.phalaQuote(), SgxVectors.phalaCollateral(), PHALA_TIME);
    QuoteVerification p = AttestationPolicy.defaults().expectingMrEnclave("00".repeat(32)).apply(v);
    assertEquals(FailureReason.UNEXPECTED_MRENCLAVE, p.reason());
    assertTrue(AttestationPolicy.defaults().expectingMrEnclave(v.mrEnclave()).apply(v).valid());
  }

  @Test
  void refusesTcbStatusOutsideThePolicy() {
    QuoteVerification v =
        verifier.verify(SgxVectors.phalaQuote(), SgxVectors.phalaCollateral(), PHALA_TIME);
    AttestationPolicy strict =
        new AttestationPolicy(false, Set.of(), Set.of("UpToDate"), true, null);
    assertEquals(FailureReason.TCB_STATUS_NOT_ACCEPTED, strict.apply(v).reason());
  }

  @Test
  void refusesMissingCollateralWhenPolicyRequiresIt() {
    QuoteVerification v = verifier.verify(SgxVectors.phalaQuote(), null, PHALA_TIME);
    AttestationPolicy strict =
        new AttestationPolicy(false, Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, true, null);
    assertEquals(FailureReason.COLLATERAL_REQUIRED, strict.apply(v).reason());
  }

  @Test
  void refusesUnexpectedReportData() {
    QuoteVerification v = verifier.verify(SgxVectors.phalaQuote(), null, PHALA_TIME);
    AttestationPolicy p =
        new AttestationPolicy(
            false, Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, false, "11".repeat(64));
    assertEquals(FailureReason.UNEXPECTED_REPORT_DATA, p.apply(v).reason());
  }

  @Test
  void convergesPlatformStatusWithQeStatusLikeIntelQvl() {
    assertEquals("SWHardeningNeeded", DcapQuoteVerifier.converge("SWHardeningNeeded", "UpToDate"));
    assertEquals("OutOfDate", DcapQuoteVerifier.converge("UpToDate", "OutOfDate"));
    assertEquals(
        "OutOfDateConfigurationNeeded",
        DcapQuoteVerifier.converge("ConfigurationAndSWHardeningNeeded", "OutOfDate"));
  }
}
