package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.enclave.dcap.SgxVectors;
import io.nsl.service.ServiceAttestationChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/attestation/check} on a real server: this service's SIMULATED attestation, and
 * the recorded SGX quote of the DCAP vectors (at the time its certificates were valid).
 */
class AttestationCheckIT {
  @TempDir static Path dir;
  static ApiFixture fx;
  static Dev dev;
  static final Instant PHALA_TIME = Instant.parse("2025-07-01T00:00:00Z");
  static final String PHALA_MRENCLAVE =
      "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
  static final OpenApiDoc API = new OpenApiDoc();

  @BeforeAll
  static void start() {
    AtomicReference<ApiFixture> self = new AtomicReference<>();
    ServiceAttestationChecker checker =
        new ServiceAttestationChecker(
            () -> self.get().attestation(),
            SgxVectors.verifier(),
            Clock.fixed(PHALA_TIME, ZoneOffset.UTC),
            Optional.empty());
    fx =
        new ApiFixture(
            dir,
            ApiLimits.defaults(),
            new ConsoleBackends(Optional.empty(), Optional.empty(), Optional.of(checker)));
    self.set(fx);
    dev = new Dev(fx.base());
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static List<String> outcomes(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.path("checks").forEach(c -> out.add(c.path("outcome").asText()));
    return out;
  }

  @Test
  void aSimulatedServiceSaysSoAndChecksOnlyItsBinding() {
    Dev.Answer a = dev.call("POST", "/v1/attestation/check", "{\"from\":\"gateway\"}");
    assertEquals(200, a.status(), a.text());
    API.assertConforms("POST /v1/attestation/check", a);
    assertEquals(true, a.json().path("simulated").asBoolean());
    assertEquals(false, a.json().path("valid").asBoolean());
    List<String> o = outcomes(a.json());
    assertEquals("PASSED", o.getLast(), a.text());
    assertTrue(o.subList(0, o.size() - 1).stream().allMatch("NOT_CHECKED"::equals), a.text());
    assertTrue(a.json().path("checks").get(0).path("words").asText().contains("SIMULATED"));
    assertEquals("SIMULATED", a.json().path("facts").path("mode").asText());
  }

  @Test
  void aRecordedSgxQuotePassesWhatCanBeCheckedWithoutCollateral() {
    String quote = HexFormat.of().formatHex(SgxVectors.phalaQuote());
    String reportData =
        HexFormat.of()
            .formatHex(Arrays.copyOf("Hello, world!".getBytes(StandardCharsets.US_ASCII), 64));
    Dev.Answer a =
        dev.call(
            "POST",
            "/v1/attestation/check",
            "{\"from\":\"quote\",\"quote\":\""
                + quote
                + "\",\"mrEnclave\":\""
                + PHALA_MRENCLAVE
                + "\",\"reportData\":\""
                + reportData
                + "\"}");
    assertEquals(200, a.status(), a.text());
    API.assertConforms("POST /v1/attestation/check", a);
    assertEquals(false, a.json().path("simulated").asBoolean());
    assertEquals(true, a.json().path("valid").asBoolean(), a.text());
    assertEquals(
        List.of("PASSED", "PASSED", "PASSED", "NOT_CHECKED", "NOT_CHECKED", "PASSED", "PASSED"),
        outcomes(a.json()));
    assertEquals(PHALA_MRENCLAVE, a.json().path("facts").path("mrEnclave").asText());
  }

  @Test
  void anAlteredQuoteFailsItsSignature() {
    byte[] q = SgxVectors.phalaQuote();
    q[48 + 320 + 5] ^= 1;
    Dev.Answer a =
        dev.call(
            "POST",
            "/v1/attestation/check",
            "{\"from\":\"quote\",\"quote\":\"" + HexFormat.of().formatHex(q) + "\"}");
    assertEquals(200, a.status(), a.text());
    assertEquals(false, a.json().path("valid").asBoolean());
    assertEquals("FAILED", outcomes(a.json()).get(2));
    assertTrue(
        a.json()
            .path("checks")
            .get(2)
            .path("words")
            .asText()
            .startsWith("QUOTE_SIGNATURE_INVALID"));
  }

  static String quoteBody(String collateral) {
    String reportData =
        HexFormat.of()
            .formatHex(Arrays.copyOf("Hello, world!".getBytes(StandardCharsets.US_ASCII), 64));
    return "{\"from\":\"quote\",\"quote\":\""
        + HexFormat.of().formatHex(SgxVectors.phalaQuote())
        + "\",\"mrEnclave\":\""
        + PHALA_MRENCLAVE
        + "\",\"reportData\":\""
        + reportData
        + "\",\"collateral\":"
        + collateral
        + "}";
  }

  @Test
  void aRecordedSgxQuoteWithItsCollateralPassesEveryCheck() throws Exception {
    String collateral = SgxVectors.phalaCollateralJson();
    String asText =
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(collateral);
    for (String c : List.of(collateral, asText)) {
      Dev.Answer a = dev.call("POST", "/v1/attestation/check", quoteBody(c));
      assertEquals(200, a.status(), a.text());
      API.assertConforms("POST /v1/attestation/check", a);
      assertEquals(true, a.json().path("valid").asBoolean(), a.text());
      assertEquals(
          List.of("PASSED", "PASSED", "PASSED", "PASSED", "PASSED", "PASSED", "PASSED"),
          outcomes(a.json()),
          a.text());
      assertEquals("pasted", a.json().path("facts").path("collateral").asText());
      assertTrue(
          a.json()
              .path("checks")
              .get(4)
              .path("words")
              .asText()
              .contains("ConfigurationAndSWHardeningNeeded"),
          a.text());
    }
  }

  @Test
  void aTamperedTcbInfoFailsWithItsReason() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode c =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(SgxVectors.phalaCollateralJson());
    String tcb = c.get("tcb_info").asText();
    assertTrue(tcb.contains("\"pcesvn\":13"));
    c.put("tcb_info", tcb.replace("\"pcesvn\":13", "\"pcesvn\":12"));
    Dev.Answer a = dev.call("POST", "/v1/attestation/check", quoteBody(c.toString()));
    assertEquals(200, a.status(), a.text());
    assertEquals(false, a.json().path("valid").asBoolean(), a.text());
    JsonNode failed = null;
    for (JsonNode check : a.json().path("checks")) {
      if (check.path("outcome").asText().equals("FAILED")) {
        failed = check;
        break;
      }
    }
    assertTrue(failed != null, a.text());
    assertTrue(
        failed.path("words").asText().startsWith("TCB_INFO_SIGNATURE_INVALID"), failed.toString());
  }

  @Test
  void collateralThatIsNotPccsJsonIsNamed() {
    Dev.Answer notJson = dev.call("POST", "/v1/attestation/check", quoteBody("\"{oops\""));
    assertEquals("INVALID_VALUE", notJson.code(), notJson.text());
    assertTrue(notJson.text().contains("field 'collateral'"), notJson.text());
    Dev.Answer missing =
        dev.call("POST", "/v1/attestation/check", quoteBody("{\"tcb_info\":\"{}\"}"));
    assertEquals("INVALID_VALUE", missing.code(), missing.text());
    assertEquals("WRONG_TYPE", dev.call("POST", "/v1/attestation/check", quoteBody("42")).code());
  }

  @Test
  void theServiceCheckTakesCollateralTooAndStillSaysSimulated() {
    Dev.Answer a =
        dev.call(
            "POST",
            "/v1/attestation/check",
            "{\"from\":\"gateway\",\"collateral\":" + SgxVectors.phalaCollateralJson() + "}");
    assertEquals(200, a.status(), a.text());
    assertEquals(true, a.json().path("simulated").asBoolean());
    assertEquals("pasted", a.json().path("facts").path("collateral").asText());
  }

  @Test
  void badRequestsAreNamed() {
    assertEquals(
        "INVALID_VALUE", dev.call("POST", "/v1/attestation/check", "{\"from\":\"chain\"}").code());
    assertEquals(
        "INVALID_VALUE",
        dev.call("POST", "/v1/attestation/check", "{\"from\":\"quote\",\"quote\":\"zz\"}").code());
    assertEquals(
        "INVALID_VALUE",
        dev.call(
                "POST",
                "/v1/attestation/check",
                "{\"from\":\"quote\",\"quote\":\"00\",\"mrEnclave\":\"abc\"}")
            .code());
    assertEquals(
        "INVALID_VALUE",
        dev.call("POST", "/v1/attestation/check", "{\"from\":\"gateway\",\"quote\":\"00\"}")
            .code());
    assertEquals(
        "MISSING_FIELD", dev.call("POST", "/v1/attestation/check", "{\"from\":\"quote\"}").code());
    assertEquals(
        401,
        dev.send(
                "POST",
                "/v1/attestation/check",
                "{\"from\":\"gateway\"}".getBytes(),
                java.util.Map.of())
            .status());
  }
}
