package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.enclave.dcap.QuoteVerification;
import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a peer's join evidence: for SGX the DCAP quote with the project's verifier and the TCB
 * policy (never DEBUG), and that its report_data is exactly the binding expected; for SIMULATED the
 * document's form and binding (which proves nothing about hardware: the policy decides whether
 * SIMULATED peers are acceptable at all). Thread-safe.
 */
public final class EvidenceVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Collateral (TCB info, QE identity, CRLs) for a quote, or null when none is at hand. */
  @FunctionalInterface
  public interface CollateralSource {
    Collateral forQuote(byte[] quote);
  }

  private final DcapQuoteVerifier dcap;
  private final AttestationPolicy tcb;
  private final CollateralSource collateral;
  private final Clock clock;

  /**
   * @param tcb its accepted TCB statuses and collateral requirement are used; DEBUG is always
   *     refused and MRENCLAVE is judged by the owner's policy, not here
   */
  public EvidenceVerifier(
      DcapQuoteVerifier dcap, AttestationPolicy tcb, CollateralSource collateral, Clock clock) {
    this.dcap = Objects.requireNonNull(dcap, "dcap");
    this.tcb = Objects.requireNonNull(tcb, "tcb");
    this.collateral = Objects.requireNonNull(collateral, "collateral");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The facts of verified evidence.
   *
   * @throws JoinRefusedException JOIN_QUOTE_INVALID, JOIN_DEBUG_ENCLAVE, JOIN_TCB_NOT_ACCEPTED,
   *     JOIN_BINDING_MISMATCH or JOIN_SIMULATED_REFUSED
   */
  public PeerFacts verify(EnclaveMode mode, byte[] evidence, byte[] expectedReportData) {
    return mode == EnclaveMode.SGX
        ? verifyQuote(evidence, expectedReportData)
        : verifySimulated(evidence, expectedReportData);
  }

  private PeerFacts verifyQuote(byte[] quote, byte[] expectedReportData) {
    AttestationPolicy join =
        new AttestationPolicy(
            false,
            Set.of(),
            tcb.acceptedTcbStatuses(),
            tcb.requireCollateral(),
            HexFormat.of().formatHex(expectedReportData));
    QuoteVerification v =
        join.apply(dcap.verify(quote, collateral.forQuote(quote), clock.instant()));
    if (!v.valid()) {
      JoinRefusal why =
          switch (v.reason()) {
            case DEBUG_ENCLAVE -> JoinRefusal.JOIN_DEBUG_ENCLAVE;
            case TCB_STATUS_NOT_ACCEPTED, TCB_REVOKED, QE_REVOKED, TCB_LEVEL_NOT_FOUND ->
                JoinRefusal.JOIN_TCB_NOT_ACCEPTED;
            case UNEXPECTED_REPORT_DATA -> JoinRefusal.JOIN_BINDING_MISMATCH;
            case SIMULATED_ATTESTATION -> JoinRefusal.JOIN_SIMULATED_REFUSED;
            default -> JoinRefusal.JOIN_QUOTE_INVALID;
          };
      throw new JoinRefusedException(
          why, "the peer's quote is refused (" + v.reason() + "): " + v.detail());
    }
    return new PeerFacts(
        EnclaveMode.SGX, v.mrEnclave(), v.mrSigner(), v.isvProdId(), v.isvSvn(), v.tcbStatus());
  }

  private static PeerFacts verifySimulated(byte[] doc, byte[] expectedReportData) {
    JsonNode n;
    try {
      n = JSON.readTree(doc);
    } catch (IOException e) {
      n = null;
    }
    if (n == null
        || !SimulatedEnclave.EVIDENCE_FORMAT.equals(n.path("format").asText())
        || !EnclaveMode.SIMULATED.name().equals(n.path("mode").asText())) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_QUOTE_INVALID,
          "the peer says it is SIMULATED but its evidence is not a "
              + SimulatedEnclave.EVIDENCE_FORMAT
              + " document");
    }
    String m = n.path("measurement").asText("");
    if (!m.matches("[0-9a-f]{64}")) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_QUOTE_INVALID,
          "the SIMULATED document carries no 64-hex-digit measurement");
    }
    String rd = n.path("reportData").asText("");
    if (!rd.equals(HexFormat.of().formatHex(expectedReportData))) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_BINDING_MISMATCH,
          "the SIMULATED document's reportData " + rd + " does not bind this join message");
    }
    return new PeerFacts(EnclaveMode.SIMULATED, m, null, -1, -1, null);
  }
}
