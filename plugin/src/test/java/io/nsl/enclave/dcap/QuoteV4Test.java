package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SGX quotes of version 4: the v3 facts in Intel's v4 layout (the QE's part inside a type-6
 * envelope). No genuine v4 SGX quote was available, so the layout is checked two ways: a synthetic
 * v4 quote, and Intel's own v4 signature data cut from the recorded TDX quote.
 */
class QuoteV4Test {
  private final SyntheticPkiVerifierTest.Case c =
      SyntheticPkiVerifierTest.Case.platform(SyntheticPkiVerifierTest.UP_TO_DATE, 13);
  private final byte[] body =
      SyntheticQuote.reportBody(
          SyntheticPkiVerifierTest.MR_ENCLAVE,
          SyntheticPkiVerifierTest.MR_SIGNER,
          7,
          3,
          0x05,
          SyntheticPkiVerifierTest.REPORT_DATA);
  private final byte[] v4 =
      SyntheticQuote.v4(c.pki, 10, 13, body, SyntheticQuote.intelQeReportBody(10), new byte[32]);

  private final Collateral collateral = c.collateral();
  private final DcapQuoteVerifier verifier = c.pki.verifier();

  private QuoteVerification verify(byte[] quote) {
    return verifier.verify(quote, collateral, SyntheticPkiVerifierTest.AT);
  }

  @Test
  void acceptsAV4SgxQuoteAndReportsWhatTheSameV3QuoteReports() {
    byte[] v3 =
        SyntheticQuote.v3(c.pki, 10, 13, body, SyntheticQuote.intelQeReportBody(10), new byte[32]);
    QuoteVerification four = verify(v4);
    assertTrue(four.valid(), four::detail);
    assertEquals("UpToDate", four.tcbStatus());
    assertEquals(verify(v3), four);
  }

  @Test
  void readsIntelsOwnV4SignatureData() throws Exception {
    // The recorded TDX quote is version 4; its signature data (attestation key, QE report signed
    // by a genuine PCK key, auth data, PCK chain to Intel's root) has the SGX v4 layout. Put it
    // behind an SGX header and body: every check on Intel's bytes must pass, and only the quote
    // signature (made over the TDX body, not this one) fails.
    byte[] tdx = SgxVectors.hexFile("automata-dcap-attestation/quotev4_tdx.hex");
    int tdxSigned = SgxQuote.HEADER_SIZE + 584;
    int sigLen = ByteBuffer.wrap(tdx).order(ByteOrder.LITTLE_ENDIAN).getInt(tdxSigned);
    byte[] sigData = Arrays.copyOfRange(tdx, tdxSigned, tdxSigned + 4 + sigLen);
    byte[] header = Arrays.copyOf(tdx, SgxQuote.HEADER_SIZE);
    header[4] = 0; // TEE type SGX
    byte[] spliced = SyntheticQuote.concat(header, body, sigData);

    SgxQuote parsed = SgxQuote.parse(spliced);
    assertEquals(4, parsed.version());
    assertEquals(SgxQuote.CERT_DATA_PCK_CHAIN, parsed.certificationDataType());
    QuoteVerification v =
        SgxVectors.verifier().verify(spliced, null, DcapQuoteVerifierTest.AUTOMATA_TIME);
    assertEquals(FailureReason.QUOTE_SIGNATURE_INVALID, v.reason(), v.detail());
    assertNotNull(v.fmspc());
  }

  @Test
  void rejectsAV4QuoteWithoutTheQeReportEnvelope() {
    byte[] q = v4.clone();
    q[564] = SgxQuote.CERT_DATA_PCK_CHAIN;
    QuoteVerification v = verify(q);
    assertEquals(FailureReason.UNSUPPORTED_CERTIFICATION_DATA, v.reason(), v.detail());
  }

  @ParameterizedTest(name = "{0} at {1} -> {2}")
  @CsvSource({
    "body mrenclave,            112,  QUOTE_SIGNATURE_INVALID",
    "quote signature,           436,  QUOTE_SIGNATURE_INVALID",
    "attestation key,           500,  QE_REPORT_DATA_MISMATCH",
    "envelope size,             566,  MALFORMED_QUOTE",
    "QE report mrsigner,        698,  QE_REPORT_SIGNATURE_INVALID",
    "QE report signature,       954,  QE_REPORT_SIGNATURE_INVALID",
    "QE auth data length,       1018, MALFORMED_QUOTE",
    "QE auth data,              1020, QE_REPORT_DATA_MISMATCH",
    "PCK chain type,            1052, UNSUPPORTED_CERTIFICATION_DATA",
    "PCK chain size,            1054, MALFORMED_QUOTE",
  })
  void rejectsEveryTamperedV4FieldForTheRightReason(String field, int offset, FailureReason want) {
    byte[] q = v4.clone();
    q[offset] ^= 0x01;
    QuoteVerification v = verify(q);
    assertFalse(v.valid(), field);
    assertEquals(want, v.reason(), field + ": " + v.detail());
  }

  @Test
  void rejectsEveryTruncationOfAV4QuoteAsMalformed() {
    for (int len = 0; len < v4.length; len++) {
      assertEquals(
          FailureReason.MALFORMED_QUOTE, verify(Arrays.copyOf(v4, len)).reason(), "length " + len);
    }
  }

  @Test
  void rejectsVersion5AsUnsupported() {
    byte[] q = v4.clone();
    q[0] = 5;
    assertEquals(FailureReason.UNSUPPORTED_QUOTE_VERSION, verify(q).reason());
  }
}
