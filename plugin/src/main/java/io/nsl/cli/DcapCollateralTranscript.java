package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.ContractParameter;
import io.nsl.enclave.dcap.Collateral;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Intel's TCB info and QE identity, as the gateway's {@code setTcbInfo} and {@code setQeIdentity}
 * take them (contracts/README.md; decision 0401). Pure: the caller has verified Intel's signatures
 * (with {@code DcapQuoteVerifier}) before transcribing. {@code sourceSha256} is the SHA-256 of the
 * exact signed JSON text, so anyone can compare what is on chain with Intel's document.
 */
final class DcapCollateralTranscript {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DcapCollateralTranscript() {}

  /** The collateral JSON lacks a field the gateway needs, or a field is malformed. */
  static final class Malformed extends io.nsl.NslException {
    Malformed(String what) {
      super("COLLATERAL_FORMAT", "the collateral cannot be transcribed for the gateway: " + what);
    }
  }

  /** Arguments of {@code setTcbInfo}. */
  static List<ContractParameter> tcbInfo(Collateral c) {
    JsonNode info = parse(c.tcbInfoJson(), "TCB info");
    int version = info.path("version").asInt(-1);
    if (version != 2 && version != 3) {
      throw new Malformed("TCB info version " + info.path("version") + " is not 2 or 3");
    }
    List<ContractParameter> levels = new ArrayList<>();
    for (JsonNode level : info.path("tcbLevels")) {
      JsonNode tcb = level.path("tcb");
      byte[] comps = new byte[16];
      for (int i = 0; i < 16; i++) {
        JsonNode comp =
            version == 3
                ? tcb.path("sgxtcbcomponents").path(i).path("svn")
                : tcb.path(String.format("sgxtcbcomp%02dsvn", i + 1));
        if (!comp.isInt() || comp.asInt() < 0 || comp.asInt() > 255) {
          throw new Malformed("a TCB level's SGX TCB component " + (i + 1) + " is not 0..255");
        }
        comps[i] = (byte) comp.asInt();
      }
      if (!tcb.path("pcesvn").isInt() || !level.path("tcbStatus").isTextual()) {
        throw new Malformed("a TCB level lacks pcesvn or tcbStatus");
      }
      levels.add(
          ContractParameter.array(
              ContractParameter.byteArray(comps),
              ContractParameter.integer(tcb.path("pcesvn").asInt()),
              ContractParameter.string(level.path("tcbStatus").asText())));
    }
    if (levels.isEmpty()) {
      throw new Malformed("the TCB info has no tcbLevels");
    }
    return List.of(
        ContractParameter.byteArray(hex(info, "fmspc", 6)),
        ContractParameter.byteArray(hex(info, "pceId", 2)),
        ContractParameter.integer(millis(info, "issueDate")),
        ContractParameter.integer(millis(info, "nextUpdate")),
        ContractParameter.array(levels),
        ContractParameter.byteArray(sha256(c.tcbInfoJson())));
  }

  /** Arguments of {@code setQeIdentity}. */
  static List<ContractParameter> qeIdentity(Collateral c) {
    JsonNode id = parse(c.qeIdentityJson(), "QE identity");
    if (!"QE".equals(id.path("id").asText())) {
      throw new Malformed("the QE identity's id is '" + id.path("id").asText() + "', not QE");
    }
    List<ContractParameter> levels = new ArrayList<>();
    for (JsonNode level : id.path("tcbLevels")) {
      if (!level.path("tcb").path("isvsvn").isInt() || !level.path("tcbStatus").isTextual()) {
        throw new Malformed("a QE TCB level lacks tcb.isvsvn or tcbStatus");
      }
      levels.add(
          ContractParameter.array(
              ContractParameter.integer(level.path("tcb").path("isvsvn").asInt()),
              ContractParameter.string(level.path("tcbStatus").asText())));
    }
    if (levels.isEmpty() || !id.path("isvprodid").isInt()) {
      throw new Malformed("the QE identity has no tcbLevels or no isvprodid");
    }
    return List.of(
        ContractParameter.byteArray(hex(id, "mrsigner", 32)),
        ContractParameter.integer(id.path("isvprodid").asInt()),
        ContractParameter.integer(new BigInteger(1, hex(id, "miscselect", 4))),
        ContractParameter.integer(new BigInteger(1, hex(id, "miscselectMask", 4))),
        ContractParameter.byteArray(hex(id, "attributes", 16)),
        ContractParameter.byteArray(hex(id, "attributesMask", 16)),
        ContractParameter.integer(millis(id, "issueDate")),
        ContractParameter.integer(millis(id, "nextUpdate")),
        ContractParameter.array(levels),
        ContractParameter.byteArray(sha256(c.qeIdentityJson())));
  }

  private static JsonNode parse(String json, String what) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new Malformed("the " + what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new Malformed("the " + what + " is not valid JSON");
    }
  }

  private static byte[] hex(JsonNode n, String field, int bytes) {
    try {
      byte[] b = HexFormat.of().parseHex(n.path(field).asText());
      if (b.length == bytes) {
        return b;
      }
    } catch (IllegalArgumentException e) {
      // reported below with the field's name
    }
    throw new Malformed(field + " must be " + bytes + " bytes of hex, got '" + n.path(field) + "'");
  }

  private static BigInteger millis(JsonNode n, String field) {
    try {
      return BigInteger.valueOf(Instant.parse(n.path(field).asText()).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new Malformed(field + " is not an ISO-8601 time: '" + n.path(field).asText() + "'");
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
