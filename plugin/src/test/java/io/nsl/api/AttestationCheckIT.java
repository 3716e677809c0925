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
            Clock.fixed(PHALA_TIME, ZoneOffset.UTC));
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
