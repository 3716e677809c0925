package io.nsl.enclave.dcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A parsed SGX ECDSA quote, version 3 or version 4 with TEE type SGX (Intel SGX ECDSA Quote Library
 * Reference, "Quote Format"; Intel TDX DCAP Quote Generation Library, "Quote Format" v4). All
 * integers are little-endian.
 *
 * <pre>
 *   0  header (48): version u16, att_key_type u16, tee_type u32, qe_svn u16, pce_svn u16,
 *                   qe_vendor_id 16, user_data 20
 *  48  ISV enclave report body (384)
 * 432  signature data length u32
 * 436  v3: signature r‖s (64) | attestation key x‖y (64) | QE report body (384) | QE report
 *          signature r‖s (64) | QE auth data size u16 + data | certification data type u16,
 *          size u32, data (type 5: PEM PCK chain, leaf first)
 *      v4: signature r‖s (64) | attestation key x‖y (64) | certification data type u16 (6: QE
 *          report certification data), size u32, data = [QE report body (384) | QE report
 *          signature (64) | QE auth data size u16 + data | certification data type u16, size
 *          u32, data (type 5)]
 * </pre>
 *
 * The two versions carry the same facts; v4 only wraps the QE's part in a type-6 envelope. The
 * signed bytes are header ‖ report body in both. Parsing checks structure only; {@link
 * DcapQuoteVerifier} checks meaning.
 */
public record SgxQuote(
    int version,
    int attestationKeyType,
    long teeType,
    int qeSvn,
    int pceSvn,
    byte[] qeVendorId,
    EnclaveReportBody body,
    byte[] signature,
    byte[] attestationKey,
    EnclaveReportBody qeReport,
    byte[] qeReportSignature,
    byte[] qeAuthData,
    int certificationDataType,
    byte[] certificationData,
    byte[] signedBytes) {

  public static final int HEADER_SIZE = 48;
  public static final int SIGNED_SIZE = HEADER_SIZE + EnclaveReportBody.SIZE;
  public static final long TEE_TYPE_SGX = 0x00;
  public static final long TEE_TYPE_TDX = 0x81;
  public static final int ATT_KEY_ECDSA_P256 = 2;
  public static final int CERT_DATA_PCK_CHAIN = 5;

  /** Version 4's envelope around QE report, its signature, auth data and the PCK chain. */
  public static final int CERT_DATA_QE_REPORT = 6;

  /** Intel's QE vendor id, 939A7233-F79C-4CA9-940A-0DB3957F0607. */
  public static final byte[] INTEL_QE_VENDOR_ID =
      HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607");

  public SgxQuote {
    qeVendorId = qeVendorId.clone();
    signature = signature.clone();
    attestationKey = attestationKey.clone();
    qeReportSignature = qeReportSignature.clone();
    qeAuthData = qeAuthData.clone();
    certificationData = certificationData.clone();
    signedBytes = signedBytes.clone();
  }

  /**
   * Parses {@code bytes}.
   *
   * @throws QuoteRejectedException with {@link FailureReason#MALFORMED_QUOTE}, {@link
   *     FailureReason#UNSUPPORTED_QUOTE_VERSION}, {@link FailureReason#TDX_QUOTE_NOT_SUPPORTED}, or
   *     (version 4 without a type-6 envelope) {@link FailureReason#UNSUPPORTED_CERTIFICATION_DATA}
   */
  static SgxQuote parse(byte[] bytes) throws QuoteRejectedException {
    if (bytes == null || bytes.length < 8) {
      throw malformed(
          "the file is "
              + (bytes == null ? 0 : bytes.length)
              + " bytes; a quote starts with a"
              + " 48-byte header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int version = Short.toUnsignedInt(in.getShort());
    int attKeyType = Short.toUnsignedInt(in.getShort());
    long teeType = Integer.toUnsignedLong(in.getInt());
    if (version == 4 && teeType == TEE_TYPE_TDX || version == 5) {
      if (teeType == TEE_TYPE_TDX) {
        throw new QuoteRejectedException(
            FailureReason.TDX_QUOTE_NOT_SUPPORTED,
            "this is a TDX quote (version "
                + version
                + ", TEE type 0x81); NSL verifies SGX"
                + " enclave quotes (version 3, and version 4 with TEE type SGX) only");
      }
      throw new QuoteRejectedException(
          FailureReason.UNSUPPORTED_QUOTE_VERSION,
          "quote version "
              + version
              + " is not supported; NSL verifies SGX quote versions 3"
              + " and 4");
    }
    if (version != 3 && version != 4) {
      throw new QuoteRejectedException(
          FailureReason.UNSUPPORTED_QUOTE_VERSION,
          "quote version "
              + version
              + " is not supported (expected 3 or 4); is this an SGX DCAP"
              + " quote?");
    }
    require(bytes.length >= SIGNED_SIZE + 4, bytes.length, SIGNED_SIZE + 4, "header + report body");
    int qeSvn = Short.toUnsignedInt(in.getShort());
    int pceSvn = Short.toUnsignedInt(in.getShort());
    byte[] vendor = take(in, 16);
    in.position(HEADER_SIZE);
    EnclaveReportBody body = new EnclaveReportBody(take(in, EnclaveReportBody.SIZE));
    long sigLen = Integer.toUnsignedLong(in.getInt());
    if (sigLen != bytes.length - (SIGNED_SIZE + 4)) {
      throw malformed(
          "the signature data length field says "
              + sigLen
              + " bytes but "
              + (bytes.length - (SIGNED_SIZE + 4))
              + " follow it (truncated or padded file)");
    }
    require(in.remaining() >= 128, bytes.length, in.position() + 128, "signature data");
    byte[] sig = take(in, 64);
    byte[] attKey = take(in, 64);
    if (version == 4) {
      require(
          in.remaining() >= 6,
          bytes.length,
          in.position() + 6,
          "QE report certification data header");
      int outerType = Short.toUnsignedInt(in.getShort());
      long outerLen = Integer.toUnsignedLong(in.getInt());
      if (outerType != CERT_DATA_QE_REPORT) {
        throw new QuoteRejectedException(
            FailureReason.UNSUPPORTED_CERTIFICATION_DATA,
            "a version 4 quote's certification data type is "
                + outerType
                + ", not 6 (QE report certification data)");
      }
      if (outerLen != in.remaining()) {
        throw malformed(
            "the QE report certification data size field says "
                + outerLen
                + " bytes but "
                + in.remaining()
                + " remain");
      }
    }
    int fixed = EnclaveReportBody.SIZE + 64 + 2;
    require(in.remaining() >= fixed, bytes.length, in.position() + fixed, "QE report");
    EnclaveReportBody qeReport = new EnclaveReportBody(take(in, EnclaveReportBody.SIZE));
    byte[] qeSig = take(in, 64);
    int authLen = Short.toUnsignedInt(in.getShort());
    require(
        in.remaining() >= authLen + 6,
        bytes.length,
        in.position() + authLen + 6,
        "QE auth data and certification data header");
    byte[] auth = take(in, authLen);
    int certType = Short.toUnsignedInt(in.getShort());
    long certLen = Integer.toUnsignedLong(in.getInt());
    if (certLen != in.remaining()) {
      throw malformed(
          "the certification data size field says "
              + certLen
              + " bytes but "
              + in.remaining()
              + " remain");
    }
    byte[] cert = take(in, (int) certLen);
    return new SgxQuote(
        version,
        attKeyType,
        teeType,
        qeSvn,
        pceSvn,
        vendor,
        body,
        sig,
        attKey,
        qeReport,
        qeSig,
        auth,
        certType,
        cert,
        Arrays.copyOfRange(bytes, 0, SIGNED_SIZE));
  }

  private static void require(boolean ok, int have, int need, String what)
      throws QuoteRejectedException {
    if (!ok) {
      throw malformed(
          "the quote is truncated: " + what + " needs " + need + " bytes, the file has " + have);
    }
  }

  private static QuoteRejectedException malformed(String detail) {
    return new QuoteRejectedException(FailureReason.MALFORMED_QUOTE, detail);
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  @Override
  public byte[] qeVendorId() {
    return qeVendorId.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] attestationKey() {
    return attestationKey.clone();
  }

  @Override
  public byte[] qeReportSignature() {
    return qeReportSignature.clone();
  }

  @Override
  public byte[] qeAuthData() {
    return qeAuthData.clone();
  }

  @Override
  public byte[] certificationData() {
    return certificationData.clone();
  }

  @Override
  public byte[] signedBytes() {
    return signedBytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SgxQuote q
        && Arrays.equals(q.signedBytes, signedBytes)
        && Arrays.equals(q.signature, signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signedBytes);
  }

  @Override
  public String toString() {
    return "SgxQuote[v" + version + ", " + body + "]";
  }
}
