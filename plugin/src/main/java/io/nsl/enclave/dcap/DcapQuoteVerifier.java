package io.nsl.enclave.dcap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies Intel SGX DCAP ECDSA quotes (version 3, and version 4 with TEE type SGX) against a
 * trusted Intel SGX Root CA, following the checks of Intel's Quote Verification Library:
 *
 * <ol>
 *   <li>structure, quote version 3 or 4, TEE type SGX, attestation key type ECDSA-P256, Intel QE
 *       vendor, certification data type 5 (in v4, inside the type-6 QE report envelope);
 *   <li>the PCK chain in the quote ends in the trusted root, each certificate valid at {@code at};
 *   <li>the QE report is signed by the PCK leaf key;
 *   <li>the QE report_data is SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes;
 *   <li>the quote (header ‖ report body) is signed by the attestation key;
 *   <li>given collateral: both CRLs are signed by their CA and current, no chain certificate is
 *       revoked, and the PCK CRL issuer chain (when the collateral carries one) leads from the
 *       quote's PCK CA to the trusted root; TCB info and QE identity are signed by a TCB signing
 *       certificate issued by the root, current, for this FMSPC/PCE id; the platform TCB (from the
 *       PCK certificate's SGX extension) and the QE's ISVSVN are matched to TCB levels and the
 *       statuses converged.
 * </ol>
 *
 * Policy (DEBUG enclaves, expected MRENCLAVE, acceptable TCB statuses) is {@link
 * AttestationPolicy}'s job, not this class's.
 *
 * <p>Thread-safe and stateless apart from the trusted root. Never throws for a bad quote or bad
 * collateral: every failure is a {@link QuoteVerification} with a {@link FailureReason}.
 *
 * <p>Why one long file rather than several: the checks run in the order of Intel's verification
 * (quote, QE report, PCK chain, collateral, TCB, QE identity) over one parsed quote, and the
 * contract's verifier and {@code testdata/dcap-cases.json} follow that order reason by reason;
 * split, the order would be spread over files.
 */
public final class DcapQuoteVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ECParameterSpec P256 = p256();

  private final X509Certificate trustedRoot;

  /**
   * @param trustedRoot the Intel SGX Root CA certificate (SHA-256 of its DER:
   *     44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3)
   */
  public DcapQuoteVerifier(X509Certificate trustedRoot) {
    this.trustedRoot = Objects.requireNonNull(trustedRoot, "trustedRoot");
  }

  /** A verifier trusting the Intel SGX Root CA bundled with NSL. */
  public static DcapQuoteVerifier withIntelRoot() {
    try (var in = DcapQuoteVerifier.class.getResourceAsStream("intel_sgx_root_ca.pem")) {
      if (in == null) {
        throw new IllegalStateException("the bundled Intel SGX Root CA is missing from the jar");
      }
      return new DcapQuoteVerifier(
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("the bundled Intel SGX Root CA cannot be read", e);
    }
  }

  /** The root this verifier trusts. */
  public X509Certificate trustedRoot() {
    return trustedRoot;
  }

  /**
   * Verifies {@code quoteBytes}.
   *
   * @param collateral TCB info, QE identity and CRLs; null to check only the quote's own chain and
   *     signatures ({@code collateralChecked} is then false and tcbStatus null)
   * @param at the time certificates, CRLs and collateral must be valid at
   */
  public QuoteVerification verify(byte[] quoteBytes, Collateral collateral, Instant at) {
    Objects.requireNonNull(at, "at");
    SgxQuote quote;
    try {
      quote = SgxQuote.parse(quoteBytes);
    } catch (QuoteRejectedException e) {
      return QuoteVerification.rejected(e.reason(), e.getMessage(), at);
    }
    Facts facts = new Facts(quote.body(), at);
    try {
      checkQuote(quote, collateral, at, facts);
      return facts.valid(collateral != null);
    } catch (QuoteRejectedException e) {
      return facts.invalid(e.reason(), e.getMessage(), collateral != null);
    }
  }

  private void checkQuote(SgxQuote quote, Collateral collateral, Instant at, Facts facts)
      throws QuoteRejectedException {
    if (quote.teeType() != SgxQuote.TEE_TYPE_SGX) {
      throw reject(
          FailureReason.TDX_QUOTE_NOT_SUPPORTED,
          String.format("TEE type 0x%x is not SGX (0x0)", quote.teeType()));
    }
    if (quote.attestationKeyType() != SgxQuote.ATT_KEY_ECDSA_P256) {
      throw reject(
          FailureReason.UNSUPPORTED_ATTESTATION_KEY_TYPE,
          "attestation key type "
              + quote.attestationKeyType()
              + " is not 2 (ECDSA-256-with-P-256)");
    }
    if (!Arrays.equals(quote.qeVendorId(), SgxQuote.INTEL_QE_VENDOR_ID)) {
      throw reject(
          FailureReason.UNSUPPORTED_QE_VENDOR,
          "QE vendor id "
              + hex(quote.qeVendorId())
              + " is not Intel's "
              + hex(SgxQuote.INTEL_QE_VENDOR_ID));
    }
    if (quote.certificationDataType() != SgxQuote.CERT_DATA_PCK_CHAIN) {
      throw reject(
          FailureReason.UNSUPPORTED_CERTIFICATION_DATA,
          "certification data type "
              + quote.certificationDataType()
              + " is not 5 (PCK certificate chain); fetch the PCK chain into the quote (PCCS)");
    }

    // 2. PCK chain.
    List<X509Certificate> chain = pckChain(quote.certificationData());
    X509Certificate leaf = chain.get(0);
    X509Certificate pckCa = chain.get(1);
    checkChain(chain, at, "PCK");
    PckExtensions pck = PckExtensions.of(leaf);
    facts.fmspc = hex(pck.fmspc());

    // 3. QE report signed by the PCK key.
    if (!verifyP1363(leaf.getPublicKey(), quote.qeReport().raw(), quote.qeReportSignature())) {
      throw reject(
          FailureReason.QE_REPORT_SIGNATURE_INVALID,
          "the QE report signature does not verify with the PCK certificate's key");
    }
    // 4. QE report_data binds the attestation key.
    byte[] expected = new byte[64];
    MessageDigest sha = sha256();
    sha.update(quote.attestationKey());
    sha.update(quote.qeAuthData());
    System.arraycopy(sha.digest(), 0, expected, 0, 32);
    if (!MessageDigest.isEqual(expected, quote.qeReport().reportData())) {
      throw reject(
          FailureReason.QE_REPORT_DATA_MISMATCH,
          "the QE report_data is not SHA-256(attestation key || QE auth data) || 0^32: the"
              + " attestation key was not produced by this quoting enclave");
    }
    // 5. The quote signature.
    PublicKey attKey;
    try {
      attKey = rawP256(quote.attestationKey());
    } catch (GeneralSecurityException e) {
      throw reject(
          FailureReason.QUOTE_SIGNATURE_INVALID,
          "the attestation key is not a P-256 point: " + e.getMessage());
    }
    if (!verifyP1363(attKey, quote.signedBytes(), quote.signature())) {
      throw reject(
          FailureReason.QUOTE_SIGNATURE_INVALID,
          "the quote signature over header and report body does not verify with the attestation"
              + " key: the quote was altered");
    }
    if (collateral == null) {
      return;
    }

    // 6. Collateral: CRLs first, since they decide whether the chains may be used at all.
    X509CRL rootCrl = crl(collateral.rootCaCrl(), trustedRoot, at, "root CA CRL");
    pckCrlIssuer(collateral.pckCrlIssuerChain(), pckCa, at, rootCrl);
    X509CRL pckCrl = crl(collateral.pckCrl(), pckCa, at, "PCK CRL");
    notRevoked(rootCrl, pckCa, "PCK CA");
    notRevoked(pckCrl, leaf, "PCK certificate");

    X509Certificate tcbSigner = collateral.tcbInfoIssuerChain().get(0);
    checkSigner(tcbSigner, at, rootCrl, "TCB info");
    if (!verifyP1363(
        tcbSigner.getPublicKey(),
        collateral.tcbInfoJson().getBytes(StandardCharsets.UTF_8),
        collateral.tcbInfoSignature())) {
      throw reject(
          FailureReason.TCB_INFO_SIGNATURE_INVALID,
          "the TCB info signature does not verify with the TCB signing certificate");
    }
    X509Certificate qeSigner = collateral.qeIdentityIssuerChain().get(0);
    checkSigner(qeSigner, at, rootCrl, "QE identity");
    if (!verifyP1363(
        qeSigner.getPublicKey(),
        collateral.qeIdentityJson().getBytes(StandardCharsets.UTF_8),
        collateral.qeIdentitySignature())) {
      throw reject(
          FailureReason.QE_IDENTITY_SIGNATURE_INVALID,
          "the QE identity signature does not verify with the TCB signing certificate");
    }
    TcbLevel platform = platformLevel(collateral.tcbInfoJson(), pck, at);
    TcbLevel qe = qeLevel(collateral.qeIdentityJson(), quote.qeReport(), at);
    facts.qeTcbStatus = qe.status;
    if ("Revoked".equals(qe.status)) {
      throw reject(FailureReason.QE_REVOKED, "the quoting enclave's TCB level is Revoked");
    }
    facts.tcbStatus = converge(platform.status, qe.status);
    Set<String> advisories = new LinkedHashSet<>(platform.advisoryIds);
    advisories.addAll(qe.advisoryIds);
    facts.advisoryIds = new ArrayList<>(advisories);
    if ("Revoked".equals(platform.status)) {
      throw reject(FailureReason.TCB_REVOKED, "the platform's TCB level is Revoked");
    }
  }

  // ---- certificates and CRLs ----

  private List<X509Certificate> pckChain(byte[] certData) throws QuoteRejectedException {
    // The PEM text is often followed by a NUL terminator.
    int end = certData.length;
    while (end > 0 && certData[end - 1] == 0) {
      end--;
    }
    List<X509Certificate> chain;
    try {
      chain = Collateral.parsePemChain(new String(certData, 0, end, StandardCharsets.US_ASCII));
    } catch (CertificateException | RuntimeException e) {
      throw reject(
          FailureReason.PCK_CHAIN_MALFORMED,
          "the PCK certificate chain in the quote cannot be parsed: " + e.getMessage());
    }
    if (chain.size() != 3) {
      throw reject(
          FailureReason.PCK_CHAIN_MALFORMED,
          "the PCK chain has " + chain.size() + " certificates; expected leaf, PCK CA, root");
    }
    return chain;
  }

  private void checkChain(List<X509Certificate> chain, Instant at, String what)
      throws QuoteRejectedException {
    X509Certificate last = chain.get(chain.size() - 1);
    if (!Arrays.equals(encoded(last), encoded(trustedRoot))) {
      throw reject(
          FailureReason.CHAIN_UNTRUSTED,
          "the "
              + what
              + " chain ends in '"
              + last.getSubjectX500Principal().getName()
              + "', which is not the trusted Intel SGX Root CA");
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : trustedRoot;
      if (!signedBy(cert, issuer)) {
        throw reject(
            FailureReason.CHAIN_UNTRUSTED,
            "the "
                + what
                + " chain certificate '"
                + cert.getSubjectX500Principal().getName()
                + "' is not signed by '"
                + issuer.getSubjectX500Principal().getName()
                + "'");
      }
    }
    for (X509Certificate cert : chain) {
      valid(cert, at);
    }
  }

  /**
   * Checks the collateral's PCK CRL issuer chain, when it has one: it must lead to the trusted root
   * (each certificate signed by the next, the last by the root), be valid and unrevoked, and begin
   * with the very PCK CA that issued the quote's leaf. Without this a collateral source could name
   * a CRL issuer the quote never depended on; the CRL itself is still verified with the quote's PCK
   * CA key, so a CRL from any other CA cannot stand in for the real one.
   */
  private void pckCrlIssuer(
      List<X509Certificate> chain, X509Certificate pckCa, Instant at, X509CRL rootCrl)
      throws QuoteRejectedException {
    if (chain.isEmpty()) {
      return;
    }
    String what = "PCK CRL issuer chain";
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : trustedRoot;
      boolean isRoot = Arrays.equals(encoded(cert), encoded(trustedRoot));
      if (!isRoot && !signedBy(cert, issuer)) {
        throw reject(
            FailureReason.CHAIN_UNTRUSTED,
            "the "
                + what
                + " certificate '"
                + cert.getSubjectX500Principal().getName()
                + "' is not signed by '"
                + issuer.getSubjectX500Principal().getName()
                + "' and so does not lead to the trusted Intel SGX Root CA");
      }
      if (isRoot && i + 1 != chain.size()) {
        throw reject(
            FailureReason.CHAIN_UNTRUSTED, "the " + what + " has certificates after the root");
      }
      valid(cert, at);
      if (!isRoot) {
        notRevoked(rootCrl, cert, what + " certificate");
      }
    }
    X509Certificate first = chain.get(0);
    if (!first.getSubjectX500Principal().equals(pckCa.getSubjectX500Principal())
        || !first.getPublicKey().equals(pckCa.getPublicKey())) {
      throw reject(
          FailureReason.CRL_INVALID,
          "the "
              + what
              + " names '"
              + first.getSubjectX500Principal().getName()
              + "' as the PCK CRL issuer, but the quote's PCK certificate was issued by '"
              + pckCa.getSubjectX500Principal().getName()
              + "': that CRL cannot revoke it;"
              + " fetch the PCK CRL for this CA (processor or platform)");
    }
  }

  private void checkSigner(X509Certificate signer, Instant at, X509CRL rootCrl, String what)
      throws QuoteRejectedException {
    if (!signedBy(signer, trustedRoot)) {
      throw reject(
          FailureReason.CHAIN_UNTRUSTED,
          "the "
              + what
              + " signing certificate '"
              + signer.getSubjectX500Principal().getName()
              + "' is not issued by the trusted Intel SGX Root CA");
    }
    valid(signer, at);
    notRevoked(rootCrl, signer, what + " signing certificate");
  }

  private static void valid(X509Certificate cert, Instant at) throws QuoteRejectedException {
    try {
      cert.checkValidity(Date.from(at));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw reject(
          FailureReason.CERTIFICATE_EXPIRED,
          "certificate '"
              + cert.getSubjectX500Principal().getName()
              + "' is valid "
              + cert.getNotBefore().toInstant()
              + " .. "
              + cert.getNotAfter().toInstant()
              + ", not at "
              + at
              + " (use --at to verify at another time)");
    }
  }

  private static X509CRL crl(byte[] der, X509Certificate issuer, Instant at, String what)
      throws QuoteRejectedException {
    X509CRL crl;
    try {
      crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw reject(
          FailureReason.CRL_INVALID, "the " + what + " cannot be parsed: " + e.getMessage());
    }
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw reject(
          FailureReason.CRL_INVALID,
          "the "
              + what
              + " is issued by '"
              + crl.getIssuerX500Principal().getName()
              + "' but must be issued by '"
              + issuer.getSubjectX500Principal().getName()
              + "'");
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw reject(
          FailureReason.CRL_INVALID,
          "the "
              + what
              + " signature does not verify with '"
              + issuer.getSubjectX500Principal().getName()
              + "'");
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    if (at.isBefore(thisUpdate) || (nextUpdate != null && at.isAfter(nextUpdate))) {
      throw reject(
          FailureReason.CRL_EXPIRED,
          "the " + what + " is current " + thisUpdate + " .. " + nextUpdate + ", not at " + at);
    }
    return crl;
  }

  private static void notRevoked(X509CRL crl, X509Certificate cert, String what)
      throws QuoteRejectedException {
    if (crl.isRevoked(cert)) {
      throw reject(
          FailureReason.CERTIFICATE_REVOKED,
          "the " + what + " (serial " + cert.getSerialNumber().toString(16) + ") is revoked");
    }
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    try {
      cert.verify(issuer.getPublicKey());
      return cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  // ---- TCB info and QE identity ----

  private record TcbLevel(String status, List<String> advisoryIds) {}

  private static TcbLevel platformLevel(String json, PckExtensions pck, Instant at)
      throws QuoteRejectedException {
    JsonNode info = parse(json, FailureReason.TCB_INFO_INVALID, "TCB info");
    FailureReason bad = FailureReason.TCB_INFO_INVALID;
    int version = info.path("version").asInt(-1);
    if (version != 2 && version != 3) {
      throw reject(bad, "TCB info version " + info.path("version") + " is not 2 or 3");
    }
    if (version == 3 && !"SGX".equals(info.path("id").asText())) {
      throw reject(bad, "TCB info id is '" + info.path("id").asText() + "', not SGX");
    }
    String fmspc = info.path("fmspc").asText("");
    String pceId = info.path("pceId").asText("");
    if (!fmspc.equalsIgnoreCase(hex(pck.fmspc())) || !pceId.equalsIgnoreCase(hex(pck.pceId()))) {
      throw reject(
          FailureReason.TCB_INFO_MISMATCH,
          "the TCB info is for FMSPC "
              + fmspc
              + " / PCE id "
              + pceId
              + " but the PCK certificate"
              + " says FMSPC "
              + hex(pck.fmspc())
              + " / PCE id "
              + hex(pck.pceId())
              + "; fetch the TCB info for this platform");
    }
    // Identity before freshness: a document for another platform is the more basic error.
    window(info, at, FailureReason.TCB_INFO_EXPIRED, "TCB info");
    JsonNode levels = info.path("tcbLevels");
    if (!levels.isArray() || levels.isEmpty()) {
      throw reject(bad, "TCB info has no tcbLevels");
    }
    // Parse every level before matching any: a malformed level after the match must not pass.
    List<int[]> svnsByLevel = new ArrayList<>();
    for (JsonNode level : levels) {
      JsonNode tcb = level.path("tcb");
      int[] svns = new int[17];
      for (int i = 0; i < 16; i++) {
        JsonNode comp =
            version == 3
                ? tcb.path("sgxtcbcomponents").path(i).path("svn")
                : tcb.path(String.format("sgxtcbcomp%02dsvn", i + 1));
        if (!comp.isInt()) {
          throw reject(bad, "a TCB level lacks SGX TCB component " + (i + 1));
        }
        svns[i] = comp.asInt();
      }
      if (!tcb.path("pcesvn").isInt() || !level.path("tcbStatus").isTextual()) {
        throw reject(bad, "a TCB level lacks pcesvn or tcbStatus");
      }
      svns[16] = tcb.path("pcesvn").asInt();
      svnsByLevel.add(svns);
    }
    for (int l = 0; l < svnsByLevel.size(); l++) {
      int[] svns = svnsByLevel.get(l);
      boolean atOrAbove = pck.pceSvn() >= svns[16];
      for (int i = 0; i < 16 && atOrAbove; i++) {
        atOrAbove = pck.cpuSvnComponents()[i] >= svns[i];
      }
      if (atOrAbove) {
        JsonNode level = levels.get(l);
        return new TcbLevel(level.path("tcbStatus").asText(), advisories(level));
      }
    }
    throw reject(
        FailureReason.TCB_LEVEL_NOT_FOUND,
        "no TCB level matches the platform (components "
            + Arrays.toString(pck.cpuSvnComponents())
            + ", PCE SVN "
            + pck.pceSvn()
            + "): the platform is below every known level");
  }

  private static TcbLevel qeLevel(String json, EnclaveReportBody qeReport, Instant at)
      throws QuoteRejectedException {
    FailureReason bad = FailureReason.QE_IDENTITY_INVALID;
    JsonNode id = parse(json, bad, "QE identity");
    if (!"QE".equals(id.path("id").asText()) || id.path("version").asInt(-1) != 2) {
      throw reject(
          bad,
          "the QE identity must have id QE and version 2, got id '"
              + id.path("id").asText()
              + "' version "
              + id.path("version"));
    }
    window(id, at, FailureReason.QE_IDENTITY_EXPIRED, "QE identity");
    byte[] mrSigner;
    byte[] attributes;
    byte[] attributesMask;
    long misc;
    long miscMask;
    try {
      mrSigner = HexFormat.of().parseHex(id.path("mrsigner").asText());
      attributes = HexFormat.of().parseHex(id.path("attributes").asText());
      attributesMask = HexFormat.of().parseHex(id.path("attributesMask").asText());
      misc = Long.parseLong(id.path("miscselect").asText(), 16);
      miscMask = Long.parseLong(id.path("miscselectMask").asText(), 16);
    } catch (IllegalArgumentException e) {
      throw reject(bad, "the QE identity has a malformed hex field: " + e.getMessage());
    }
    if (attributes.length != 16 || attributesMask.length != 16 || !id.path("isvprodid").isInt()) {
      throw reject(bad, "the QE identity attributes, mask or isvprodid are malformed");
    }
    if (!Arrays.equals(mrSigner, qeReport.mrSigner())) {
      throw reject(
          FailureReason.QE_IDENTITY_MISMATCH,
          "the quoting enclave's MRSIGNER "
              + hex(qeReport.mrSigner())
              + " is not Intel's QE signer "
              + hex(mrSigner));
    }
    if (id.path("isvprodid").asInt() != qeReport.isvProdId()) {
      throw reject(
          FailureReason.QE_IDENTITY_MISMATCH,
          "the quoting enclave's ISVPRODID "
              + qeReport.isvProdId()
              + " is not "
              + id.path("isvprodid").asInt());
    }
    if ((qeReport.miscSelect() & miscMask) != misc) {
      throw reject(
          FailureReason.QE_IDENTITY_MISMATCH,
          "the quoting enclave's MISCSELECT does not match the QE identity");
    }
    byte[] qeAttributes = qeReport.attributes();
    for (int i = 0; i < 16; i++) {
      if ((qeAttributes[i] & attributesMask[i]) != attributes[i]) {
        throw reject(
            FailureReason.QE_IDENTITY_MISMATCH,
            "the quoting enclave's attributes "
                + hex(qeAttributes)
                + " do not match the QE identity (a debug or modified QE)");
      }
    }
    JsonNode levels = id.path("tcbLevels");
    if (!levels.isArray() || levels.isEmpty()) {
      throw reject(bad, "the QE identity has no tcbLevels");
    }
    // Every level is checked before any is used: a level without a status or ISVSVN must not be
    // skipped (that would match a lower one) nor give an empty status.
    for (JsonNode level : levels) {
      if (!level.path("tcb").path("isvsvn").isInt() || !level.path("tcbStatus").isTextual()) {
        throw reject(bad, "a QE TCB level lacks tcb.isvsvn or tcbStatus");
      }
    }
    for (JsonNode level : levels) {
      if (qeReport.isvSvn() >= level.path("tcb").path("isvsvn").asInt()) {
        return new TcbLevel(level.path("tcbStatus").asText(), advisories(level));
      }
    }
    throw reject(
        FailureReason.QE_REVOKED,
        "the quoting enclave's ISVSVN " + qeReport.isvSvn() + " is below every QE TCB level");
  }

  /** Intel QVL's convergence of the platform status with the QE's. */
  static String converge(String platform, String qe) {
    if (!"OutOfDate".equals(qe)) {
      return platform;
    }
    return switch (platform) {
      case "UpToDate", "SWHardeningNeeded" -> "OutOfDate";
      case "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded" ->
          "OutOfDateConfigurationNeeded";
      default -> platform;
    };
  }

  private static void window(JsonNode doc, Instant at, FailureReason reason, String what)
      throws QuoteRejectedException {
    Instant issue;
    Instant next;
    try {
      issue = Instant.parse(doc.path("issueDate").asText());
      next = Instant.parse(doc.path("nextUpdate").asText());
    } catch (DateTimeParseException e) {
      throw reject(
          what.startsWith("TCB")
              ? FailureReason.TCB_INFO_INVALID
              : FailureReason.QE_IDENTITY_INVALID,
          "the " + what + " issueDate/nextUpdate are not ISO-8601 times");
    }
    if (at.isBefore(issue) || at.isAfter(next)) {
      throw reject(
          reason,
          "the "
              + what
              + " is current "
              + issue
              + " .. "
              + next
              + ", not at "
              + at
              + " (fetch fresh collateral, or use --at)");
    }
  }

  private static List<String> advisories(JsonNode level) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : level.path("advisoryIDs")) {
      out.add(a.asText());
    }
    return out;
  }

  private static JsonNode parse(String json, FailureReason reason, String what)
      throws QuoteRejectedException {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw reject(reason, "the " + what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw reject(reason, "the " + what + " is not valid JSON");
    }
  }

  // ---- primitives ----

  private static boolean verifyP1363(PublicKey key, byte[] data, byte[] rs) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(key);
      s.update(data);
      return s.verify(rs);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static PublicKey rawP256(byte[] xy) throws GeneralSecurityException {
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(xy, 0, 32)),
            new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has secp256r1", e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateException e) {
      return new byte[0];
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static QuoteRejectedException reject(FailureReason reason, String detail) {
    return new QuoteRejectedException(reason, detail);
  }

  /** What the quote claims, collected as checks pass. */
  private static final class Facts {
    final EnclaveReportBody body;
    final Instant at;
    String fmspc;
    String tcbStatus;
    String qeTcbStatus;
    List<String> advisoryIds = List.of();

    Facts(EnclaveReportBody body, Instant at) {
      this.body = body;
      this.at = at;
    }

    QuoteVerification valid(boolean collateralChecked) {
      return build(
          true,
          null,
          collateralChecked
              ? "quote, PCK chain, CRLs, TCB info and QE identity verified"
              : "quote signatures and PCK chain verified; no collateral given, so TCB status,"
                  + " QE identity and revocation were NOT checked",
          collateralChecked);
    }

    QuoteVerification invalid(FailureReason reason, String detail, boolean collateralChecked) {
      return build(false, reason, detail, collateralChecked);
    }

    private QuoteVerification build(
        boolean ok, FailureReason reason, String detail, boolean collateralChecked) {
      return new QuoteVerification(
          ok,
          reason,
          detail,
          hex(body.mrEnclave()),
          hex(body.mrSigner()),
          body.isvProdId(),
          body.isvSvn(),
          body.debug(),
          hex(body.reportData()),
          tcbStatus,
          advisoryIds,
          qeTcbStatus,
          fmspc,
          collateralChecked,
          at);
    }
  }
}
