package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the verifier on synthetic v3 and v4 quotes: it never throws, and no single bit flip
 * in the part of a quote that signatures or the QE report_data cover is accepted.
 */
class QuoteProperties {
  private static final Instant AT = SyntheticPkiVerifierTest.AT;
  private static final SyntheticPkiVerifierTest.Case CASE =
      SyntheticPkiVerifierTest.Case.platform(SyntheticPkiVerifierTest.UP_TO_DATE, 13);
  private static final Collateral COLLATERAL = CASE.collateral();
  private static final DcapQuoteVerifier VERIFIER = CASE.pki.verifier();
  private static final byte[] BODY =
      SyntheticQuote.reportBody(
          SyntheticPkiVerifierTest.MR_ENCLAVE,
          SyntheticPkiVerifierTest.MR_SIGNER,
          7,
          3,
          0x05,
          SyntheticPkiVerifierTest.REPORT_DATA);
  private static final byte[] V3 =
      SyntheticQuote.v3(CASE.pki, 10, 13, BODY, SyntheticQuote.intelQeReportBody(10), new byte[32]);
  private static final byte[] V4 =
      SyntheticQuote.v4(CASE.pki, 10, 13, BODY, SyntheticQuote.intelQeReportBody(10), new byte[32]);

  /**
   * Everything before the PEM text: header, body, lengths, signature, attestation key, envelope, QE
   * report, its signature, auth data and the certification data header. (The PEM text itself is
   * checked by certificate signatures, but a flip in its line breaks may leave the same
   * certificates.)
   */
  private static int covered(byte[] quote) {
    int qeReport = quote == V4 ? 570 : 564;
    int authLen =
        ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN).getShort(qeReport + 384 + 64);
    return qeReport + 384 + 64 + 2 + authLen + 6;
  }

  @Property(tries = 400, seed = "20261201")
  void noSingleBitFlipInTheCoveredPartIsAccepted(
      @ForAll("versions") int version,
      @ForAll @IntRange(min = 0, max = 1 << 20) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] quote = version == 3 ? V3 : V4;
    byte[] q = quote.clone();
    int offset = where % covered(quote);
    q[offset] ^= (byte) (1 << bit);
    QuoteVerification v = VERIFIER.verify(q, COLLATERAL, AT);
    assertFalse(v.valid(), "v" + version + " flip at " + offset + " bit " + bit);
    assertNotNull(v.reason());
  }

  @Property(tries = 300, seed = "20261202")
  void arbitraryBytesNeverThrowAndAreNeverValid(@ForAll @Size(max = 6000) byte[] bytes) {
    QuoteVerification v = VERIFIER.verify(bytes, COLLATERAL, AT);
    assertFalse(v.valid());
    assertNotNull(v.reason());
  }

  @Property(tries = 200, seed = "20261203")
  void arbitrarySignatureDataBehindAValidHeaderNeverThrows(
      @ForAll("versions") int version, @ForAll @Size(max = 5000) byte[] tail) {
    byte[] quote = version == 3 ? V3 : V4;
    byte[] q =
        SyntheticQuote.concat(
            java.util.Arrays.copyOf(quote, SgxQuote.SIGNED_SIZE),
            SyntheticQuote.u32(tail.length),
            tail);
    QuoteVerification v = VERIFIER.verify(q, COLLATERAL, AT);
    assertFalse(v.valid());
    assertNotNull(v.reason());
  }

  @Property(tries = 1)
  void theUnflippedQuotesAreValid(@ForAll("versions") int version) {
    assertTrue(VERIFIER.verify(version == 3 ? V3 : V4, COLLATERAL, AT).valid());
  }

  @Provide
  Arbitrary<Integer> versions() {
    return Arbitraries.of(3, 4);
  }
}
