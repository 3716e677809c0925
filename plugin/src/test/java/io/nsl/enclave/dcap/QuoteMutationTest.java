package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tampering with every field class of a genuine quote (Phala's) and its collateral: each must be
 * refused, for the right reason.
 */
class QuoteMutationTest {
  private static final Instant AT = DcapQuoteVerifierTest.PHALA_TIME;
  private final DcapQuoteVerifier verifier = SgxVectors.verifier();
  private final byte[] quote = SgxVectors.phalaQuote();

  private QuoteVerification verify(byte[] q) {
    return verifier.verify(q, SgxVectors.phalaCollateral(), AT);
  }

  private static byte[] flip(byte[] q, int offset) {
    byte[] c = q.clone();
    c[offset] ^= 0x01;
    return c;
  }

  @Test
  void genuineQuoteIsTheBaseline() {
    assertTrue(verify(quote).valid());
  }

  @ParameterizedTest(name = "{0} at {1} -> {2}")
  @CsvSource({
    "header qe_svn,            8,    QUOTE_SIGNATURE_INVALID",
    "header pce_svn,           10,   QUOTE_SIGNATURE_INVALID",
    "header user_data,         40,   QUOTE_SIGNATURE_INVALID",
    "body cpusvn,              48,   QUOTE_SIGNATURE_INVALID",
    "body miscselect,          64,   QUOTE_SIGNATURE_INVALID",
    "body attributes,          96,   QUOTE_SIGNATURE_INVALID",
    "body mrenclave,           112,  QUOTE_SIGNATURE_INVALID",
    "body mrsigner,            176,  QUOTE_SIGNATURE_INVALID",
    "body isvprodid,           304,  QUOTE_SIGNATURE_INVALID",
    "body isvsvn,              306,  QUOTE_SIGNATURE_INVALID",
    "body report_data,         368,  QUOTE_SIGNATURE_INVALID",
    "quote signature r,        436,  QUOTE_SIGNATURE_INVALID",
    "quote signature s,        499,  QUOTE_SIGNATURE_INVALID",
    "attestation key,          500,  QE_REPORT_DATA_MISMATCH",
    "QE report cpusvn,         564,  QE_REPORT_SIGNATURE_INVALID",
    "QE report mrsigner,       692,  QE_REPORT_SIGNATURE_INVALID",
    "QE report report_data,    884,  QE_REPORT_SIGNATURE_INVALID",
    "QE report signature,      948,  QE_REPORT_SIGNATURE_INVALID",
    "QE auth data,             1014, QE_REPORT_DATA_MISMATCH",
    "version,                  0,    UNSUPPORTED_QUOTE_VERSION",
    "attestation key type,     2,    UNSUPPORTED_ATTESTATION_KEY_TYPE",
    "tee type,                 4,    TDX_QUOTE_NOT_SUPPORTED",
    "QE vendor id,             12,   UNSUPPORTED_QE_VENDOR",
    "certification data type,  1046, UNSUPPORTED_CERTIFICATION_DATA",
    "signature data length,    432,  MALFORMED_QUOTE",
    "QE auth data length,      1012, MALFORMED_QUOTE",
    "certification data size,  1048, MALFORMED_QUOTE",
  })
  void rejectsEveryTamperedFieldForTheRightReason(String field, int offset, FailureReason want) {
    QuoteVerification v = verify(flip(quote, offset));
    assertFalse(v.valid(), field);
    assertEquals(want, v.reason(), field + ": " + v.detail());
  }

  @Test
  void rejectsEveryTruncationAsMalformed() {
    for (int len = 0; len < quote.length; len++) {
      QuoteVerification v = verify(Arrays.copyOf(quote, len));
      assertEquals(FailureReason.MALFORMED_QUOTE, v.reason(), "length " + len);
    }
  }

  @Test
  void rejectsTrailingBytesAsMalformed() {
    assertEquals(
        FailureReason.MALFORMED_QUOTE, verify(Arrays.copyOf(quote, quote.length + 1)).reason());
  }

  @Test
  void rejectsAPckLeafWithAlteredContent() throws Exception {
    List<X509Certificate> chain = chainOf(quote);
    byte[] leaf = chain.get(0).getEncoded();
    // Byte 15 lies in the serial number inside tbsCertificate: still parses, signature breaks.
    leaf[15] ^= 0x01;
    byte[] q = withCertData(quote, pem(leaf, chain.get(1).getEncoded(), chain.get(2).getEncoded()));
    assertEquals(FailureReason.CHAIN_UNTRUSTED, verify(q).reason());
  }

  @Test
  void rejectsAChainEndingInAnotherRoot() throws Exception {
    List<X509Certificate> chain = chainOf(quote);
    X509Certificate fake = selfSigned("CN=Intel SGX Root CA, O=Intel Corporation");
    byte[] q =
        withCertData(
            quote, pem(chain.get(0).getEncoded(), chain.get(1).getEncoded(), fake.getEncoded()));
    QuoteVerification v = verify(q);
    assertEquals(FailureReason.CHAIN_UNTRUSTED, v.reason(), v.detail());
  }

  @Test
  void rejectsEverythingWhenAnotherRootIsTrusted() throws Exception {
    DcapQuoteVerifier other = new DcapQuoteVerifier(selfSigned("CN=Someone Else"));
    assertEquals(FailureReason.CHAIN_UNTRUSTED, other.verify(quote, null, AT).reason());
  }

  @Test
  void rejectsAChainWithTheLeafMissing() throws Exception {
    List<X509Certificate> chain = chainOf(quote);
    byte[] q = withCertData(quote, pem(chain.get(1).getEncoded(), chain.get(2).getEncoded()));
    assertEquals(FailureReason.PCK_CHAIN_MALFORMED, verify(q).reason());
  }

  @Test
  void rejectsGarbageCertificationData() {
    byte[] q =
        withCertData(
            quote,
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertEquals(FailureReason.PCK_CHAIN_MALFORMED, verify(q).reason());
  }

  // ---- collateral ----

  private QuoteVerification withCollateralField(String field, String value) throws Exception {
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(SgxVectors.phalaCollateralJson());
    c.put(field, value);
    return verifier.verify(quote, Collateral.fromPccsJson(c.toString()), AT);
  }

  private static String collateralField(String field) throws Exception {
    return new ObjectMapper().readTree(SgxVectors.phalaCollateralJson()).get(field).asText();
  }

  @Test
  void rejectsTcbInfoWithOneCharacterChanged() throws Exception {
    String t = collateralField("tcb_info").replace("\"pcesvn\":13", "\"pcesvn\":12");
    assertEquals(
        FailureReason.TCB_INFO_SIGNATURE_INVALID, withCollateralField("tcb_info", t).reason());
  }

  @Test
  void rejectsTcbInfoSignatureChanged() throws Exception {
    assertEquals(
        FailureReason.TCB_INFO_SIGNATURE_INVALID,
        withCollateralField("tcb_info_signature", flipHex(collateralField("tcb_info_signature")))
            .reason());
  }

  @Test
  void rejectsQeIdentityWithOneCharacterChanged() throws Exception {
    String t = collateralField("qe_identity").replace("\"isvprodid\":1", "\"isvprodid\":2");
    assertEquals(
        FailureReason.QE_IDENTITY_SIGNATURE_INVALID,
        withCollateralField("qe_identity", t).reason());
  }

  @Test
  void rejectsQeIdentitySignatureChanged() throws Exception {
    assertEquals(
        FailureReason.QE_IDENTITY_SIGNATURE_INVALID,
        withCollateralField(
                "qe_identity_signature", flipHex(collateralField("qe_identity_signature")))
            .reason());
  }

  @Test
  void rejectsTamperedCrls() throws Exception {
    for (String f : new String[] {"root_ca_crl", "pck_crl"}) {
      String hex = collateralField(f);
      // Flip a byte near the end: inside the signature, so the CRL still parses.
      String tampered =
          flipHex(hex.substring(0, hex.length() - 8)) + hex.substring(hex.length() - 8);
      QuoteVerification v = withCollateralField(f, tampered);
      assertEquals(FailureReason.CRL_INVALID, v.reason(), f + ": " + v.detail());
    }
  }

  @Test
  void rejectsCrlsFromTheWrongIssuer() throws Exception {
    QuoteVerification v = withCollateralField("pck_crl", collateralField("root_ca_crl"));
    assertEquals(FailureReason.CRL_INVALID, v.reason());
    assertTrue(v.detail().contains("issued by"), v.detail());
  }

  @Test
  void rejectsTcbSigningCertificateNotFromTheRoot() throws Exception {
    X509Certificate fake = selfSigned("CN=Intel SGX TCB Signing");
    String pem = new String(pem(fake.getEncoded()), StandardCharsets.US_ASCII);
    assertEquals(
        FailureReason.CHAIN_UNTRUSTED, withCollateralField("tcb_info_issuer_chain", pem).reason());
    assertEquals(
        FailureReason.CHAIN_UNTRUSTED,
        withCollateralField("qe_identity_issuer_chain", pem).reason());
  }

  @Test
  void rejectsTcbInfoForAnotherPlatform() throws Exception {
    // Automata's TCB info is genuine and signed by the same TCB signing key, but for FMSPC
    // 00606a000000, not this platform's 00a067110000.
    String response = SgxVectors.text("automata-dcap-attestation/sgx_tcbinfov3_00606a000000.json");
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(SgxVectors.phalaCollateralJson());
    c.put("tcb_info", RawJson.objectValue(response, "tcbInfo"));
    c.put("tcb_info_signature", new ObjectMapper().readTree(response).get("signature").asText());
    QuoteVerification v = verifier.verify(quote, Collateral.fromPccsJson(c.toString()), AT);
    assertEquals(FailureReason.TCB_INFO_MISMATCH, v.reason(), v.detail());
  }

  @Test
  void rejectsCollateralThatIsNotPccsJson() {
    for (String bad : new String[] {"", "[]", "{}", "{\"tcb_info\": 5}", "not json"}) {
      CollateralFormatException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CollateralFormatException.class, () -> Collateral.fromPccsJson(bad));
      assertEquals("COLLATERAL_FORMAT", e.code());
    }
  }

  // ---- helpers ----

  private static String flipHex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    b[b.length - 1] ^= 0x01;
    return HexFormat.of().formatHex(b);
  }

  private static List<X509Certificate> chainOf(byte[] q) throws Exception {
    SgxQuote parsed = SgxQuote.parse(q);
    byte[] data = parsed.certificationData();
    int end = data.length;
    while (end > 0 && data[end - 1] == 0) {
      end--;
    }
    return Collateral.parsePemChain(new String(data, 0, end, StandardCharsets.US_ASCII));
  }

  static byte[] pem(byte[]... ders) {
    StringBuilder sb = new StringBuilder();
    for (byte[] der : ders) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(
              Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(der))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The quote with its certification data replaced and both length fields updated. */
  static byte[] withCertData(byte[] q, byte[] certData) {
    ByteBuffer in = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN);
    int authLen = Short.toUnsignedInt(in.getShort(1012));
    int certHeader = 1014 + authLen;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q, 0, certHeader + 2);
    ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    tail.putInt(certData.length);
    out.writeBytes(tail.array());
    out.writeBytes(certData);
    byte[] r = out.toByteArray();
    ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).putInt(432, r.length - 436);
    return r;
  }

  static X509Certificate selfSigned(String dn) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name(dn);
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(Instant.parse("2018-01-01T00:00:00Z")),
            Date.from(Instant.parse("2049-12-31T00:00:00Z")),
            name,
            kp.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }
}
