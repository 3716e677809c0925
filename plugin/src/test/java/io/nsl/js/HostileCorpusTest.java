package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus: every file in resources/io/nsl/js/hostile is a function with a header ({@code
 * // expect: KIND}, optional {@code // result: JSON}, {@code // input: JSON}, {@code // gas: N}
 * (the limit), {@code // memory: bytes} (the memory budget), {@code // message: TEXT} (a part of
 * the error message), {@code // charged: limit} (gas used is the whole limit)). Each runs on one
 * shared engine; after each, an ordinary function must still run and see no trace of it.
 */
class HostileCorpusTest {
  private static final String PROBE =
      "function main(){ return [typeof leak, ({}).polluted === undefined, [1, 2].map(x => x * 2),"
          + " JSON.stringify({a: 1}), typeof Promise.prototype.then] }";
  private static final String PROBE_RESULT =
      "[\"undefined\",true,[2,4],\"{\\\"a\\\":1}\",\"function\"]";

  /** Runs the cases that expect TIMEOUT: a short deadline keeps the suite quick. */
  static JavaScriptEngine strict;

  /**
   * Runs every other case. Gas, memory and result limits must be what stops those functions, not
   * the clock; on a loaded 2-core machine a 10M-gas loop or a memory bomb can take longer than 5 s
   * of wall time to reach its limit, so their deadline is generous.
   */
  static JavaScriptEngine patient;

  @BeforeAll
  static void start() {
    strict = start(Duration.ofSeconds(5));
    patient = start(Duration.ofSeconds(60));
  }

  private static JavaScriptEngine start(Duration timeout) {
    return JavaScriptEngine.start(
        EngineConfig.defaults()
            .withLimits(
                ExecutionLimits.defaults().withTimeout(timeout).withHeapHighWaterFraction(0.3)));
  }

  @AfterAll
  static void stop() {
    strict.close();
    patient.close();
  }

  private static final java.util.regex.Pattern HEADER =
      java.util.regex.Pattern.compile("// ([a-z]+): (.*)");

  record Case(String name, String code, Map<String, String> headers) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(HostileCorpusTest.class.getResource("hostile").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".js")).sorted().toList();
    }
    assertTrue(files.size() >= 50, "the corpus has only " + files.size() + " functions");
    return files.stream().map(HostileCorpusTest::load);
  }

  private static Case load(Path p) {
    try {
      String code = Files.readString(p, StandardCharsets.UTF_8);
      Map<String, String> h = new HashMap<>();
      for (String line : code.split("\n")) {
        if (!line.startsWith("// ")) {
          break;
        }
        // Header lines are "// key: value"; other leading comment lines say why.
        java.util.regex.Matcher m = HEADER.matcher(line);
        if (m.matches()) {
          h.put(m.group(1), m.group(2).trim());
        }
      }
      return new Case(p.getFileName().toString(), code, h);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileFunctionIsContained(Case c) {
    ErrorKind want = ErrorKind.valueOf(c.headers().get("expect"));
    long gas = Long.parseLong(c.headers().getOrDefault("gas", "10000000"));
    String input = c.headers().getOrDefault("input", "null");
    JavaScriptEngine engine = want == ErrorKind.TIMEOUT ? strict : patient;
    long recyclesBefore = engine.recycles();
    long memory = Long.parseLong(c.headers().getOrDefault("memory", "0"));
    ExecutionResult r =
        engine.execute(Requests.of(c.code(), input, gas, Requests.host(Map.of()), memory));

    assertEquals(want, r.status(), c.name() + ": " + r.errorMessage());
    if (c.headers().containsKey("result")) {
      assertEquals(c.headers().get("result"), r.resultJsonString(), c.name());
    }
    assertTrue(r.gasUsed() <= gas, "gas used " + r.gasUsed() + " > limit " + gas);
    if (c.headers().containsKey("message")) {
      assertTrue(
          r.errorMessage().contains(c.headers().get("message")),
          c.name() + ": the message is " + r.errorMessage());
    }
    if (want == ErrorKind.GAS_EXHAUSTED
        || want == ErrorKind.TIMEOUT
        || "limit".equals(c.headers().get("charged"))) {
      // How far a run got by its deadline depends on the machine; the whole limit does not.
      assertEquals(gas, r.gasUsed(), want + " reports the limit as used");
    }
    assertTrue(r.logs().size() <= engine.limits().maxLogLines() + 1, "logs are capped");
    for (String line : r.logs()) {
      assertTrue(line.length() <= engine.limits().maxLogLineChars() + 20, "log lines are capped");
    }

    ExecutionResult probe = engine.execute(Requests.of(PROBE, "null"));
    assertEquals(
        ErrorKind.OK, probe.status(), "the next ordinary run fails: " + probe.errorMessage());
    assertEquals(
        PROBE_RESULT, probe.resultJsonString(), "the next run sees a trace of " + c.name());
    // Replacing the engine throws away its compiled code: every later run pays for that, so a
    // single request must not be able to force it.
    assertEquals(
        recyclesBefore, engine.recycles(), c.name() + " made the service replace its engine");
  }
}
