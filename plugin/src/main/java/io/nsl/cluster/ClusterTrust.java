package io.nsl.cluster;

import io.nsl.enclave.GatewayIdentity;
import java.util.Objects;

/**
 * What one instance trusts about its cluster: the gateway it serves and the owner key pinned in its
 * measured configuration; with them it reads the owner-signed {@link MeasurementPolicy} the host
 * supplies and refuses any the owner did not sign. Thread-safe.
 */
public final class ClusterTrust {
  private final GatewayIdentity self;
  private final OwnerKey owner;
  private final PolicySource source;

  public ClusterTrust(GatewayIdentity self, OwnerKey owner, PolicySource source) {
    this.self = Objects.requireNonNull(self, "self");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.source = Objects.requireNonNull(source, "source");
  }

  public GatewayIdentity gateway() {
    return self;
  }

  public OwnerKey owner() {
    return owner;
  }

  /**
   * The current policy, read afresh and verified.
   *
   * @throws JoinRefusedException JOIN_POLICY_INVALID when missing, unsigned, forged or for another
   *     gateway
   */
  public MeasurementPolicy policy() {
    return SignedPolicy.parse(source.read()).verify(owner, self);
  }

  /** What {@code ./nsl cluster status} shows about the policy. */
  public record PolicyStatus(boolean verified, long sequence, String detail) {}

  /** The policy's state in words; never throws for a bad policy. */
  public PolicyStatus status() {
    try {
      MeasurementPolicy p = policy();
      return new PolicyStatus(
          true,
          p.sequence(),
          "signed by the pinned owner key; "
              + p.mrEnclaves().size()
              + " MRENCLAVE(s), "
              + p.signers().size()
              + " signer rule(s), "
              + p.revoked().size()
              + " revoked, simulation "
              + (p.allowSimulated() ? "allowed" : "refused"));
    } catch (JoinRefusedException e) {
      return new PolicyStatus(false, -1, e.getMessage());
    }
  }
}
