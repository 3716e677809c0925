package io.nsl.cluster;

import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedMeasurement;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which enclave builds may hold the cluster keys of one gateway: the owner's allowlist. Pure;
 * thread-safe. It is trusted only once {@link SignedPolicy#verify} has checked the owner's
 * signature with the owner key pinned in the measured configuration.
 *
 * @param gateway the network and gateway this policy is for
 * @param sequence grows with every new policy the owner signs
 * @param allowSimulated whether SIMULATED instances may hold keys (devnets and tests only)
 * @param mrEnclaves allowed MRENCLAVE values (SIMULATED: code hashes), lower-case hex
 * @param signers allowed (MRSIGNER, ISVPRODID, minimum ISVSVN) rules
 * @param revoked MRENCLAVE values refused even when a rule above would allow them
 */
public record MeasurementPolicy(
    GatewayIdentity gateway,
    long sequence,
    boolean allowSimulated,
    Set<String> mrEnclaves,
    List<SignerRule> signers,
    Set<String> revoked) {

  /** Domain tag at the start of {@link #canonicalBytes()}. */
  public static final String FORMAT = "NSL-MEASUREMENT-POLICY-v1";

  /**
   * Allows every enclave signed by {@code mrSigner} with product id {@code prodId} and security
   * version at least {@code minSvn}.
   */
  public record SignerRule(String mrSigner, int prodId, int minSvn) {
    public SignerRule {
      mrSigner = SimulatedMeasurement.checkHex(mrSigner, "mrSigner");
      if (prodId < 0 || prodId > 0xFFFF || minSvn < 0 || minSvn > 0xFFFF) {
        throw new IllegalArgumentException("prodId and minSvn are 16-bit unsigned values");
      }
    }
  }

  public MeasurementPolicy {
    Objects.requireNonNull(gateway, "gateway");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0");
    }
    mrEnclaves = normalise(mrEnclaves, "mrEnclave");
    revoked = normalise(revoked, "revoked mrEnclave");
    signers =
        signers.stream()
            .sorted(
                Comparator.comparing(SignerRule::mrSigner)
                    .thenComparingInt(SignerRule::prodId)
                    .thenComparingInt(SignerRule::minSvn))
            .distinct()
            .toList();
  }

  private static Set<String> normalise(Set<String> hex, String what) {
    TreeSet<String> out = new TreeSet<>();
    for (String h : hex) {
      out.add(SimulatedMeasurement.checkHex(h, what));
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  /**
   * Decides whether a peer with {@code facts} may hold the keys: empty when allowed, else the
   * refusal and the words that explain it.
   */
  public Optional<JoinRefusedException> refusalFor(PeerFacts facts) {
    String m = facts.measurement().toLowerCase(Locale.ROOT);
    if (facts.mode() == EnclaveMode.SIMULATED && !allowSimulated) {
      return Optional.of(
          new JoinRefusedException(
              JoinRefusal.JOIN_SIMULATED_REFUSED,
              "the owner's policy (sequence "
                  + sequence
                  + ") does not allow SIMULATED instances on this gateway"));
    }
    if (revoked.contains(m)) {
      return Optional.of(
          new JoinRefusedException(
              JoinRefusal.JOIN_MEASUREMENT_REVOKED,
              "measurement "
                  + m
                  + " is revoked by the owner's policy (sequence "
                  + sequence
                  + ")"));
    }
    if (mrEnclaves.contains(m)) {
      return Optional.empty();
    }
    if (facts.mode() == EnclaveMode.SGX && facts.mrSigner() != null) {
      for (SignerRule r : signers) {
        if (r.mrSigner().equals(facts.mrSigner())
            && r.prodId() == facts.isvProdId()
            && facts.isvSvn() >= r.minSvn()) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        new JoinRefusedException(
            JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED,
            "measurement "
                + m
                + " is not allowed by the owner's policy (sequence "
                + sequence
                + "); the owner allows it with ./nsl cluster policy sign --mrenclave "
                + m));
  }

  /**
   * The bytes the owner signs (all integers big-endian, hex values as raw bytes, sets sorted):
   *
   * <pre>
   * "NSL-MEASUREMENT-POLICY-v1" | networkMagic u32 | gatewayScriptHashLE (20) | sequence u64
   * | allowSimulated u8 | n u16 | n × MRENCLAVE (32) | n u16 | n × (MRSIGNER 32, prodId u16,
   * minSvn u16) | n u16 | n × revoked MRENCLAVE (32)
   * </pre>
   */
  public byte[] canonicalBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HexFormat hex = HexFormat.of();
    out.writeBytes(FORMAT.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) gateway.networkMagic()).array());
    out.writeBytes(gateway.gatewayScriptHashLE());
    out.writeBytes(ByteBuffer.allocate(8).putLong(sequence).array());
    out.write(allowSimulated ? 1 : 0);
    out.writeBytes(ByteBuffer.allocate(2).putShort((short) mrEnclaves.size()).array());
    mrEnclaves.forEach(m -> out.writeBytes(hex.parseHex(m)));
    out.writeBytes(ByteBuffer.allocate(2).putShort((short) signers.size()).array());
    for (SignerRule r : signers) {
      out.writeBytes(hex.parseHex(r.mrSigner()));
      out.writeBytes(
          ByteBuffer.allocate(4).putShort((short) r.prodId()).putShort((short) r.minSvn()).array());
    }
    out.writeBytes(ByteBuffer.allocate(2).putShort((short) revoked.size()).array());
    revoked.forEach(m -> out.writeBytes(hex.parseHex(m)));
    return out.toByteArray();
  }
}
