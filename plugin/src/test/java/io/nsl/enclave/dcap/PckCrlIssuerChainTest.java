package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.enclave.dcap.SyntheticPki.PlatformTcb;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The collateral's {@code pck_crl_issuer_chain}: when it is given, it must lead from the quote's
 * PCK CA to the trusted root, and the PCK CRL must be signed by that CA.
 */
class PckCrlIssuerChainTest {
  private static final Instant AT = DcapQuoteVerifierTest.PHALA_TIME;
  private final DcapQuoteVerifier verifier = SgxVectors.verifier();
  private final byte[] quote = SgxVectors.phalaQuote();

  @Test
  void acceptsTheGenuinePckCrlIssuerChain() {
    Collateral c = SgxVectors.phalaCollateral();
    assertEquals(2, c.pckCrlIssuerChain().size());
    QuoteVerification v = verifier.verify(quote, c, AT);
    assertTrue(v.valid(), v::detail);
  }

  @Test
  void rejectsPckCrlSignedByAForeignCaNamedLikeIntels() throws Exception {
    // A foreign PKI that copies Intel's names signs a PCK CRL; the collateral names the foreign CA
    // and the foreign root as the CRL's issuer chain.
    SyntheticPki foreign = foreignPkiWithIntelNames();
    byte[] crl =
        foreign.pckCrl(
            Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-08-01T00:00:00Z"));
    QuoteVerification v =
        verify(
            "pck_crl", HexFormat.of().formatHex(crl),
            "pck_crl_issuer_chain", pem(foreign.pckCa(), foreign.root()));
    assertFalse(v.valid());
    assertEquals(FailureReason.CHAIN_UNTRUSTED, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK CRL issuer chain"), v.detail());
  }

  @Test
  void rejectsPckCrlIssuerChainThatDoesNotReachTheTrustedRoot() throws Exception {
    // The genuine CRL, but an issuer chain whose CA the Intel root never signed.
    SyntheticPki foreign = foreignPkiWithIntelNames();
    QuoteVerification v =
        verify("pck_crl_issuer_chain", pem(foreign.pckCa(), verifier.trustedRoot()));
    assertEquals(FailureReason.CHAIN_UNTRUSTED, v.reason(), v.detail());
    assertTrue(v.detail().contains("PCK CRL issuer chain"), v.detail());
  }

  @Test
  void rejectsPckCrlIssuerChainOfAnotherIntelPckCa() throws Exception {
    // Intel's genuine Platform CA (from Automata's quote), but Phala's leaf is from the Processor
    // CA: a CRL of the Platform CA cannot revoke it.
    SgxQuote automata = SgxQuote.parse(SgxVectors.hexFile("automata-dcap-attestation/quotev3.hex"));
    X509Certificate platformCa =
        Collateral.parsePemChain(
                new String(automata.certificationData(), StandardCharsets.US_ASCII)
                    .replace("\0", ""))
            .get(1);
    assertTrue(platformCa.getSubjectX500Principal().getName().contains("Platform CA"));
    QuoteVerification v = verify("pck_crl_issuer_chain", pem(platformCa, verifier.trustedRoot()));
    assertEquals(FailureReason.CRL_INVALID, v.reason(), v.detail());
    assertTrue(v.detail().contains("Platform CA"), v.detail());
  }

  @Test
  void rejectsPckCrlIssuerChainMadeOfTheRootAlone() throws Exception {
    QuoteVerification v = verify("pck_crl_issuer_chain", pem(verifier.trustedRoot()));
    assertEquals(FailureReason.CRL_INVALID, v.reason(), v.detail());
  }

  @Test
  void stillRejectsAForeignPckCrlWhenNoIssuerChainIsGiven() throws Exception {
    SyntheticPki foreign = foreignPkiWithIntelNames();
    byte[] crl =
        foreign.pckCrl(
            Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-08-01T00:00:00Z"));
    QuoteVerification v =
        verify("pck_crl", HexFormat.of().formatHex(crl), "pck_crl_issuer_chain", "");
    assertEquals(FailureReason.CRL_INVALID, v.reason(), v.detail());
  }

  @Test
  void rejectsForeignCrlThatWouldHideARevokedPckCertificate() {
    // Synthetic platform whose genuine PCK CRL revokes the leaf. An attacker swaps in a CRL of
    // their own (listing nothing) with an issuer chain to their own root: still refused, and the
    // genuine CRL still revokes.
    var tcb =
        new PlatformTcb(
            SyntheticPkiVerifierTest.FMSPC,
            SyntheticPkiVerifierTest.PCE_ID,
            SyntheticPkiVerifierTest.UP_TO_DATE,
            13);
    var c = SyntheticPkiVerifierTest.Case.platform(SyntheticPkiVerifierTest.UP_TO_DATE, 13);
    SyntheticPki attacker = SyntheticPki.create(tcb);
    Instant from = SyntheticPkiVerifierTest.ISSUED;
    Instant to = SyntheticPkiVerifierTest.NEXT;
    Collateral genuine =
        SyntheticCollateral.signed(
            c.pki,
            c.tcbInfo,
            c.qeIdentity,
            c.pki.rootCrl(from, to),
            c.pki.pckCrl(from, to, SyntheticPki.PCK_SERIAL),
            List.of(c.pki.pckCa(), c.pki.root()));
    Collateral swapped =
        SyntheticCollateral.signed(
            c.pki,
            c.tcbInfo,
            c.qeIdentity,
            c.pki.rootCrl(from, to),
            attacker.pckCrl(from, to),
            List.of(attacker.pckCa(), attacker.root()));
    DcapQuoteVerifier v = c.pki.verifier();
    Instant at = SyntheticPkiVerifierTest.AT;
    assertEquals(FailureReason.CERTIFICATE_REVOKED, v.verify(c.quote(), genuine, at).reason());
    QuoteVerification s = v.verify(c.quote(), swapped, at);
    assertEquals(FailureReason.CHAIN_UNTRUSTED, s.reason(), s.detail());
  }

  // ---- helpers ----

  private SyntheticPki foreignPkiWithIntelNames() throws Exception {
    SgxQuote q = SgxQuote.parse(quote);
    List<X509Certificate> chain =
        Collateral.parsePemChain(
            new String(q.certificationData(), StandardCharsets.US_ASCII).replace("\0", ""));
    var tcb = new PlatformTcb("00a067110000", "0000", new int[16], 0);
    SyntheticPki pki =
        SyntheticPki.create(
            SyntheticPki.Names.of(chain, SgxVectors.phalaCollateral().tcbInfoIssuerChain().get(0)),
            tcb.sgxExtensionDer());
    assertEquals(chain.get(1).getSubjectX500Principal(), pki.pckCa().getSubjectX500Principal());
    return pki;
  }

  private QuoteVerification verify(String... fieldValues) throws Exception {
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(SgxVectors.phalaCollateralJson());
    for (int i = 0; i < fieldValues.length; i += 2) {
      c.put(fieldValues[i], fieldValues[i + 1]);
    }
    return verifier.verify(quote, Collateral.fromPccsJson(c.toString()), AT);
  }

  private static String pem(X509Certificate... certs) {
    return new String(SyntheticQuote.pem(List.of(certs)), StandardCharsets.US_ASCII);
  }
}
