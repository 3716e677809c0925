package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaScriptEngineTest {
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine =
        JavaScriptEngine.start(
            EngineConfig.defaults()
                .withLimits(
                    ExecutionLimits.defaults().withTimeout(java.time.Duration.ofSeconds(3))));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void startsColdInsteadOfStoppingWhenItsWarmUpRunsOutOfTime() {
    // 1 ms per warm-up run: every run times out, as on a machine starting many JVMs at once.
    try (JavaScriptEngine cold =
        JavaScriptEngine.startWithWarmupTimeout(
            EngineConfig.defaults(), java.time.Duration.ofMillis(1))) {
      ExecutionResult r = cold.execute(Requests.of("function main(i){ return i + 1 }", "41"));
      assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
      assertEquals("42", r.resultJsonString());
    }
  }

  @Test
  void runsWithTheJitOn() {
    assertTrue(engine.runtime().jit(), engine.runtime().toString());
  }

  @Test
  void returnsMainsResultAsJson() {
    ExecutionResult r =
        engine.execute(
            Requests.of("function main(i){ return {sum: i.a + i.b} }", "{\"a\":1,\"b\":2}"));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("{\"sum\":3}", r.resultJsonString());
    assertTrue(r.gasUsed() > GasTable.EXECUTION_BASE);
  }

  @Test
  void awaitsAsyncMain() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "async function main(i){ const x = await Promise.resolve(i * 2); return x + 1 }",
                "20"));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("41", r.resultJsonString());
  }

  @Test
  void undefinedResultIsNull() {
    ExecutionResult r = engine.execute(Requests.of("function main(){ }", "null"));
    assertEquals("null", r.resultJsonString());
  }

  @Test
  void logsAreKeptAndSecretsScrubbed() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ const k = getSecret('apiKey'); log('key is', k); console.log({k}); return k.length }",
                "null",
                Requests.GAS,
                Requests.host(Map.of("apiKey", "s3cr3t-value"))));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals(List.of("key is [REDACTED]", "{\"k\":\"[REDACTED]\"}"), r.logs());
    assertEquals("12", r.resultJsonString());
  }

  @Test
  void missingSecretIsSecretNotFound() {
    ExecutionResult r =
        engine.execute(Requests.of("function main(){ return getSecret('nope') }", "null"));
    assertEquals(ErrorKind.SECRET_NOT_FOUND, r.status());
    assertTrue(r.errorMessage().contains("nope"), r.errorMessage());
  }

  @Test
  void aForgedKindIsARuntimeError() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ const e = new Error('x'); e.kind = 'SECRET_NOT_FOUND'; throw e }",
                "null"));
    assertEquals(ErrorKind.RUNTIME_ERROR, r.status());
  }

  @Test
  void storageRoundTripsWithinAndAcrossRuns() {
    HostServices host = Requests.host(Map.of());
    String code =
        "function main(i){ const n = Number(storage.get('n') || '0') + 1; storage.put('n', String(n));"
            + " storage.put('x/' + n, 'v'); return {n, keys: storage.list('x/')} }";
    engine.execute(Requests.of(code, "null", Requests.GAS, host));
    ExecutionResult r = engine.execute(Requests.of(code, "null", Requests.GAS, host));
    assertEquals("{\"n\":2,\"keys\":[\"x/1\",\"x/2\"]}", r.resultJsonString());
  }

  @Test
  void storageQuotaIsReported() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ for (let i = 0; i < 100; i++) storage.put('k' + i, 'x'.repeat(1000)); }",
                "null"));
    assertEquals(ErrorKind.STORAGE_QUOTA_EXCEEDED, r.status(), r.errorMessage());
  }

  @Test
  void cryptoMatchesKnownVectors() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ return [crypto.sha256('abc'), crypto.hmacSha256('key', 'The quick brown fox jumps over the lazy dog'), crypto.randomBytes(2)] }",
                "null"));
    assertEquals(
        "[\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\","
            + "\"f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8\",\"2a2a\"]",
        r.resultJsonString());
  }

  @Test
  void contextDescribesTheRequest() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ return [context.functionId, context.requestId, context.owner, context.blockTime, context.gasLimit] }",
                "null"));
    assertEquals("[\"fn-1\",\"req-1\",\"NOwner\",1767225600000,10000000]", r.resultJsonString());
  }

  @Test
  void prototypesAreFrozen() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ Object.prototype.x = 1; Array.prototype.push = null; return [({}).x, typeof [].push] }",
                "null"));
    assertEquals("[null,\"function\"]", r.resultJsonString(), r.errorMessage());
  }

  @Test
  void schemaRejectsBadInputBeforeTheFunctionRuns() {
    String schema =
        "{\"type\":\"object\",\"required\":[\"n\"],\"properties\":{\"n\":{\"type\":\"integer\"}}}";
    ExecutionResult bad =
        engine.execute(
            Requests.withSchema("function main(i){ return i.n }", "{\"n\":\"x\"}", schema));
    assertEquals(ErrorKind.INVALID_INPUT, bad.status());
    assertEquals(0, bad.gasUsed());
    ExecutionResult good =
        engine.execute(Requests.withSchema("function main(i){ return i.n }", "{\"n\":3}", schema));
    assertEquals("3", good.resultJsonString());
  }

  @Test
  void schemaWithRemoteRefIsRefused() {
    ExecutionResult r =
        engine.execute(
            Requests.withSchema(
                "function main(i){ return 1 }", "{}", "{\"$ref\":\"https://example.com/s.json\"}"));
    assertEquals(ErrorKind.INVALID_INPUT, r.status());
    assertTrue(r.errorMessage().contains("only local"), r.errorMessage());
  }

  @Test
  void gasLimitAboveMaximumIsInvalidInput() {
    ExecutionResult r =
        engine.execute(
            Requests.of("function main(){}", "null", Long.MAX_VALUE, Requests.host(Map.of())));
    assertEquals(ErrorKind.INVALID_INPUT, r.status());
  }

  @Test
  void gasExhaustionReportsTheLimit() {
    ExecutionResult r =
        engine.execute(
            Requests.of("function main(){ for(;;){} }", "null", 50_000, Requests.host(Map.of())));
    assertEquals(ErrorKind.GAS_EXHAUSTED, r.status());
    assertEquals(50_000, r.gasUsed());
  }

  @Test
  void aTimeoutIsChargedTheWholeLimitAndNamesTheDeadlineThatApplied() {
    // The engine's own deadline is 3 s; this run's is 200 ms, and the message must say so.
    long limit = engine.limits().maxGasLimit();
    ExecutionResult r =
        engine.execute(
            Requests.of("function main(){ for(;;){} }", "null", limit, Requests.host(Map.of())),
            java.time.Duration.ofMillis(200));
    assertEquals(ErrorKind.TIMEOUT, r.status(), r.errorMessage());
    assertEquals("the function ran longer than its 200 ms deadline", r.errorMessage());
    assertEquals(limit, r.gasUsed());
  }

  @Test
  void guestCannotCatchGasExhaustion() {
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ let n = 0; for(;;){ try { for(;;){ n++ } } catch (e) { return 'caught' } } }",
                "null",
                50_000,
                Requests.host(Map.of())));
    assertEquals(ErrorKind.GAS_EXHAUSTED, r.status());
    assertFalse(r.ok());
  }
}
