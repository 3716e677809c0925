package io.nsl.cluster;

import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.JoinKey;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newcomer's side of a join: makes an ephemeral key and a request whose evidence binds it,
 * sends it, and accepts the answer only when the provider's own evidence verifies, binds this
 * request's transcript, the epochs and the wrapped keys, and its measurement is allowed by the
 * owner-signed policy; then unwraps and seals the keys. So the host cannot hand the newcomer keys
 * it chose. Thread-safe; one join per call.
 */
public final class Joiner {
  private static final Logger log = LoggerFactory.getLogger(Joiner.class);

  private final Enclave enclave;
  private final ClusterTrust trust;
  private final EvidenceVerifier verifier;
  private final Clock clock;

  public Joiner(Enclave enclave, ClusterTrust trust, EvidenceVerifier verifier, Clock clock) {
    this.enclave = Objects.requireNonNull(enclave, "enclave");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Joins through {@code provider}. An instance that already holds cluster keys joins again and
   * accepts only the same keys (a retried join is harmless).
   *
   * @throws JoinRefusedException with the reason, from either side
   * @throws io.nsl.enclave.ClusterKeysRejectedException when the wrapped keys do not open
   */
  public ClusterKeys join(JoinTransport provider) {
    // Check the policy first: a newcomer that cannot judge the provider should not even ask.
    MeasurementPolicy policy = trust.policy();
    JoinKey key = enclave.newJoinKey();
    try {
      byte[] nonce = enclave.randomBytes(32);
      long now = clock.millis();
      byte[] rd =
          JoinBinding.requestReportData(
              trust.gateway(), JoinRequest.modeByte(enclave.mode()), key.publicKey(), nonce, now);
      JoinRequest req =
          new JoinRequest(
              JoinBinding.PROTOCOL,
              trust.gateway(),
              enclave.mode(),
              key.publicKey(),
              nonce,
              now,
              enclave.evidenceFor(rd));
      JoinResponse resp = provider.exchange(req);
      byte[] transcript = req.transcript();
      if (!MessageDigest.isEqual(transcript, resp.transcript())) {
        throw new JoinRefusedException(
            JoinRefusal.JOIN_REPLAYED,
            "the provider's answer is for another join request (transcript differs): a replayed"
                + " or misrouted answer");
      }
      JoinProvider.requireSameMode(enclave.mode(), resp.mode(), "provider");
      PeerFacts facts = verifier.verify(resp.mode(), resp.evidence(), resp.reportData());
      policy
          .refusalFor(facts)
          .ifPresent(
              e -> {
                throw e;
              });
      ClusterKeys got =
          enclave.acceptClusterKeys(key, resp.wrappedKeys(), JoinBinding.wrapAad(transcript));
      if (!got.epochs().equals(resp.epochs())) {
        throw new JoinRefusedException(
            JoinRefusal.JOIN_KEYS_TAMPERED,
            "the unwrapped keys' epochs "
                + got.epochs()
                + " differ from those the provider attested "
                + resp.epochs());
      }
      log.info(
          "joined the cluster: epochs {} from a provider with measurement {}",
          got.epochs().stream().map(ClusterKeys.EpochKey::epoch).toList(),
          facts.measurement());
      return got;
    } finally {
      key.destroy();
    }
  }
}
