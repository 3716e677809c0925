package io.nsl.cluster;

import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.InvalidPeerKeyException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's side of a join: checks a newcomer's request and, when every check passes, answers
 * with the cluster keys wrapped to the newcomer's ephemeral key and its own evidence bound to the
 * transcript. Checks, in order: protocol; network; gateway; freshness; SIMULATED never meets SGX;
 * the evidence (DCAP quote with the TCB policy, never DEBUG) binds the request; replay; the
 * owner-signed policy (verified with the pinned owner key) allows the measurement; this instance
 * holds cluster keys. Thread-safe.
 */
public final class JoinProvider {
  private static final Logger log = LoggerFactory.getLogger(JoinProvider.class);

  private final Enclave enclave;
  private final ClusterTrust trust;
  private final EvidenceVerifier verifier;
  private final SeenJoins seen;

  public JoinProvider(
      Enclave enclave, ClusterTrust trust, EvidenceVerifier verifier, SeenJoins seen) {
    this.enclave = Objects.requireNonNull(enclave, "enclave");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.seen = Objects.requireNonNull(seen, "seen");
  }

  /**
   * Answers one request.
   *
   * @throws JoinRefusedException with the reason when any check fails
   */
  public JoinResponse handle(JoinRequest req) {
    try {
      JoinResponse r = answer(req);
      log.info("join: handed epochs {} to a {} newcomer", r.epochs(), req.mode());
      return r;
    } catch (JoinRefusedException e) {
      log.warn("join refused [{}]: {}", e.code(), e.getMessage());
      throw e;
    }
  }

  private JoinResponse answer(JoinRequest req) {
    if (!JoinBinding.PROTOCOL.equals(req.protocol())) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_MALFORMED,
          "protocol '" + req.protocol() + "' is not " + JoinBinding.PROTOCOL);
    }
    if (req.gateway().networkMagic() != trust.gateway().networkMagic()) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_WRONG_NETWORK,
          "the newcomer is for network magic "
              + req.gateway().networkMagic()
              + ", this cluster serves "
              + trust.gateway().networkMagic());
    }
    if (!req.gateway().equals(trust.gateway())) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_WRONG_GATEWAY,
          "the newcomer is for gateway "
              + req.gateway().gatewayScriptHashBEHex()
              + ", this cluster serves "
              + trust.gateway().gatewayScriptHashBEHex());
    }
    seen.checkFresh(req.createdAtMillis());
    requireSameMode(enclave.mode(), req.mode(), "newcomer");
    PeerFacts facts = verifier.verify(req.mode(), req.evidence(), req.reportData());
    seen.remember(req.nonce());
    trust
        .policy()
        .refusalFor(facts)
        .ifPresent(
            e -> {
              throw e;
            });
    ClusterKeys keys =
        enclave
            .clusterKeys()
            .orElseThrow(
                () ->
                    new JoinRefusedException(
                        JoinRefusal.JOIN_PROVIDER_NOT_MEMBER,
                        "this instance holds no cluster keys; join through one that does, or run"
                            + " ./nsl cluster init on the first instance"));
    byte[] transcript = req.transcript();
    byte[] wrapped;
    try {
      wrapped = enclave.wrapClusterKeys(req.ephemeralPublicKey(), JoinBinding.wrapAad(transcript));
    } catch (InvalidPeerKeyException e) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_MALFORMED, "the ephemeral key is not a P-256 point: " + e.getMessage());
    }
    byte[] rd =
        JoinBinding.responseReportData(
            transcript, JoinRequest.modeByte(enclave.mode()), keys.epochs(), wrapped);
    return new JoinResponse(
        transcript, enclave.mode(), keys.epochs(), wrapped, enclave.evidenceFor(rd));
  }

  /** SIMULATED and SGX never exchange keys, in either direction. */
  static void requireSameMode(EnclaveMode self, EnclaveMode peer, String role) {
    if (self != peer) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_SIMULATED_REFUSED,
          "this instance is "
              + self
              + " and the "
              + role
              + " is "
              + peer
              + ": a SIMULATED instance joins only a SIMULATED cluster, and an SGX cluster never"
              + " hands keys to a SIMULATED one");
    }
  }
}
