package io.nsl.enclave.dcap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Verification collateral for one quote, in the shape Intel's PCCS serves it (and Phala's dcap-qvl
 * stores it): the signed TCB info and QE identity JSON texts with their signatures and issuer
 * chains, and the two CRLs.
 *
 * <p>The signatures cover the exact bytes of {@code tcbInfoJson} / {@code qeIdentityJson}, so these
 * are kept as the original text, never re-serialised.
 *
 * @param tcbInfoJson the signed TCB info object text ({@code {"id":"SGX","version":3,...}})
 * @param tcbInfoSignature 64 bytes r‖s
 * @param tcbInfoIssuerChain TCB signing certificate first, then the root (the root is ignored: the
 *     verifier's trusted root is used)
 * @param qeIdentityJson the signed enclave identity object text ({@code {"id":"QE",...}})
 * @param qeIdentitySignature 64 bytes r‖s
 * @param qeIdentityIssuerChain as tcbInfoIssuerChain
 * @param rootCaCrl DER CRL issued by the Intel SGX Root CA
 * @param pckCrl DER CRL issued by the PCK Processor or Platform CA
 * @param pckCrlIssuerChain the PCK CRL's issuer chain (PCK CA first, then the root), or empty when
 *     the collateral does not carry one; when given, the verifier checks it to the trusted root and
 *     requires its first certificate to be the quote's PCK CA
 */
public record Collateral(
    String tcbInfoJson,
    byte[] tcbInfoSignature,
    List<X509Certificate> tcbInfoIssuerChain,
    String qeIdentityJson,
    byte[] qeIdentitySignature,
    List<X509Certificate> qeIdentityIssuerChain,
    byte[] rootCaCrl,
    byte[] pckCrl,
    List<X509Certificate> pckCrlIssuerChain) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Collateral {
    Objects.requireNonNull(tcbInfoJson, "tcbInfoJson");
    Objects.requireNonNull(qeIdentityJson, "qeIdentityJson");
    tcbInfoSignature = tcbInfoSignature.clone();
    qeIdentitySignature = qeIdentitySignature.clone();
    tcbInfoIssuerChain = List.copyOf(tcbInfoIssuerChain);
    qeIdentityIssuerChain = List.copyOf(qeIdentityIssuerChain);
    rootCaCrl = rootCaCrl.clone();
    pckCrl = pckCrl.clone();
    pckCrlIssuerChain = List.copyOf(pckCrlIssuerChain);
    if (tcbInfoIssuerChain.isEmpty() || qeIdentityIssuerChain.isEmpty()) {
      throw new IllegalArgumentException("issuer chains must name at least the signing cert");
    }
  }

  /** Collateral without a PCK CRL issuer chain: the quote's PCK CA is taken as the CRL issuer. */
  public Collateral(
      String tcbInfoJson,
      byte[] tcbInfoSignature,
      List<X509Certificate> tcbInfoIssuerChain,
      String qeIdentityJson,
      byte[] qeIdentitySignature,
      List<X509Certificate> qeIdentityIssuerChain,
      byte[] rootCaCrl,
      byte[] pckCrl) {
    this(
        tcbInfoJson,
        tcbInfoSignature,
        tcbInfoIssuerChain,
        qeIdentityJson,
        qeIdentitySignature,
        qeIdentityIssuerChain,
        rootCaCrl,
        pckCrl,
        List.of());
  }

  /**
   * Reads the PCCS-style JSON object: string fields {@code tcb_info}, {@code tcb_info_signature}
   * (hex), {@code tcb_info_issuer_chain} (PEM), {@code qe_identity}, {@code qe_identity_signature},
   * {@code qe_identity_issuer_chain}, {@code root_ca_crl} (hex DER or PEM), {@code pck_crl} (hex
   * DER or PEM), and optionally {@code pck_crl_issuer_chain} (PEM; absent or empty means none).
   *
   * @throws CollateralFormatException naming the missing or malformed field
   */
  public static Collateral fromPccsJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CollateralFormatException(
          "the collateral is not JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CollateralFormatException("the collateral must be a JSON object");
    }
    return new Collateral(
        text(root, "tcb_info"),
        hex(root, "tcb_info_signature"),
        pemChain(text(root, "tcb_info_issuer_chain"), "tcb_info_issuer_chain"),
        text(root, "qe_identity"),
        hex(root, "qe_identity_signature"),
        pemChain(text(root, "qe_identity_issuer_chain"), "qe_identity_issuer_chain"),
        crl(text(root, "root_ca_crl")),
        crl(text(root, "pck_crl")),
        optionalPemChain(root, "pck_crl_issuer_chain"));
  }

  /**
   * Builds collateral from Intel PCS v3/v4 API responses: {@code {"tcbInfo":{...},"signature":
   * "hex"}} and {@code {"enclaveIdentity":{...},"signature":"hex"}}. The signed objects are cut out
   * of the response text byte for byte.
   */
  public static Collateral fromPcsResponses(
      String tcbInfoResponse,
      String qeIdentityResponse,
      List<X509Certificate> tcbSigningChain,
      byte[] rootCaCrlDer,
      byte[] pckCrlDer) {
    return new Collateral(
        RawJson.objectValue(tcbInfoResponse, "tcbInfo"),
        signatureOf(tcbInfoResponse, "tcbInfo response"),
        tcbSigningChain,
        RawJson.objectValue(qeIdentityResponse, "enclaveIdentity"),
        signatureOf(qeIdentityResponse, "enclaveIdentity response"),
        tcbSigningChain,
        rootCaCrlDer,
        pckCrlDer);
  }

  /** Parses a concatenation of PEM certificates, in order. */
  public static List<X509Certificate> parsePemChain(String pem) throws CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        cf.generateCertificates(
            new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  private static byte[] signatureOf(String response, String what) {
    try {
      JsonNode sig = JSON.readTree(response).get("signature");
      if (sig == null || !sig.isTextual()) {
        throw new CollateralFormatException(what + " has no \"signature\" string");
      }
      return HexFormat.of().parseHex(sig.asText());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new CollateralFormatException(what + " is not valid: " + e.getMessage());
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new CollateralFormatException(
          "the collateral has no \""
              + field
              + "\" string; expected the PCCS fields tcb_info,"
              + " tcb_info_signature, tcb_info_issuer_chain, qe_identity, qe_identity_signature,"
              + " qe_identity_issuer_chain, root_ca_crl, pck_crl");
    }
    return n.asText();
  }

  private static byte[] hex(JsonNode root, String field) {
    String s = text(root, field);
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new CollateralFormatException(
          "the collateral field \"" + field + "\" is not hex: " + e.getMessage());
    }
  }

  private static List<X509Certificate> pemChain(String pem, String field) {
    try {
      List<X509Certificate> chain = parsePemChain(pem);
      if (chain.isEmpty()) {
        throw new CollateralFormatException("\"" + field + "\" holds no PEM certificate");
      }
      return chain;
    } catch (CertificateException e) {
      throw new CollateralFormatException(
          "\"" + field + "\" is not a PEM certificate chain: " + e.getMessage());
    }
  }

  private static List<X509Certificate> optionalPemChain(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      return List.of();
    }
    if (!n.isTextual()) {
      throw new CollateralFormatException("\"" + field + "\" must be a PEM string");
    }
    return pemChain(n.asText(), field);
  }

  private static byte[] crl(String value) {
    String v = value.strip();
    if (v.startsWith("-----BEGIN")) {
      String b64 = v.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return java.util.Base64.getDecoder().decode(b64);
    }
    try {
      return HexFormat.of().parseHex(v);
    } catch (IllegalArgumentException e) {
      throw new CollateralFormatException("a CRL field is neither hex DER nor PEM");
    }
  }

  @Override
  public byte[] tcbInfoSignature() {
    return tcbInfoSignature.clone();
  }

  @Override
  public byte[] qeIdentitySignature() {
    return qeIdentitySignature.clone();
  }

  @Override
  public byte[] rootCaCrl() {
    return rootCaCrl.clone();
  }

  @Override
  public byte[] pckCrl() {
    return pckCrl.clone();
  }
}
