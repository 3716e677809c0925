package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.GatewayIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Message 1 of a join, newcomer to provider: who it is for, the newcomer's ephemeral key, a fresh
 * nonce and time, and evidence whose report_data is {@link JoinBinding#requestReportData}.
 */
public record JoinRequest(
    String protocol,
    GatewayIdentity gateway,
    EnclaveMode mode,
    byte[] ephemeralPublicKey,
    byte[] nonce,
    long createdAtMillis,
    byte[] evidence) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public JoinRequest {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(mode, "mode");
    ephemeralPublicKey = ephemeralPublicKey.clone();
    nonce = nonce.clone();
    evidence = evidence.clone();
    if (ephemeralPublicKey.length != 33 || nonce.length != 32 || evidence.length == 0) {
      throw new IllegalArgumentException(
          "a join request has a 33-byte ephemeral key, a 32-byte nonce and evidence");
    }
  }

  @Override
  public byte[] ephemeralPublicKey() {
    return ephemeralPublicKey.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }

  static int modeByte(EnclaveMode mode) {
    return mode == EnclaveMode.SGX ? 1 : 2;
  }

  /** The report_data the evidence must carry. */
  public byte[] reportData() {
    return JoinBinding.requestReportData(
        gateway, modeByte(mode), ephemeralPublicKey, nonce, createdAtMillis);
  }

  /** The transcript hash both sides bind their answers to. */
  public byte[] transcript() {
    return JoinBinding.transcript(reportData(), evidence);
  }

  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    HexFormat hex = HexFormat.of();
    n.put("protocol", protocol);
    n.put("networkMagic", gateway.networkMagic());
    n.put("gateway", gateway.gatewayScriptHashBEHex());
    n.put("mode", mode.name());
    n.put("ephemeralPublicKey", hex.formatHex(ephemeralPublicKey));
    n.put("nonce", hex.formatHex(nonce));
    n.put("createdAtMillis", createdAtMillis);
    n.put("evidence", Base64.getEncoder().encodeToString(evidence));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws JoinRefusedException JOIN_MALFORMED when it does not parse
   */
  public static JoinRequest fromJson(byte[] json) {
    try {
      JsonNode n = JSON.readTree(json);
      HexFormat hex = HexFormat.of();
      return new JoinRequest(
          n.path("protocol").asText(""),
          GatewayIdentity.ofBigEndianHex(
              n.path("networkMagic").asLong(-1), n.path("gateway").asText("")),
          EnclaveMode.valueOf(n.path("mode").asText("")),
          hex.parseHex(n.path("ephemeralPublicKey").asText("")),
          hex.parseHex(n.path("nonce").asText("")),
          n.path("createdAtMillis").asLong(-1),
          Base64.getDecoder().decode(n.path("evidence").asText("")));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_MALFORMED, "the join request does not parse: " + e.getMessage());
    }
  }
}
