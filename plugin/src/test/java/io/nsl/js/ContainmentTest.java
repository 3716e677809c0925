package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests against a real engine: none may end the calling (executor) thread, each is
 * answered, and the engine keeps answering afterwards.
 */
class ContainmentTest {
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static void engineStillAnswers() {
    ExecutionResult r = engine.execute(Requests.of("function main(i){ return i + 1 }", "41"));
    assertEquals("42", r.resultJsonString(), r.errorMessage());
  }

  @Test
  void selfReferencingSchemaIsInvalidInputWithNoGas() {
    // Before: StackOverflowError thrown out of execute(), ending the executor thread.
    ExecutionResult r =
        engine.execute(
            Requests.withSchema("function main(){ return 1 }", "{}", "{\"$ref\":\"#\"}"));
    assertEquals(ErrorKind.INVALID_INPUT, r.status(), r.errorMessage());
    assertEquals(0, r.gasUsed());
    assertTrue(r.errorMessage().contains("refers to itself"), r.errorMessage());
    engineStillAnswers();
  }

  @Test
  void backtrackingPatternIsAnsweredAtOnce() {
    // Before: java.util.regex held the thread for hours on 40 a's (6.6 s on 26).
    ExecutionResult r =
        engine.execute(
            Requests.withSchema(
                "function main(){ return 1 }",
                "\"" + "a".repeat(40) + "!\"",
                "{\"type\":\"string\",\"pattern\":\"(.*a){12}$\"}"));
    assertEquals(ErrorKind.INVALID_INPUT, r.status(), r.errorMessage());
    assertEquals(0, r.gasUsed());
    engineStillAnswers();
  }

  @Test
  void schemaThatMultipliesItsWorkIsInvalidInput() {
    // Before: 2^depth subschema checks on the executor thread (depth 18: 73 s).
    ExecutionResult r =
        engine.execute(
            Requests.withSchema(
                "function main(){ return 1 }",
                "[".repeat(30) + "1" + "]".repeat(30),
                "{\"anyOf\":[{\"type\":\"array\",\"items\":{\"$ref\":\"#\"},\"maxItems\":0},"
                    + "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}]}"));
    assertEquals(ErrorKind.INVALID_INPUT, r.status(), r.errorMessage());
    assertEquals(0, r.gasUsed());
    engineStillAnswers();
  }

  @Test
  void longSecretIsScrubbedBeforeTheLogLineIsCut() {
    // Before: the line was cut at 2,000 characters first, so the cut secret no longer matched and
    // its first 2,000 characters were printed.
    String pem = "-----BEGIN PRIVATE KEY-----\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".repeat(150);
    ExecutionResult r =
        engine.execute(
            Requests.of(
                "function main(){ const k = getSecret('pem'); log('key', k); log({k}); return 1 }",
                "null",
                Requests.GAS,
                Requests.host(java.util.Map.of("pem", pem))));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals(java.util.List.of("key [REDACTED]", "{\"k\":\"[REDACTED]\"}"), r.logs());
  }
}
