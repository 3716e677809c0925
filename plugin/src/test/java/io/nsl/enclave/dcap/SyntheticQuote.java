package io.nsl.enclave.dcap;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds SGX ECDSA quotes signed by a {@link SyntheticPki}, following the checks of {@link
 * DcapQuoteVerifier}: a fresh attestation key signs header ‖ report body; the QE report's
 * report_data is SHA-256(attestation key ‖ QE auth data) ‖ 0³²; the PCK leaf key signs the QE
 * report; the certification data (type 5) is the PEM chain leaf, PCK CA, root.
 */
final class SyntheticQuote {
  private SyntheticQuote() {}

  /** Intel's quoting enclave signer (public; from Intel's QE identity). */
  static final String INTEL_QE_MRSIGNER =
      "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff";

  /** An ISV enclave report body (384 bytes) with the fields the verifier reports. */
  static byte[] reportBody(
      byte[] mrEnclave, byte[] mrSigner, int isvProdId, int isvSvn, long flags, byte[] reportData) {
    ByteBuffer b = ByteBuffer.allocate(EnclaveReportBody.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, new byte[] {12, 12, 3, 3, (byte) 255, 1, 13}); // cpusvn
    b.putLong(48, flags);
    b.putLong(56, 0xe7L); // xfrm
    b.put(64, mrEnclave);
    b.put(128, mrSigner);
    b.putShort(256, (short) isvProdId);
    b.putShort(258, (short) isvSvn);
    b.put(320, reportData);
    return b.array();
  }

  /** A quoting enclave's report body; report_data is filled in by {@link #v3}. */
  static byte[] qeReportBody(
      String mrSignerHex, int isvProdId, int isvSvn, long flags, long miscSelect) {
    ByteBuffer b = ByteBuffer.allocate(EnclaveReportBody.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(16, (int) miscSelect);
    b.putLong(48, flags);
    b.putLong(56, 0xe7L);
    b.put(64, sha256("NSL test QE".getBytes(StandardCharsets.US_ASCII)));
    b.put(128, HexFormat.of().parseHex(mrSignerHex));
    b.putShort(256, (short) isvProdId);
    b.putShort(258, (short) isvSvn);
    return b.array();
  }

  /** Intel's production QE: ISVPRODID 1, attributes flags 0x11 (INIT | MODE64BIT), misc 0. */
  static byte[] intelQeReportBody(int isvSvn) {
    return qeReportBody(INTEL_QE_MRSIGNER, 1, isvSvn, 0x11, 0);
  }

  /** A version 3 quote over {@code body}, signed through {@code pki}. */
  static byte[] v3(
      SyntheticPki pki, int qeSvn, int pceSvn, byte[] body, byte[] qeReport, byte[] qeAuthData) {
    return build(3, pki, qeSvn, pceSvn, body, qeReport, qeAuthData);
  }

  /**
   * A version 4 SGX quote: the same header (version 4) and body, and the QE's part (QE report, its
   * signature, auth data, PCK chain) wrapped in certification data of type 6.
   */
  static byte[] v4(
      SyntheticPki pki, int qeSvn, int pceSvn, byte[] body, byte[] qeReport, byte[] qeAuthData) {
    return build(4, pki, qeSvn, pceSvn, body, qeReport, qeAuthData);
  }

  private static byte[] build(
      int version,
      SyntheticPki pki,
      int qeSvn,
      int pceSvn,
      byte[] body,
      byte[] qeReport,
      byte[] qeAuthData) {
    KeyPair attestationKey = SyntheticPki.p256();
    byte[] attKey = rawPoint((ECPublicKey) attestationKey.getPublic());
    byte[] signed = concat(header(version, qeSvn, pceSvn), body);
    byte[] qe = boundQeReport(qeReport, attKey, qeAuthData);
    byte[] pem = pem(pki.pckChain());
    byte[] qePart =
        concat(
            qe,
            pki.signWithPckKey(qe),
            u16(qeAuthData.length),
            qeAuthData,
            u16(SgxQuote.CERT_DATA_PCK_CHAIN),
            u32(pem.length),
            pem);
    byte[] keyPart = concat(SyntheticPki.signP1363(attestationKey.getPrivate(), signed), attKey);
    byte[] sig =
        version == 3
            ? concat(keyPart, qePart)
            : concat(keyPart, u16(SgxQuote.CERT_DATA_QE_REPORT), u32(qePart.length), qePart);
    return concat(signed, u32(sig.length), sig);
  }

  /** The QE report with report_data = SHA-256(attestation key ‖ auth data) ‖ 0³². */
  static byte[] boundQeReport(byte[] qeReport, byte[] attKey, byte[] qeAuthData) {
    byte[] qe = qeReport.clone();
    byte[] hash = sha256(concat(attKey, qeAuthData));
    Arrays.fill(qe, 320, 384, (byte) 0);
    System.arraycopy(hash, 0, qe, 320, 32);
    return qe;
  }

  static byte[] header(int version, int qeSvn, int pceSvn) {
    ByteBuffer h = ByteBuffer.allocate(SgxQuote.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort((short) version);
    h.putShort((short) SgxQuote.ATT_KEY_ECDSA_P256);
    h.putInt((int) SgxQuote.TEE_TYPE_SGX);
    h.putShort((short) qeSvn);
    h.putShort((short) pceSvn);
    h.put(SgxQuote.INTEL_QE_VENDOR_ID);
    h.put("NSL synthetic quote.".getBytes(StandardCharsets.US_ASCII)); // user data, 20 bytes
    return h.array();
  }

  static byte[] rawPoint(ECPublicKey key) {
    return concat(fixed32(key.getW().getAffineX()), fixed32(key.getW().getAffineY()));
  }

  static byte[] pem(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : chain) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] u16(int v) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
  }

  static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] fixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }
}
