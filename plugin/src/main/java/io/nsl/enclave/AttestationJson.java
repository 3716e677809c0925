package io.nsl.enclave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HexFormat;

/**
 * The JSON form of an {@link Attestation} that the CLI prints and the HTTP API serves (see
 * docs/enclave.md). Hex is lower-case without 0x except for the gateway script hash, which is
 * written big-endian with 0x as Neo tools print it. Pure; thread-safe.
 */
public final class AttestationJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AttestationJson() {}

  /**
   * The document. For SIMULATED the evidence is embedded as the JSON object it is; for SGX it is
   * the quote in hex ({@code "evidenceEncoding": "hex"}).
   */
  public static ObjectNode toJson(Attestation a) {
    HexFormat hex = HexFormat.of();
    ObjectNode n = JSON.createObjectNode();
    n.put("mode", a.mode().name());
    n.put("simulated", a.simulated());
    if (a.simulated()) {
      n.put("warning", SimulatedEnclave.WARNING);
    }
    n.put("instanceId", a.instanceId());
    n.put("signingPublicKey", hex.formatHex(a.signingPublicKey()));
    n.put("secretsPublicKey", hex.formatHex(a.secretsPublicKey()));
    n.put("networkMagic", a.gateway().networkMagic());
    n.put("gatewayScriptHash", a.gateway().gatewayScriptHashBEHex());
    n.put("reportData", hex.formatHex(a.reportData()));
    n.put(
        "reportDataDefinition",
        "SHA-256(\""
            + ReportData.TAG
            + "\" || networkMagic u32 LE || gatewayScriptHashLE"
            + " || signingPublicKey || secretsPublicKey) || 32 zero bytes");
    n.put("createdAt", a.createdAt().toString());
    if (a.simulated()) {
      n.put("evidenceFormat", SimulatedEnclave.EVIDENCE_FORMAT);
      try {
        n.set("evidence", JSON.readTree(a.evidence()));
      } catch (IOException e) {
        throw new IllegalStateException("simulated evidence is always JSON", e);
      }
    } else {
      n.put("evidenceFormat", "SGX_DCAP_QUOTE_V3");
      n.put("evidenceEncoding", "hex");
      n.put("evidence", hex.formatHex(a.evidence()));
    }
    return n;
  }

  /** True when {@code doc} is an attestation document or evidence saying SIMULATED. */
  public static boolean saysSimulated(JsonNode doc) {
    return "SIMULATED".equals(doc.path("mode").asText())
        || "SIMULATED".equals(doc.path("evidence").path("mode").asText());
  }
}
