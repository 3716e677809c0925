package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everyday JavaScript answers in the sandbox exactly as in Node: every function in
 * resources/io/nsl/js/standard, sloppy and strict, against the answers Node gave for the same file
 * ({@code node-answers.json}, written by {@code record-node-answers.js} in that folder). The
 * functions are the patterns frozen intrinsics used to break (the override mistake: {@code
 * this.name = ...} in an error class, {@code o.toString = f}, {@code p.then = f}, {@code
 * C.prototype.constructor = C}) and top-level {@code var}s named like the API globals.
 */
class StandardJavaScriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static JavaScriptEngine engine;
  static JsonNode node;

  @BeforeAll
  static void start() throws IOException {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
    try (InputStream in =
        StandardJavaScriptTest.class.getResourceAsStream("standard/node-answers.json")) {
      node = JSON.readTree(in);
    }
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  record Case(String file, boolean strict, String code) {
    @Override
    public String toString() {
      return file + (strict ? " strict" : " sloppy");
    }
  }

  static Stream<Case> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(StandardJavaScriptTest.class.getResource("standard").toURI());
    List<Case> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p :
          s.filter(f -> f.toString().endsWith(".js"))
              .filter(f -> !f.getFileName().toString().startsWith("record-"))
              .sorted()
              .toList()) {
        String code = Files.readString(p, StandardCharsets.UTF_8);
        String name = p.getFileName().toString();
        out.add(new Case(name, false, code));
        out.add(new Case(name, true, "'use strict';\n" + code));
      }
    }
    assertTrue(out.size() >= 20, "the corpus has only " + out.size() / 2 + " functions");
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsNodeDoes(Case c) throws IOException {
    JsonNode want = node.path("answers").path(c.toString());
    assertFalse(
        want.isMissingNode(),
        c + " has no recorded Node answer: run record-node-answers.js in its folder");
    String input = JSON.writeValueAsString(node.path("input"));
    ExecutionResult r = engine.execute(Requests.of(c.code(), input));
    if (want.has("error")) {
      assertEquals(ErrorKind.RUNTIME_ERROR, r.status(), c + ": " + r.errorMessage());
      assertTrue(
          r.errorMessage().startsWith(want.get("error").asText() + ":"),
          c + ": Node threw " + want.get("error").asText() + ", the sandbox " + r.errorMessage());
      return;
    }
    assertEquals(ErrorKind.OK, r.status(), c + ": " + r.errorMessage());
    assertEquals(
        JSON.readTree(want.get("result").asText()), JSON.readTree(r.resultJson()), c.toString());
  }

  @Test
  void everyRecordedAnswerHasItsFunction() throws IOException, URISyntaxException {
    List<String> names = cases().map(Case::toString).toList();
    node.path("answers")
        .fieldNames()
        .forEachRemaining(
            n -> assertTrue(names.contains(n), n + " is recorded but its file is gone"));
  }
}
