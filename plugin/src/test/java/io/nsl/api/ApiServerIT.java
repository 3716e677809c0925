package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.secrets.SecretEnvelopeBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The developer API on a real server on loopback: hostile requests first, then isolation between
 * developers, then each endpoint's happy path; every answer is checked against docs/openapi.yaml.
 */
class ApiServerIT {
  static final int MAX_BODY = 8 * 1024;
  static final String CODE = "function main(input) { return {echo: input}; }";
  static final String CODE_SHA = RequestParts.sha256Hex(CODE);

  @TempDir static Path dir;
  static ApiFixture fx;
  static OpenApiDoc api;
  static Dev alice;
  static Dev bob;

  @BeforeAll
  static void start() {
    fx =
        new ApiFixture(
            dir,
            new ApiLimits(MAX_BODY, Duration.ofMinutes(5), 10_000, 1000, 1000, 1000, 5000, 100));
    api = new OpenApiDoc();
    alice = new Dev(fx.base());
    bob = new Dev(fx.base());
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static String upload(String code) {
    return ApiFixture.JSON.createObjectNode().put("code", code).toString();
  }

  private static void register(String id, Dev owner, String code) {
    fx.chain.functions.put(
        id,
        new ChainView.Registration(
            HexFormat.of().parseHex(RequestParts.sha256Hex(code)), owner.owner(), 1, true));
  }

  private static String envelope(Dev d, String name, String value, long seq) {
    byte[] env =
        SecretEnvelopeBuilder.put(
            fx.enclave.secretsPublicKey(),
            name,
            value.getBytes(StandardCharsets.UTF_8),
            seq,
            d.signer(),
            new SecureRandom());
    return ApiFixture.JSON
        .createObjectNode()
        .put("envelope", Base64.getEncoder().encodeToString(env))
        .toString();
  }

  private static String deleteEnvelope(Dev d, String name, long seq) {
    byte[] env =
        SecretEnvelopeBuilder.delete(
            fx.enclave.secretsPublicKey(), name, seq, d.signer(), new SecureRandom());
    return ApiFixture.JSON
        .createObjectNode()
        .put("envelope", Base64.getEncoder().encodeToString(env))
        .toString();
  }

  private static void assertRefused(Dev.Answer a, int status, String code) {
    assertEquals(status, a.status(), a.text());
    assertEquals(code, a.code(), a.text());
    api.assertError(a);
    assertFalse(
        a.text().contains("at io.nsl") || a.text().contains("Exception"),
        "no stack traces: " + a.text());
  }

  // ------------------------------------------------------------------ hostile requests

  @Test
  void unknownPathAnswers404Json() {
    assertRefused(alice.send("GET", "/nope", null, Map.of()), 404, "NOT_FOUND");
    assertRefused(alice.send("GET", "/v1/nope", null, Map.of()), 404, "NOT_FOUND");
    assertRefused(alice.send("GET", "/v1/functions/a/b/c", null, Map.of()), 404, "NOT_FOUND");
    assertRefused(alice.send("GET", "/v2", null, Map.of()), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethodAnswers405WithAllow() {
    Dev.Answer a = alice.send("POST", "/health", null, Map.of());
    assertRefused(a, 405, "METHOD_NOT_ALLOWED");
    assertEquals(List.of("GET"), a.headers().get("allow"));
    Dev.Answer b = alice.call("PATCH", "/v1/functions/x", "{}");
    assertRefused(b, 405, "METHOD_NOT_ALLOWED");
    assertEquals(List.of("GET, PUT"), b.headers().get("allow"));
  }

  @Test
  void refusesUnsignedRequestsNamingTheMissingHeaders() {
    Dev.Answer a = alice.send("GET", "/v1/functions", null, Map.of());
    assertRefused(a, 401, "AUTH_MISSING");
    assertTrue(a.text().contains(ApiAuth.HEADER_SIGNATURE), a.text());
  }

  @Test
  void refusesMalformedAuthHeaders() {
    Map<String, String> h =
        new java.util.HashMap<>(
            Map.of(
                ApiAuth.HEADER_PUBLIC_KEY,
                "04" + "00".repeat(32),
                ApiAuth.HEADER_TIMESTAMP,
                "123",
                ApiAuth.HEADER_NONCE,
                "n".repeat(20),
                ApiAuth.HEADER_SIGNATURE,
                "00".repeat(64)));
    assertRefused(alice.send("GET", "/v1/functions", null, h), 401, "AUTH_MALFORMED");
    h.put(ApiAuth.HEADER_PUBLIC_KEY, "02" + "ff".repeat(32)); // not on the curve
    assertRefused(alice.send("GET", "/v1/functions", null, h), 401, "AUTH_MALFORMED");
    h.put(ApiAuth.HEADER_PUBLIC_KEY, alice.key.getPublicKey().getEncodedCompressedHex());
    h.put(ApiAuth.HEADER_NONCE, "short");
    assertRefused(alice.send("GET", "/v1/functions", null, h), 401, "AUTH_MALFORMED");
    h.put(ApiAuth.HEADER_NONCE, "n".repeat(20));
    h.put(ApiAuth.HEADER_TIMESTAMP, "-5");
    assertRefused(alice.send("GET", "/v1/functions", null, h), 401, "AUTH_MALFORMED");
  }

  @Test
  void refusesSignatureOverAnotherRequest() {
    long ts = System.currentTimeMillis();
    String nonce = Dev.nonce();
    byte[] sig =
        io.neow3j.crypto.Sign.signMessage(
                ApiAuth.message("GET", "/v1/secrets", ts, nonce, new byte[0]), alice.key)
            .getConcatenated();
    Map<String, String> h =
        Map.of(
            ApiAuth.HEADER_PUBLIC_KEY, alice.key.getPublicKey().getEncodedCompressedHex(),
            ApiAuth.HEADER_TIMESTAMP, Long.toString(ts),
            ApiAuth.HEADER_NONCE, nonce,
            ApiAuth.HEADER_SIGNATURE, HexFormat.of().formatHex(sig));
    assertRefused(alice.send("GET", "/v1/functions", null, h), 401, "AUTH_SIGNATURE_INVALID");
    // same signature, another key claimed: the owner cannot be borrowed
    Map<String, String> h2 = new java.util.HashMap<>(h);
    h2.put(ApiAuth.HEADER_PUBLIC_KEY, bob.key.getPublicKey().getEncodedCompressedHex());
    assertRefused(alice.send("GET", "/v1/secrets", null, h2), 401, "AUTH_SIGNATURE_INVALID");
  }

  @Test
  void refusesTamperedBody() {
    long ts = System.currentTimeMillis();
    String nonce = Dev.nonce();
    byte[] signedBody = upload("x").getBytes(StandardCharsets.UTF_8);
    byte[] sig =
        io.neow3j.crypto.Sign.signMessage(
                ApiAuth.message("PUT", "/v1/functions/f", ts, nonce, signedBody), alice.key)
            .getConcatenated();
    Map<String, String> h =
        Map.of(
            ApiAuth.HEADER_PUBLIC_KEY, alice.key.getPublicKey().getEncodedCompressedHex(),
            ApiAuth.HEADER_TIMESTAMP, Long.toString(ts),
            ApiAuth.HEADER_NONCE, nonce,
            ApiAuth.HEADER_SIGNATURE, HexFormat.of().formatHex(sig));
    assertRefused(
        alice.send("PUT", "/v1/functions/f", upload("evil").getBytes(StandardCharsets.UTF_8), h),
        401,
        "AUTH_SIGNATURE_INVALID");
  }

  @Test
  void refusesReplayedRequest() {
    long ts = System.currentTimeMillis();
    String nonce = Dev.nonce();
    assertEquals(200, alice.call("GET", "/v1/secrets", null, ts, nonce).status());
    assertRefused(alice.call("GET", "/v1/secrets", null, ts, nonce), 401, "AUTH_NONCE_REUSED");
  }

  @Test
  void refusesStaleAndFutureTimestamps() {
    long now = System.currentTimeMillis();
    assertRefused(
        alice.call("GET", "/v1/secrets", null, now - 6 * 60_000, Dev.nonce()),
        401,
        "AUTH_TIMESTAMP_SKEW");
    assertRefused(
        alice.call("GET", "/v1/secrets", null, now + 6 * 60_000, Dev.nonce()),
        401,
        "AUTH_TIMESTAMP_SKEW");
  }

  @Test
  void refusesBadJsonWrongTypesUnknownAndMissingFields() {
    register("shape", alice, CODE);
    assertRefused(alice.call("PUT", "/v1/functions/shape", "{\"code\": "), 400, "BAD_JSON");
    assertRefused(
        alice.call("PUT", "/v1/functions/shape", "{\"code\":\"a\"} trailing"), 400, "BAD_JSON");
    assertRefused(
        alice.call("PUT", "/v1/functions/shape", "{\"code\":\"a\",\"code\":\"b\"}"),
        400,
        "BAD_JSON");
    assertRefused(alice.call("PUT", "/v1/functions/shape", "[1,2]"), 400, "WRONG_TYPE");
    assertRefused(alice.call("PUT", "/v1/functions/shape", "{\"code\": 5}"), 400, "WRONG_TYPE");
    assertRefused(
        alice.call("PUT", "/v1/functions/shape", "{\"code\":\"a\",\"inputSchema\":\"x\"}"),
        400,
        "WRONG_TYPE");
    Dev.Answer u = alice.call("PUT", "/v1/functions/shape", "{\"code\":\"a\",\"owner\":\"0x00\"}");
    assertRefused(u, 400, "UNKNOWN_FIELD");
    assertTrue(u.text().contains("'owner'"), u.text());
    assertRefused(alice.call("PUT", "/v1/functions/shape", "{}"), 400, "MISSING_FIELD");
    assertRefused(alice.call("PUT", "/v1/functions/shape", ""), 400, "BAD_JSON");
    String deep =
        "{\"code\":\"a\",\"inputSchema\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}";
    assertRefused(alice.call("PUT", "/v1/functions/shape", deep), 400, "BAD_JSON");
    assertRefused(
        alice.call("POST", "/v1/secrets", "{\"envelope\":\"%%%\"}"), 400, "INVALID_VALUE");
    assertRefused(
        alice.call("POST", "/v1/secrets", "{\"envelope\":\"AAAA\"}"),
        400,
        "SECRET_ENVELOPE_MALFORMED");
    assertRefused(alice.call("GET", "/v1/executions/abc", null), 400, "INVALID_VALUE");
    assertRefused(
        alice.call("GET", "/v1/executions/99999999999999999999", null), 400, "INVALID_VALUE");
    assertRefused(alice.call("GET", "/v1/failures?limit=0", null), 400, "INVALID_VALUE");
    assertRefused(alice.call("GET", "/v1/failures?colour=red", null), 400, "UNKNOWN_FIELD");
    assertRefused(alice.call("GET", "/v1/functions/" + "x".repeat(65), null), 400, "INVALID_VALUE");
  }

  @Test
  void aFunctionsMemoryBudgetIsStoredWithinTheOperatorsLimitAndRefusedAboveIt() {
    Dev erin = new Dev(fx.base());
    register("erin-fn", erin, CODE);
    String f = "/v1/functions/erin-fn";
    long max = io.nsl.js.ExecutionLimits.DEFAULT_MEMORY_BYTES;
    Dev.Answer over =
        erin.call("PUT", f, "{\"code\":" + q(CODE) + ",\"memoryLimitBytes\":" + (max + 1) + "}");
    assertRefused(over, 400, "INVALID_VALUE");
    assertTrue(
        over.text().contains("memoryLimitBytes: " + (max + 1) + " is outside 1.." + max),
        over.text());
    assertRefused(
        erin.call("PUT", f, "{\"code\":" + q(CODE) + ",\"memoryLimitBytes\":0}"),
        400,
        "INVALID_VALUE");
    assertRefused(
        erin.call("PUT", f, "{\"code\":" + q(CODE) + ",\"memoryLimitBytes\":\"64MiB\"}"),
        400,
        "WRONG_TYPE");
    assertRefused(
        erin.call("PUT", f, "{\"code\":" + q(CODE) + ",\"memoryLimitBytes\":1.5}"),
        400,
        "WRONG_TYPE");
    assertTrue(fx.functions.get("erin-fn").isEmpty(), "a refused upload stores nothing");

    Dev.Answer up = erin.call("PUT", f, "{\"code\":" + q(CODE) + ",\"memoryLimitBytes\":16777216}");
    assertEquals(200, up.status(), up.text());
    assertEquals(16_777_216, fx.functions.get("erin-fn").orElseThrow().memoryLimitBytes());
    Dev.Answer read = erin.call("GET", f, null);
    assertTrue(read.text().contains("\"memoryLimitBytes\":16777216"), read.text());

    // Uploaded again without one: the operator's default (0 here, null in the answer).
    assertEquals(200, erin.call("PUT", f, "{\"code\":" + q(CODE) + "}").status());
    assertEquals(0, fx.functions.get("erin-fn").orElseThrow().memoryLimitBytes());
    assertTrue(erin.call("GET", f, null).text().contains("\"memoryLimitBytes\":null"), "read back");
  }

  private static String q(String s) {
    return ApiFixture.JSON.valueToTree(s).toString();
  }

  @Test
  void aFunctionsDeclaredFetchHostsAreCheckedStoredAndReturned() {
    Dev dana = new Dev(fx.base());
    register("dana-fn", dana, CODE);
    var body = ApiFixture.JSON.createObjectNode().put("code", CODE);
    body.putArray("fetchHosts").add("api.example.com").add("203.0.114.7");
    Dev.Answer up = dana.call("PUT", "/v1/functions/dana-fn", body.toString());
    assertEquals(200, up.status(), up.text());
    // The fixture's operator allows api.example.com only: the other is stored, and said.
    assertTrue(up.text().contains("\"fetchHostsNotAllowed\":[\"203.0.114.7\"]"), up.text());
    assertEquals(
        List.of("api.example.com", "203.0.114.7"),
        fx.functions.get("dana-fn").orElseThrow().fetchHosts().orElseThrow());
    Dev.Answer read = dana.call("GET", "/v1/functions/dana-fn", null);
    assertEquals(200, read.status(), read.text());
    assertTrue(
        read.text().contains("\"fetchHosts\":[\"api.example.com\",\"203.0.114.7\"]"), read.text());

    String f = "/v1/functions/dana-fn";
    assertRefused(
        dana.call("PUT", f, "{\"code\":\"a\",\"fetchHosts\":\"api.example.com\"}"),
        400,
        "WRONG_TYPE");
    assertRefused(dana.call("PUT", f, "{\"code\":\"a\",\"fetchHosts\":[5]}"), 400, "WRONG_TYPE");
    for (String bad :
        List.of("https://api.example.com", "*.example.com", "api.example.com:443", "")) {
      Dev.Answer a = dana.call("PUT", f, "{\"code\":\"a\",\"fetchHosts\":[\"" + bad + "\"]}");
      assertRefused(a, 400, "INVALID_VALUE");
      assertTrue(a.text().contains("without scheme, port, path or wildcard"), a.text());
    }
    var many = ApiFixture.JSON.createObjectNode().put("code", "a");
    var hosts = many.putArray("fetchHosts");
    for (int i = 0; i <= DeveloperApi.MAX_FETCH_HOSTS; i++) {
      hosts.add("h" + i + ".example.com");
    }
    assertRefused(dana.call("PUT", f, many.toString()), 400, "INVALID_VALUE");
    // Refusals changed nothing.
    assertEquals(
        List.of("api.example.com", "203.0.114.7"),
        fx.functions.get("dana-fn").orElseThrow().fetchHosts().orElseThrow());
  }

  @Test
  void refusesMalformedPercentEncoding() throws IOException {
    // The JDK server refuses the request line itself (its own plain-text 400, before our handler).
    String answer = raw("GET /v1/functions/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
  }

  @Test
  void refusesNonJsonContentType() {
    Dev.Answer a =
        alice.send(
            "POST",
            "/v1/secrets",
            "envelope=1".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertRefused(a, 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void refusesOversizeBodyByDeclaredLengthWithoutReadingIt() throws IOException {
    String answer =
        raw(
            "PUT /v1/functions/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 50000000\r\n\r\n{\"code\":\"");
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.contains("BODY_TOO_LARGE"), answer);
  }

  @Test
  void refusesOversizeChunkedBody() throws IOException {
    int n = MAX_BODY + 100;
    String chunk = Integer.toHexString(n) + "\r\n" + "a".repeat(n) + "\r\n0\r\n\r\n";
    String answer =
        raw(
            "PUT /v1/functions/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + chunk);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.contains("BODY_TOO_LARGE"), answer);
  }

  @Test
  void randomGarbageNeverAnswers5xxAndAlwaysJson() {
    Random r = new Random(20250901L);
    List<String> targets =
        List.of(
            "/v1/functions",
            "/v1/functions/f",
            "/v1/secrets",
            "/v1/secrets/K",
            "/v1/executions/1",
            "/v1/failures",
            "/v1/enclave",
            "/v1/functions/%C3%A9");
    List<String> methods = List.of("GET", "PUT", "POST", "DELETE");
    for (int i = 0; i < 150; i++) {
      String target = targets.get(r.nextInt(targets.size()));
      String method = methods.get(r.nextInt(methods.size()));
      byte[] junk = new byte[r.nextInt(300)];
      r.nextBytes(junk);
      String body =
          switch (r.nextInt(4)) {
            case 0 -> new String(junk, StandardCharsets.ISO_8859_1);
            case 1 -> "{\"code\":" + r.nextInt() + "}";
            case 2 -> "{\"envelope\":\"" + Base64.getEncoder().encodeToString(junk) + "\"}";
            default ->
                "{\"code\":\""
                    + "x".repeat(r.nextInt(50))
                    + "\",\"inputSchema\":{\"type\":\"object\"}}";
          };
      Dev.Answer a = alice.call(method, target, body);
      assertTrue(a.status() < 500, method + " " + target + " " + body + " -> " + a.text());
      if (a.status() >= 400) {
        api.assertError(a);
      }
    }
  }

  @Test
  void rateLimitsEachCallerWithRetryAfter(@TempDir Path other) {
    try (ApiFixture small =
        new ApiFixture(
            other, new ApiLimits(4096, Duration.ofMinutes(5), 1000, 0.001, 3, 1000, 1000, 10))) {
      Dev d = new Dev(small.base());
      for (int i = 0; i < 3; i++) {
        assertEquals(200, d.call("GET", "/v1/secrets", null).status());
      }
      Dev.Answer a = d.call("GET", "/v1/secrets", null);
      assertEquals(429, a.status(), a.text());
      assertEquals("RATE_LIMITED", a.code());
      assertNotNull(a.headers().get("retry-after"));
      // another developer is not affected
      assertEquals(200, new Dev(small.base()).call("GET", "/v1/secrets", null).status());
    }
  }

  // ------------------------------------------------------------------ isolation

  @Test
  void aDeveloperCanNeverReadAnotherDevelopersAnything() {
    register("alice-fn", alice, CODE);
    assertEquals(200, alice.call("PUT", "/v1/functions/alice-fn", upload(CODE)).status());
    String aliceSecret = envelope(alice, "ALICE_KEY", "alice-value", 10);
    assertEquals(200, alice.call("POST", "/v1/secrets", aliceSecret).status());
    fx.executions.put(
        new ExecutionRecords.Execution(
            7001,
            "alice-fn",
            alice.owner(),
            "0x" + "11".repeat(20),
            12,
            3,
            "RUNTIME_ERROR",
            null,
            55,
            List.of("boom"),
            "Error: boom",
            1_700_000_000_000L));

    // functions
    assertRefused(bob.call("GET", "/v1/functions/alice-fn", null), 404, "FUNCTION_NOT_FOUND");
    JsonNode list = bob.call("GET", "/v1/functions", null).json();
    assertEquals(0, list.path("functions").size(), list.toString());
    assertRefused(
        bob.call("PUT", "/v1/functions/alice-fn", upload("stolen")), 403, "FUNCTION_NOT_OWNER");
    assertEquals(CODE, fx.functions.get("alice-fn").orElseThrow().code());
    // executions and failures
    assertRefused(bob.call("GET", "/v1/executions/7001", null), 404, "EXECUTION_NOT_FOUND");
    assertEquals(0, bob.call("GET", "/v1/failures", null).json().path("failures").size());
    assertEquals(
        0,
        bob.call("GET", "/v1/failures?functionId=alice-fn", null).json().path("failures").size());
    // secrets: names, a captured envelope re-sent by bob, a delete of alice's name by bob
    assertFalse(bob.call("GET", "/v1/secrets", null).text().contains("ALICE_KEY"));
    assertRefused(bob.call("POST", "/v1/secrets", aliceSecret), 403, "SECRET_NOT_CALLER");
    assertRefused(
        bob.call("DELETE", "/v1/secrets/ALICE_KEY", deleteEnvelope(alice, "ALICE_KEY", 11)),
        403,
        "SECRET_NOT_CALLER");
    assertEquals(
        200,
        bob.call("DELETE", "/v1/secrets/ALICE_KEY", deleteEnvelope(bob, "ALICE_KEY", 1)).status());
    assertEquals(List.of("ALICE_KEY"), names(alice));
  }

  private static List<String> names(Dev d) {
    List<String> out = new java.util.ArrayList<>();
    d.call("GET", "/v1/secrets", null).json().path("names").forEach(n -> out.add(n.asText()));
    return out;
  }

  // ------------------------------------------------------------------ endpoints, checked against
  // the OpenAPI file

  @Test
  void openApiDocumentsExactlyTheServedRoutes() {
    Set<String> served = new TreeSet<>(DeveloperApi.ROUTES);
    served.addAll(List.of("GET /health", "GET /ready", "GET /metrics"));
    assertEquals(served, api.operations());
  }

  @Test
  void everyDocumentedOperationAnswersAsDocumented() {
    Dev carol = new Dev(fx.base());
    register("carol-fn", carol, CODE);
    fx.chain.states.put(8001L, "FULFILLED");
    fx.executions.put(
        new ExecutionRecords.Execution(
            8001,
            "carol-fn",
            carol.owner(),
            "0x" + "22".repeat(20),
            30,
            0,
            "OK",
            "{\"echo\":1}",
            1234,
            List.of("hello"),
            null,
            1_700_000_000_000L));
    fx.executions.put(
        new ExecutionRecords.Execution(
            8002,
            "carol-fn",
            carol.owner(),
            "0x" + "22".repeat(20),
            31,
            4,
            "GAS_EXHAUSTED",
            null,
            100,
            List.of(),
            "gas limit 100 reached",
            1_700_000_001_000L));

    api.assertConforms("GET /health", carol.send("GET", "/health", null, Map.of()));
    api.assertConforms("GET /ready", carol.send("GET", "/ready", null, Map.of()));
    Dev.Answer metrics = carol.send("GET", "/metrics", null, Map.of());
    assertEquals(200, metrics.status());
    assertTrue(metrics.text().contains("nsl_queue_depth"));

    Dev.Answer enclave = carol.send("GET", "/v1/enclave", null, Map.of());
    api.assertConforms("GET /v1/enclave", enclave);
    assertEquals(
        HexFormat.of().formatHex(fx.enclave.secretsPublicKey()),
        enclave.json().path("secretsPublicKey").asText());

    // upload: not registered -> what to register; wrong code -> both hashes; right code -> stored
    Dev.Answer notReg = carol.call("PUT", "/v1/functions/unregistered", upload(CODE));
    api.assertConforms("PUT /v1/functions/{functionId}", notReg);
    assertEquals("FUNCTION_NOT_REGISTERED", notReg.code());
    JsonNode reg = notReg.json().path("error").path("details").path("register");
    assertEquals(CODE_SHA, reg.path("codeSha256").asText());
    assertEquals(carol.owner(), reg.path("owner").asText());
    Dev.Answer mismatch = carol.call("PUT", "/v1/functions/carol-fn", upload(CODE + " "));
    api.assertConforms("PUT /v1/functions/{functionId}", mismatch);
    assertEquals("FUNCTION_CODE_HASH_MISMATCH", mismatch.code());
    Dev.Answer stored =
        carol.call(
            "PUT",
            "/v1/functions/carol-fn",
            "{\"code\":"
                + ApiFixture.JSON.valueToTree(CODE)
                + ",\"inputSchema\":{\"type\":\"object\"}}");
    api.assertConforms("PUT /v1/functions/{functionId}", stored);
    assertEquals(200, stored.status(), stored.text());

    Dev.Answer list = carol.call("GET", "/v1/functions", null);
    api.assertConforms("GET /v1/functions", list);
    assertEquals("carol-fn", list.json().path("functions").path(0).path("functionId").asText());
    Dev.Answer one = carol.call("GET", "/v1/functions/carol-fn", null);
    api.assertConforms("GET /v1/functions/{functionId}", one);
    assertEquals(CODE, one.json().path("code").asText());
    assertTrue(one.json().path("registration").path("matchesStoredCode").asBoolean());
    api.assertConforms(
        "GET /v1/functions/{functionId}", carol.call("GET", "/v1/functions/unknown", null));

    // secrets
    Dev.Answer put = carol.call("POST", "/v1/secrets", envelope(carol, "API_KEY", "s3cr3t", 100));
    api.assertConforms("POST /v1/secrets", put);
    assertEquals(200, put.status(), put.text());
    assertFalse(put.text().contains("s3cr3t"));
    assertEquals(
        "s3cr3t",
        new String(
            fx.secrets.get(io.nsl.secrets.SecretOwner.fromScriptHashHex(carol.owner()), "API_KEY"),
            StandardCharsets.UTF_8));
    Dev.Answer stale = carol.call("POST", "/v1/secrets", envelope(carol, "API_KEY", "older", 99));
    api.assertConforms("POST /v1/secrets", stale);
    assertEquals("SECRET_STALE_SEQUENCE", stale.code());
    Dev.Answer names = carol.call("GET", "/v1/secrets", null);
    api.assertConforms("GET /v1/secrets", names);
    assertEquals("API_KEY", names.json().path("names").path(0).asText());
    Dev.Answer wrongName =
        carol.call("DELETE", "/v1/secrets/OTHER", deleteEnvelope(carol, "API_KEY", 101));
    api.assertConforms("DELETE /v1/secrets/{name}", wrongName);
    assertEquals("SECRET_NAME_MISMATCH", wrongName.code());
    Dev.Answer del =
        carol.call("DELETE", "/v1/secrets/API_KEY", deleteEnvelope(carol, "API_KEY", 102));
    api.assertConforms("DELETE /v1/secrets/{name}", del);
    assertEquals(200, del.status(), del.text());
    assertEquals(List.of(), names(carol));

    // executions
    Dev.Answer ex = carol.call("GET", "/v1/executions/8001", null);
    api.assertConforms("GET /v1/executions/{requestId}", ex);
    assertEquals("FULFILLED", ex.json().path("chainState").asText());
    assertEquals(1234, ex.json().path("gasUsed").asLong());
    assertEquals(1, ex.json().path("result").path("echo").asInt());
    api.assertConforms(
        "GET /v1/executions/{requestId}", carol.call("GET", "/v1/executions/9999", null));
    Dev.Answer failures = carol.call("GET", "/v1/failures?functionId=carol-fn&limit=5", null);
    api.assertConforms("GET /v1/failures", failures);
    assertEquals(1, failures.json().path("failures").size(), failures.text());
    assertEquals("GAS_EXHAUSTED", failures.json().path("failures").path(0).path("kind").asText());
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before the whole body is written; read what it said
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
          if (got.toString(StandardCharsets.ISO_8859_1).contains("\"}}")) {
            break;
          }
        }
      } catch (IOException e) {
        // connection reset after the answer
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
