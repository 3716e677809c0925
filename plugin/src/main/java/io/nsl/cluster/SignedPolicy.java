package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.enclave.GatewayIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link MeasurementPolicy} with the owner's signature over its {@link
 * MeasurementPolicy#canonicalBytes()}: what the host hands an instance (a file), and what the
 * instance believes only after {@link #verify} with the owner key pinned in its measured
 * configuration. JSON form in docs/cluster.md.
 */
public record SignedPolicy(MeasurementPolicy policy, byte[] ownerPublicKey, byte[] signature) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public SignedPolicy {
    Objects.requireNonNull(policy, "policy");
    ownerPublicKey = ownerPublicKey.clone();
    signature = signature.clone();
  }

  /** Signs {@code policy} with the owner's private key (owner tooling and tests). */
  public static SignedPolicy sign(MeasurementPolicy policy, byte[] ownerPrivateKey) {
    return new SignedPolicy(
        policy,
        OwnerKey.ofPrivate(ownerPrivateKey).publicKey(),
        OwnerKey.sign(ownerPrivateKey, policy.canonicalBytes()));
  }

  /**
   * The policy, once it is shown to be signed by {@code pinned} and made for {@code self}.
   *
   * @throws JoinRefusedException JOIN_POLICY_INVALID otherwise
   */
  public MeasurementPolicy verify(OwnerKey pinned, GatewayIdentity self) {
    if (!pinned.verifies(policy.canonicalBytes(), signature)) {
      String who =
          java.util.Arrays.equals(pinned.publicKey(), ownerPublicKey)
              ? "its signature does not verify with the owner key (altered after signing)"
              : "it is signed by key "
                  + HexFormat.of().formatHex(ownerPublicKey)
                  + ", not by the owner key "
                  + pinned.hex()
                  + " pinned in this instance's measured configuration";
      throw new JoinRefusedException(
          JoinRefusal.JOIN_POLICY_INVALID,
          "the measurement policy is refused: " + who + "; ask the gateway owner for a signed one");
    }
    if (!policy.gateway().equals(self)) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_POLICY_INVALID,
          "the measurement policy is signed for "
              + policy.gateway()
              + " but this instance serves "
              + self);
    }
    return policy;
  }

  /** The JSON document. */
  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    MeasurementPolicy p = policy;
    n.put("format", MeasurementPolicy.FORMAT);
    n.put("networkMagic", p.gateway().networkMagic());
    n.put("gateway", p.gateway().gatewayScriptHashBEHex());
    n.put("sequence", p.sequence());
    n.put("allowSimulated", p.allowSimulated());
    ArrayNode m = n.putArray("mrEnclaves");
    p.mrEnclaves().forEach(m::add);
    ArrayNode s = n.putArray("signers");
    for (MeasurementPolicy.SignerRule r : p.signers()) {
      s.addObject()
          .put("mrSigner", r.mrSigner())
          .put("prodId", r.prodId())
          .put("minSvn", r.minSvn());
    }
    ArrayNode r = n.putArray("revoked");
    p.revoked().forEach(r::add);
    n.put("ownerPublicKey", HexFormat.of().formatHex(ownerPublicKey));
    n.put("signature", HexFormat.of().formatHex(signature));
    return n.toPrettyString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses the JSON document (not yet trusted: call {@link #verify}).
   *
   * @throws JoinRefusedException JOIN_POLICY_INVALID when it does not parse
   */
  public static SignedPolicy parse(byte[] json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !MeasurementPolicy.FORMAT.equals(n.path("format").asText())) {
        throw new IllegalArgumentException("format is not " + MeasurementPolicy.FORMAT);
      }
      GatewayIdentity g =
          GatewayIdentity.ofBigEndianHex(
              n.path("networkMagic").asLong(-1), n.path("gateway").asText(""));
      List<MeasurementPolicy.SignerRule> signers = new ArrayList<>();
      for (JsonNode r : n.path("signers")) {
        signers.add(
            new MeasurementPolicy.SignerRule(
                r.path("mrSigner").asText(""),
                r.path("prodId").asInt(-1),
                r.path("minSvn").asInt(-1)));
      }
      MeasurementPolicy p =
          new MeasurementPolicy(
              g,
              n.path("sequence").asLong(-1),
              n.path("allowSimulated").asBoolean(false),
              strings(n.path("mrEnclaves")),
              signers,
              strings(n.path("revoked")));
      HexFormat hex = HexFormat.of();
      return new SignedPolicy(
          p,
          hex.parseHex(n.path("ownerPublicKey").asText("")),
          hex.parseHex(n.path("signature").asText("")));
    } catch (IOException | IllegalArgumentException e) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_POLICY_INVALID,
          "the measurement policy does not parse: " + e.getMessage());
    }
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode s : array) {
      out.add(s.asText());
    }
    return out;
  }
}
