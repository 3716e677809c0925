package io.nsl.enclave.dcap;

import static io.nsl.enclave.dcap.SyntheticCollateral.svns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.dcap.SyntheticCollateral.QeLevel;
import io.nsl.enclave.dcap.SyntheticCollateral.TcbLevel;
import io.nsl.enclave.dcap.SyntheticPki.PlatformTcb;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The verifier's collateral rules on quotes and collateral signed by a synthetic PKI (see {@link
 * SyntheticPki}): the outcomes no recorded Intel-signed collateral reaches (revoked certificates,
 * Revoked and missing TCB levels, a foreign quoting enclave), and the positive statuses.
 */
class SyntheticPkiVerifierTest {
  static final Instant AT = Instant.parse("2026-01-15T00:00:00Z");
  static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NEXT = Instant.parse("2026-02-01T00:00:00Z");
  static final String FMSPC = "30606a000000";
  static final String PCE_ID = "0000";

  static final byte[] MR_ENCLAVE =
      SyntheticQuote.sha256("enclave".getBytes(StandardCharsets.UTF_8));
  static final byte[] MR_SIGNER = SyntheticQuote.sha256("signer".getBytes(StandardCharsets.UTF_8));
  static final byte[] REPORT_DATA = Arrays.copyOf(MR_ENCLAVE, 64);

  /** Intel-like TCB levels, newest first (the order Intel publishes them in). */
  static final List<TcbLevel> TCB_LEVELS =
      List.of(
          new TcbLevel(svns(12, 12, 3, 3, 255, 1, 13), 13, "UpToDate", List.of()),
          new TcbLevel(
              svns(11, 11, 2, 2, 255, 1, 12), 13, "SWHardeningNeeded", List.of("INTEL-SA-00615")),
          new TcbLevel(
              svns(10, 10, 2, 2, 255, 1),
              11,
              "OutOfDate",
              List.of("INTEL-SA-00828", "INTEL-SA-00615")),
          new TcbLevel(svns(8, 8, 2, 2, 255, 1), 5, "Revoked", List.of("INTEL-SA-00100")));

  static final List<QeLevel> QE_LEVELS =
      List.of(
          new QeLevel(8, "UpToDate", List.of()),
          new QeLevel(6, "OutOfDate", List.of("INTEL-SA-00615")),
          new QeLevel(2, "Revoked", List.of("INTEL-SA-00202")));

  static final int[] UP_TO_DATE = svns(12, 12, 3, 3, 255, 1, 13);

  // ---- positive statuses ----

  @Test
  void acceptsUpToDatePlatformAndReportsWhatTheQuoteSays() {
    Case c = Case.platform(UP_TO_DATE, 13);
    QuoteVerification v = c.verify();
    assertTrue(v.valid(), v::detail);
    assertEquals(HexFormat.of().formatHex(MR_ENCLAVE), v.mrEnclave());
    assertEquals(HexFormat.of().formatHex(MR_SIGNER), v.mrSigner());
    assertEquals(7, v.isvProdId());
    assertEquals(3, v.isvSvn());
    assertFalse(v.debug());
    assertEquals(HexFormat.of().formatHex(REPORT_DATA), v.reportData());
    assertEquals("UpToDate", v.tcbStatus());
    assertEquals(List.of(), v.advisoryIds());
    assertEquals("UpToDate", v.qeTcbStatus());
    assertEquals(FMSPC, v.fmspc());
    assertTrue(v.collateralChecked());
    assertEquals(v, AttestationPolicy.defaults().apply(v));
  }

  @Test
  void acceptsSwHardeningNeededPlatformWithItsAdvisory() {
    QuoteVerification v = Case.platform(svns(11, 11, 2, 2, 255, 1, 12), 13).verify();
    assertTrue(v.valid(), v::detail);
    assertEquals("SWHardeningNeeded", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00615"), v.advisoryIds());
    assertTrue(AttestationPolicy.defaults().apply(v).valid());
  }

  @Test
  void reportsOutOfDatePlatformWithAdvisoryIdsAndThePolicyRefusesIt() {
    // Components above the OutOfDate level but the 7th below SWHardeningNeeded's 12.
    QuoteVerification v = Case.platform(svns(11, 11, 2, 2, 255, 1, 5), 13).verify();
    assertTrue(v.valid(), v::detail);
    assertEquals("OutOfDate", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00828", "INTEL-SA-00615"), v.advisoryIds());
    QuoteVerification p = AttestationPolicy.defaults().apply(v);
    assertEquals(FailureReason.TCB_STATUS_NOT_ACCEPTED, p.reason());
    assertEquals(List.of("INTEL-SA-00828", "INTEL-SA-00615"), p.advisoryIds());
  }

  @Test
  void reportsOutOfDateWhenOnlyTheQuotingEnclaveIsOutOfDate() {
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeSvn(7).verify();
    assertTrue(v.valid(), v::detail);
    assertEquals("OutOfDate", v.qeTcbStatus());
    assertEquals("OutOfDate", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00615"), v.advisoryIds());
  }

  @Test
  void acceptsCrlsThatRevokeOnlyOtherSerials() {
    BigInteger other = BigInteger.valueOf(0x7777);
    QuoteVerification v =
        Case.platform(UP_TO_DATE, 13).rootCrlRevokes(other).pckCrlRevokes(other).verify();
    assertTrue(v.valid(), v::detail);
  }

  // ---- TCB levels ----

  @Test
  void rejectsPlatformWhoseTcbComponentsAreBelowEveryLevel() {
    QuoteVerification v = Case.platform(svns(7, 12, 3, 3, 255, 1, 13), 13).verify();
    assertEquals(FailureReason.TCB_LEVEL_NOT_FOUND, v.reason(), v.detail());
    assertFalse(v.valid());
  }

  @Test
  void rejectsPlatformWhosePceSvnIsBelowEveryLevel() {
    QuoteVerification v = Case.platform(UP_TO_DATE, 4).verify();
    assertEquals(FailureReason.TCB_LEVEL_NOT_FOUND, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCE SVN 4"), v.detail());
  }

  @Test
  void rejectsPlatformWhoseTcbLevelIsRevoked() {
    QuoteVerification v = Case.platform(svns(9, 9, 2, 2, 255, 1), 6).verify();
    assertEquals(FailureReason.TCB_REVOKED, v.reason(), v.detail());
    assertEquals("Revoked", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00100"), v.advisoryIds());
  }

  @Test
  void acceptsTcbInfoVersion2() {
    String v2 =
        "{\"version\":2,\"issueDate\":\""
            + ISSUED
            + "\",\"nextUpdate\":\""
            + NEXT
            + "\",\"fmspc\":\""
            + FMSPC
            + "\",\"pceId\":\""
            + PCE_ID
            + "\",\"tcbType\":0,"
            + "\"tcbEvaluationDataNumber\":8,\"tcbLevels\":[{\"tcb\":{"
            + v2Components(UP_TO_DATE)
            + ",\"pcesvn\":13},\"tcbDate\":\"2025-11-12T00:00:00Z\","
            + "\"tcbStatus\":\"SWHardeningNeeded\",\"advisoryIDs\":[\"INTEL-SA-00615\"]}]}";
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).tcbInfo(v2).verify();
    assertTrue(v.valid(), v::detail);
    assertEquals("SWHardeningNeeded", v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00615"), v.advisoryIds());
  }

  private static String v2Components(int[] svns) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append(i == 0 ? "" : ",")
          .append(String.format("\"sgxtcbcomp%02dsvn\":%d", i + 1, svns[i]));
    }
    return sb.toString();
  }

  // ---- signed but malformed collateral ----

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an unknown version          | \"version\":3           | \"version\":1",
        "a TDX TCB info              | \"id\":\"SGX\"            | \"id\":\"TDX\"",
        "no TCB levels               | \"tcbLevels\":[{        | \"tcbLevels\":[],\"x\":[{",
        "a level missing a component | {\"svn\":255}           | {\"nosvn\":255}",
        "a level without a status    | \"tcbStatus\"           | \"status\"",
        "an unparseable issue date   | \"issueDate\":\"2026-  | \"issueDate\":\"Jan 2026-",
        "a later level without status | \"tcbStatus\":\"Revoked\" | \"status\":\"Revoked\"",
        "a later level without pcesvn | \"pcesvn\":5}         | \"pce\":5}",
      })
  void rejectsSignedTcbInfoWithMalformedContent(String what, String from, String to) {
    Case c = Case.platform(UP_TO_DATE, 13);
    String broken =
        c.tcbInfo.replaceFirst(
            java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    assertFalse(broken.equals(c.tcbInfo), what + ": the replacement must change the text");
    QuoteVerification v = c.tcbInfo(broken).verify();
    assertEquals(FailureReason.TCB_INFO_INVALID, v.reason(), what + ": " + v.detail());
  }

  @Test
  void rejectsSignedTcbInfoThatIsNotAJsonObject() {
    for (String text : new String[] {"[1,2]", "not json", "\"SGX\""}) {
      QuoteVerification v = Case.platform(UP_TO_DATE, 13).tcbInfo(text).verify();
      assertEquals(FailureReason.TCB_INFO_INVALID, v.reason(), text + ": " + v.detail());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "another enclave identity  | \"id\":\"QE\"        | \"id\":\"QVE\"",
        "an unknown version        | \"version\":2       | \"version\":3",
        "a malformed MRSIGNER      | \"mrsigner\":\"8C    | \"mrsigner\":\"ZZ",
        "a short attributes mask   | FBFFFFFFFFFFFFFF    | FBFF",
        "a malformed MISCSELECT    | \"miscselect\":\"0   | \"miscselect\":\"x",
        "no product id             | \"isvprodid\"       | \"prodid\"",
        "no QE TCB levels          | \"tcbLevels\":[{    | \"tcbLevels\":[],\"x\":[{",
        "a level without isvsvn    | \"isvsvn\":8        | \"svn\":8",
        "a level without a status  | \"tcbStatus\"       | \"status\"",
      })
  void rejectsSignedQeIdentityWithMalformedContent(String what, String from, String to) {
    Case c = Case.platform(UP_TO_DATE, 13);
    String broken =
        c.qeIdentity.replaceFirst(
            java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    assertFalse(broken.equals(c.qeIdentity), what + ": the replacement must change the text");
    QuoteVerification v = c.qeIdentity(broken).verify();
    assertEquals(FailureReason.QE_IDENTITY_INVALID, v.reason(), what + ": " + v.detail());
  }

  // ---- QE identity ----

  @Test
  void rejectsQuotingEnclaveWithAnotherSigner() {
    byte[] qe = SyntheticQuote.qeReportBody("11".repeat(32), 1, 10, 0x11, 0);
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeReport(qe).verify();
    assertEquals(FailureReason.QE_IDENTITY_MISMATCH, v.reason(), v.detail());
    assertTrue(v.detail().contains("MRSIGNER"), v.detail());
  }

  @Test
  void rejectsQuotingEnclaveWithAnotherProductId() {
    byte[] qe = SyntheticQuote.qeReportBody(SyntheticQuote.INTEL_QE_MRSIGNER, 2, 10, 0x11, 0);
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeReport(qe).verify();
    assertEquals(FailureReason.QE_IDENTITY_MISMATCH, v.reason(), v.detail());
    assertTrue(v.detail().contains("ISVPRODID"), v.detail());
  }

  @Test
  void rejectsDebugQuotingEnclave() {
    byte[] qe =
        SyntheticQuote.qeReportBody(
            SyntheticQuote.INTEL_QE_MRSIGNER, 1, 10, 0x11 | EnclaveReportBody.FLAG_DEBUG, 0);
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeReport(qe).verify();
    assertEquals(FailureReason.QE_IDENTITY_MISMATCH, v.reason(), v.detail());
    assertTrue(v.detail().contains("attributes"), v.detail());
  }

  @Test
  void rejectsQuotingEnclaveWithAnotherMiscSelect() {
    byte[] qe = SyntheticQuote.qeReportBody(SyntheticQuote.INTEL_QE_MRSIGNER, 1, 10, 0x11, 1);
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeReport(qe).verify();
    assertEquals(FailureReason.QE_IDENTITY_MISMATCH, v.reason(), v.detail());
    assertTrue(v.detail().contains("MISCSELECT"), v.detail());
  }

  @Test
  void rejectsQuotingEnclaveBelowEveryQeTcbLevel() {
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeSvn(1).verify();
    assertEquals(FailureReason.QE_REVOKED, v.reason(), v.detail());
    assertTrue(v.detail().contains("ISVSVN 1"), v.detail());
  }

  @Test
  void rejectsQuotingEnclaveWhoseTcbLevelIsRevoked() {
    QuoteVerification v = Case.platform(UP_TO_DATE, 13).qeSvn(4).verify();
    assertEquals(FailureReason.QE_REVOKED, v.reason(), v.detail());
    assertEquals("Revoked", v.qeTcbStatus());
  }

  // ---- revocation ----

  @Test
  void rejectsQuoteWhosePckCertificateIsRevoked() {
    QuoteVerification v =
        Case.platform(UP_TO_DATE, 13).pckCrlRevokes(SyntheticPki.PCK_SERIAL).verify();
    assertEquals(FailureReason.CERTIFICATE_REVOKED, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK certificate"), v.detail());
    // The facts of the quote are still reported, so an operator sees which enclave it was.
    assertEquals(HexFormat.of().formatHex(MR_ENCLAVE), v.mrEnclave());
  }

  @Test
  void rejectsQuoteWhosePckCaIsRevoked() {
    QuoteVerification v =
        Case.platform(UP_TO_DATE, 13).rootCrlRevokes(SyntheticPki.PCK_CA_SERIAL).verify();
    assertEquals(FailureReason.CERTIFICATE_REVOKED, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK CA"), v.detail());
  }

  @Test
  void rejectsCollateralWhoseTcbSigningCertificateIsRevoked() {
    QuoteVerification v =
        Case.platform(UP_TO_DATE, 13).rootCrlRevokes(SyntheticPki.TCB_SIGNER_SERIAL).verify();
    assertEquals(FailureReason.CERTIFICATE_REVOKED, v.reason(), v.detail());
    assertTrue(v.detail().contains("TCB info signing certificate"), v.detail());
  }

  // ---- the trusted root ----

  @Test
  void productionVerifierDoesNotTrustTheSyntheticRoot() {
    Case c = Case.platform(UP_TO_DATE, 13);
    QuoteVerification v = DcapQuoteVerifier.withIntelRoot().verify(c.quote(), c.collateral(), AT);
    assertEquals(FailureReason.CHAIN_UNTRUSTED, v.reason(), v.detail());
    assertNull(v.tcbStatus());
  }

  @Test
  void rejectsSyntheticQuoteFromAnotherSyntheticRoot() {
    Case c = Case.platform(UP_TO_DATE, 13);
    DcapQuoteVerifier other =
        SyntheticPki.create(new PlatformTcb(FMSPC, PCE_ID, UP_TO_DATE, 13)).verifier();
    assertEquals(
        FailureReason.CHAIN_UNTRUSTED, other.verify(c.quote(), c.collateral(), AT).reason());
  }

  @Test
  void rejectsCollateralSignedByAnotherSyntheticPki() {
    Case c = Case.platform(UP_TO_DATE, 13);
    SyntheticPki other = SyntheticPki.create(new PlatformTcb(FMSPC, PCE_ID, UP_TO_DATE, 13));
    Collateral foreign =
        SyntheticCollateral.signed(
            other,
            c.tcbInfo,
            c.qeIdentity,
            other.rootCrl(ISSUED, NEXT),
            other.pckCrl(ISSUED, NEXT));
    // The foreign root's CRL is the first thing that cannot be checked against the trusted root.
    assertEquals(
        FailureReason.CRL_INVALID, c.pki.verifier().verify(c.quote(), foreign, AT).reason());
  }

  // ---- the genuine path and the synthetic path ----

  @Test
  void genuineAndSyntheticQuotesOfTheSameEnclaveReportTheSameFacts() throws Exception {
    // Phala's genuine quote, and a synthetic one carrying the same report body, QE report and PCK
    // SGX extension, checked against the same TCB info and QE identity texts re-signed by the
    // synthetic TCB signer: every reported fact must agree, down to status and advisories.
    byte[] genuine = SgxVectors.phalaQuote();
    SgxQuote g = SgxQuote.parse(genuine);
    Collateral gc = SgxVectors.phalaCollateral();
    Instant at = DcapQuoteVerifierTest.PHALA_TIME;
    X509Certificate genuineLeaf =
        Collateral.parsePemChain(
                new String(g.certificationData(), StandardCharsets.US_ASCII).replace("\0", ""))
            .get(0);
    byte[] extension =
        JcaX509ExtensionUtils.parseExtensionValue(
                genuineLeaf.getExtensionValue(PckExtensions.SGX_EXTENSION))
            .getEncoded();
    SyntheticPki pki = SyntheticPki.create(SyntheticPki.Names.TEST, extension);
    byte[] synthetic =
        SyntheticQuote.v3(
            pki, g.qeSvn(), g.pceSvn(), g.body().raw(), g.qeReport().raw(), g.qeAuthData());
    Collateral sc =
        SyntheticCollateral.signed(
            pki,
            gc.tcbInfoJson(),
            gc.qeIdentityJson(),
            pki.rootCrl(
                Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-08-01T00:00:00Z")),
            pki.pckCrl(
                Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-08-01T00:00:00Z")));

    QuoteVerification want = SgxVectors.verifier().verify(genuine, gc, at);
    QuoteVerification got = pki.verifier().verify(synthetic, sc, at);
    assertTrue(want.valid(), want::detail);
    assertEquals(want, got);
    assertEquals("ConfigurationAndSWHardeningNeeded", got.tcbStatus());
    // Without collateral too.
    assertEquals(
        SgxVectors.verifier().verify(genuine, null, at),
        pki.verifier().verify(synthetic, null, at));
  }

  /** One synthetic platform, quote and collateral; each test changes one thing. */
  static final class Case {
    final SyntheticPki pki;
    String tcbInfo = SyntheticCollateral.tcbInfo(FMSPC, PCE_ID, ISSUED, NEXT, TCB_LEVELS);
    String qeIdentity = SyntheticCollateral.qeIdentity(ISSUED, NEXT, QE_LEVELS);
    private byte[] qeReport = SyntheticQuote.intelQeReportBody(10);
    private BigInteger[] rootRevoked = {};
    private BigInteger[] pckRevoked = {};
    private byte[] quote;

    private Case(SyntheticPki pki) {
      this.pki = pki;
    }

    static Case platform(int[] components, int pceSvn) {
      return new Case(SyntheticPki.create(new PlatformTcb(FMSPC, PCE_ID, components, pceSvn)));
    }

    Case qeSvn(int isvSvn) {
      return qeReport(SyntheticQuote.intelQeReportBody(isvSvn));
    }

    Case qeReport(byte[] body) {
      qeReport = body;
      quote = null;
      return this;
    }

    /** Signed TCB info text: the signature is always good, so only its content is judged. */
    Case tcbInfo(String json) {
      tcbInfo = json;
      return this;
    }

    Case qeIdentity(String json) {
      qeIdentity = json;
      return this;
    }

    Case rootCrlRevokes(BigInteger... serials) {
      rootRevoked = serials;
      return this;
    }

    Case pckCrlRevokes(BigInteger... serials) {
      pckRevoked = serials;
      return this;
    }

    byte[] quote() {
      if (quote == null) {
        byte[] body = SyntheticQuote.reportBody(MR_ENCLAVE, MR_SIGNER, 7, 3, 0x05, REPORT_DATA);
        quote = SyntheticQuote.v3(pki, 10, 13, body, qeReport, new byte[32]);
      }
      return quote;
    }

    Collateral collateral() {
      return SyntheticCollateral.signed(
          pki,
          tcbInfo,
          qeIdentity,
          pki.rootCrl(ISSUED, NEXT, rootRevoked),
          pki.pckCrl(ISSUED, NEXT, pckRevoked));
    }

    QuoteVerification verify() {
      return pki.verifier().verify(quote(), collateral(), AT);
    }
  }
}
