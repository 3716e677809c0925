package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.EnclaveMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Message 2 of a join, provider to newcomer: the transcript it answers, the live epochs' public
 * keys, the cluster keys wrapped to the newcomer's ephemeral key, and the provider's evidence whose
 * report_data is {@link JoinBinding#responseReportData} of all of them.
 */
public record JoinResponse(
    byte[] transcript,
    EnclaveMode mode,
    List<ClusterKeys.EpochKey> epochs,
    byte[] wrappedKeys,
    byte[] evidence) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public JoinResponse {
    transcript = transcript.clone();
    Objects.requireNonNull(mode, "mode");
    epochs = List.copyOf(epochs);
    wrappedKeys = wrappedKeys.clone();
    evidence = evidence.clone();
    if (transcript.length != 32 || epochs.isEmpty()) {
      throw new IllegalArgumentException("a join answer has a 32-byte transcript and epochs");
    }
  }

  @Override
  public byte[] transcript() {
    return transcript.clone();
  }

  @Override
  public byte[] wrappedKeys() {
    return wrappedKeys.clone();
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }

  /** The report_data the provider's evidence must carry. */
  public byte[] reportData() {
    return JoinBinding.responseReportData(
        transcript, JoinRequest.modeByte(mode), epochs, wrappedKeys);
  }

  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    HexFormat hex = HexFormat.of();
    n.put("protocol", JoinBinding.PROTOCOL);
    n.put("transcript", hex.formatHex(transcript));
    n.put("mode", mode.name());
    ArrayNode a = n.putArray("epochs");
    for (ClusterKeys.EpochKey e : epochs) {
      a.addObject().put("epoch", e.epoch()).put("secretsPublicKey", e.secretsPublicKeyHex());
    }
    n.put("wrappedKeys", Base64.getEncoder().encodeToString(wrappedKeys));
    n.put("evidence", Base64.getEncoder().encodeToString(evidence));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws JoinRefusedException JOIN_PROVIDER_UNREACHABLE when it is not a join answer
   */
  public static JoinResponse fromJson(byte[] json) {
    try {
      JsonNode n = JSON.readTree(json);
      HexFormat hex = HexFormat.of();
      if (!JoinBinding.PROTOCOL.equals(n.path("protocol").asText())) {
        throw new IllegalArgumentException("protocol is not " + JoinBinding.PROTOCOL);
      }
      List<ClusterKeys.EpochKey> epochs = new ArrayList<>();
      for (JsonNode e : n.path("epochs")) {
        epochs.add(
            new ClusterKeys.EpochKey(
                e.path("epoch").asInt(-1), hex.parseHex(e.path("secretsPublicKey").asText(""))));
      }
      return new JoinResponse(
          hex.parseHex(n.path("transcript").asText("")),
          EnclaveMode.valueOf(n.path("mode").asText("")),
          epochs,
          Base64.getDecoder().decode(n.path("wrappedKeys").asText("")),
          Base64.getDecoder().decode(n.path("evidence").asText("")));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_PROVIDER_UNREACHABLE,
          "the provider's answer is not a join answer: " + e.getMessage());
    }
  }
}
