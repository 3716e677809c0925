package io.nsl.cluster;

import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.secrets.OwnerSigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Shared pieces of the cluster tests: a gateway, the owner's key, a host's key, policies. */
final class ClusterFixture {
  static final GatewayIdentity GATEWAY =
      GatewayIdentity.ofBigEndianHex(5195086L, "0x" + "ab".repeat(20));
  static final GatewayIdentity OTHER_GATEWAY =
      GatewayIdentity.ofBigEndianHex(5195086L, "0x" + "cd".repeat(20));
  static final GatewayIdentity OTHER_NETWORK =
      GatewayIdentity.ofBigEndianHex(860833102L, "0x" + "ab".repeat(20));

  static final byte[] OWNER = sha256("the gateway owner");
  static final byte[] HOST = sha256("a host that wants the keys");
  static final OwnerKey OWNER_KEY = OwnerKey.ofPrivate(OWNER);

  private ClusterFixture() {}

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static MeasurementPolicy policy(
      GatewayIdentity g,
      long seq,
      boolean allowSimulated,
      Set<String> allowed,
      Set<String> revoked) {
    return new MeasurementPolicy(g, seq, allowSimulated, allowed, List.of(), revoked);
  }

  /** The owner-signed document allowing {@code allowed}. */
  static byte[] ownerSigned(boolean allowSimulated, String... allowed) {
    return SignedPolicy.sign(policy(GATEWAY, 1, allowSimulated, Set.of(allowed), Set.of()), OWNER)
        .toJson();
  }

  /** A policy source the test can change (the host's file). */
  static final class HostFile implements PolicySource {
    volatile byte[] doc;

    HostFile(byte[] doc) {
      this.doc = doc;
    }

    @Override
    public byte[] read() {
      return doc.clone();
    }
  }

  /** A verifier for SIMULATED peers (the DCAP part trusts Intel's root and is not reached). */
  static EvidenceVerifier simulatedVerifier(Clock clock) {
    return new EvidenceVerifier(
        DcapQuoteVerifier.withIntelRoot(), AttestationPolicy.defaults(), q -> null, clock);
  }

  /** A developer's Neo key. */
  record Developer(byte[] privateKey) implements OwnerSigner {
    static Developer of(String name) {
      return new Developer(sha256(name));
    }

    @Override
    public byte[] publicKey() {
      return OwnerKey.ofPrivate(privateKey).publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
      return OwnerKey.sign(privateKey, message);
    }
  }
}
