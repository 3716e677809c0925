package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.cli.Main;
import io.nsl.js.EngineConfig;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.JavaScriptEngine;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationTimeout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code POST /v1/simulate} on a real server and a real engine, against {@code ./nsl function
 * simulate --json} run in this JVM: the same inputs give the same bytes.
 */
class SimulateIT {
  static final long MAX_GAS = ExecutionLimits.defaults().maxGasLimit();
  @TempDir static Path dir;
  static JavaScriptEngine engine;
  static SimulationRunner runner;
  static ApiFixture fx;
  static Dev dev;
  // The input of the latest simulation, as SimulateResource made it.
  static final AtomicReference<Simulation.Input> last = new AtomicReference<>();

  @BeforeAll
  static void start() {
    EngineConfig d = EngineConfig.defaults();
    engine =
        JavaScriptEngine.start(new EngineConfig(d.limits(), 1, d.requireJit(), d.warmupRounds()));
    runner =
        new SimulationRunner(
            in -> {
              last.set(in);
              return Simulation.run(engine, in);
            },
            engine.limits().maxGasLimit(),
            engine.limits().timeout(),
            1,
            4,
            Duration.ofSeconds(60),
            100,
            100,
            Clock.systemUTC());
    fx =
        new ApiFixture(
            dir.resolve("api"),
            ApiLimits.defaults(),
            new ConsoleBackends(Optional.of(runner), Optional.empty(), Optional.empty()));
    dev = new Dev(fx.base());
  }

  @AfterAll
  static void stop() {
    fx.close();
    runner.close();
    engine.close();
  }

  /** One case: the function, the CLI's extra arguments, and the same as API fields. */
  record Case(String name, String code, List<String> cliArgs, Map<String, Object> apiFields) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            "ok with a scrubbed secret",
            "function main(i){ log('key', getSecret('k')); return {n: i.n + 1} }",
            List.of("--input", "{\"n\":41}", "--secrets", "SECRETS"),
            Map.of("input", Map.of("n", 41), "secrets", Map.of("k", "hunter2-secret"))),
        new Case(
            "gas exhausted",
            "function main(){ for(;;){} }",
            List.of("--gas-limit", "10000"),
            Map.of("gasLimit", 10000)),
        new Case(
            "time, randomness and request id",
            "function main(){ return {t: Date.now(), r: Math.random(), id: context.requestId} }",
            List.of("--block-time", "2026-05-06T07:08:09Z", "--request-id", "77"),
            Map.of("blockTime", "2026-05-06T07:08:09Z", "requestId", 77)),
        new Case(
            "state read",
            "function main(){ return storage.get('greeting') }",
            List.of("--state", "STATE"),
            Map.of("state", Map.of("greeting", "hello"))),
        new Case(
            "a thrown error",
            "function main(){ throw new Error('<img src=x onerror=alert(1)>') }",
            List.of(),
            Map.of()),
        // The largest gas limit, so the deadline, not the gas, ends the loop: TIMEOUT, charged the
        // whole limit, and the message names the 50 ms deadline, not the engine's own.
        new Case(
            "a timeout",
            "function main(){ for(;;){} }",
            List.of("--gas-limit", "" + MAX_GAS, "--timeout", "50ms"),
            Map.of("gasLimit", MAX_GAS, "timeout", "50ms")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theApiAnswersTheCliBytes(Case c) throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), c.code());
    List<String> args = new ArrayList<>(List.of("function", "simulate", fn.toString(), "--json"));
    for (String a : c.cliArgs()) {
      if (a.equals("SECRETS")) {
        a = Files.writeString(dir.resolve("s.json"), "{\"k\":\"hunter2-secret\"}").toString();
      } else if (a.equals("STATE")) {
        a = Files.writeString(dir.resolve("state.json"), "{\"greeting\":\"hello\"}").toString();
      }
      args.add(a);
    }
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.execute(args.toArray(String[]::new));
    String cliBytes = out.toString().strip();

    ObjectNode body = ApiFixture.JSON.createObjectNode();
    body.put("code", c.code());
    c.apiFields().forEach((k, v) -> body.set(k, ApiFixture.JSON.valueToTree(v)));
    Dev.Answer a = dev.call("POST", "/v1/simulate", body.toString());
    assertEquals(200, a.status(), a.text());
    assertEquals(cliBytes, a.text());
    new OpenApiDoc().assertConforms("POST /v1/simulate", a);
    assertFalse(a.text().contains("hunter2"));
  }

  @Test
  void aTimeoutIsRefusedWithTheCliMessageForEveryValueTheCliRefuses() throws Exception {
    Path fn = Files.writeString(dir.resolve("one.js"), "function main(){ return 1 }");
    for (String bad : new String[] {"abc", "", "-1", "-1s", "0ms", "10", "1.5s", "2h", "61m"}) {
      Dev.Answer a =
          dev.call(
              "POST",
              "/v1/simulate",
              "{\"code\":\"function main(){return 1}\",\"timeout\":\"" + bad + "\"}");
      assertEquals(400, a.status(), bad + ": " + a.text());
      assertEquals("INVALID_VALUE", a.code(), bad + ": " + a.text());
      new OpenApiDoc().assertConforms("POST /v1/simulate", a);
      String message = a.json().path("error").path("message").asText();
      assertTrue(message.startsWith("timeout '" + bad + "' "), bad + ": " + message);
      // The same words as `simulate --timeout BAD`, whose usage error is on stderr.
      CommandLine cli = Main.commandLine();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(new StringWriter()));
      cli.setErr(new PrintWriter(err));
      assertEquals(2, cli.execute("function", "simulate", fn.toString(), "--timeout", bad));
      assertTrue(err.toString().contains("--" + message), bad + ": " + err);
    }
    for (String wrong : new String[] {"10", "true", "{}", "[\"1s\"]"}) {
      Dev.Answer a =
          dev.call(
              "POST",
              "/v1/simulate",
              "{\"code\":\"function main(){return 1}\",\"timeout\":" + wrong + "}");
      assertEquals(400, a.status(), wrong + ": " + a.text());
      assertEquals("WRONG_TYPE", a.code(), wrong + ": " + a.text());
      assertTrue(a.text().contains("timeout"), a.text());
    }
  }

  @Test
  void withoutATimeoutTheRunHasTheServicesDeadlineWhichIsAlsoTheMostItAllows() {
    // A simulation holds one of the production engine's guest threads: an hour-long one (the CLI's
    // most) from two accounts would have stopped requests for an hour.
    for (String body :
        new String[] {
          "{\"code\":\"function main(){return 1}\"}",
          "{\"code\":\"function main(){return 1}\",\"timeout\":null}"
        }) {
      Dev.Answer a = dev.call("POST", "/v1/simulate", body);
      assertEquals(200, a.status(), a.text());
      assertEquals(engine.limits().timeout(), last.get().timeout(), body);
    }
    Duration deadline = engine.limits().timeout();
    Dev.Answer longest =
        dev.call(
            "POST",
            "/v1/simulate",
            "{\"code\":\"function main(){return 1}\",\"timeout\":\""
                + SimulationTimeout.format(deadline)
                + "\"}");
    assertEquals(200, longest.status(), longest.text());
    assertEquals(deadline, last.get().timeout());
    String over = deadline.toMillis() + 1 + "ms";
    Dev.Answer refused =
        dev.call(
            "POST",
            "/v1/simulate",
            "{\"code\":\"function main(){return 1}\",\"timeout\":\"" + over + "\"}");
    assertEquals(400, refused.status(), refused.text());
    assertEquals("INVALID_VALUE", refused.code(), refused.text());
    assertEquals(
        "timeout '"
            + over
            + "' is more than this service's deadline of "
            + SimulationTimeout.format(deadline)
            + ", the most a simulation may run here; `./nsl function simulate --timeout` runs"
            + " longer ones on your own machine",
        refused.json().path("error").path("message").asText());
    new OpenApiDoc().assertConforms("POST /v1/simulate", refused);
  }

  @Test
  void aGasLimitAboveTheOperatorsIsRefused() {
    long over = engine.limits().maxGasLimit() + 1;
    Dev.Answer a =
        dev.call(
            "POST",
            "/v1/simulate",
            "{\"code\":\"function main(){return 1}\",\"gasLimit\":" + over + "}");
    assertEquals(400, a.status());
    assertEquals("INVALID_VALUE", a.code());
    assertTrue(a.text().contains("gasLimit"), a.text());
  }

  @Test
  void codeLargerThanAnUploadIsRefused() {
    String big = "x".repeat(256 * 1024 + 1);
    Dev.Answer a = dev.call("POST", "/v1/simulate", "{\"code\":\"" + big + "\"}");
    assertEquals(413, a.status());
    assertEquals("FUNCTION_TOO_LARGE", a.code());
    new OpenApiDoc().assertConforms("POST /v1/simulate", a);
  }

  @Test
  void badFieldsAreNamed() {
    Dev.Answer time =
        dev.call("POST", "/v1/simulate", "{\"code\":\"x\",\"blockTime\":\"yesterday\"}");
    assertEquals("INVALID_VALUE", time.code());
    assertTrue(time.text().contains("blockTime"), time.text());
    Dev.Answer unknown = dev.call("POST", "/v1/simulate", "{\"code\":\"x\",\"gas\":1}");
    assertEquals("UNKNOWN_FIELD", unknown.code());
    Dev.Answer secrets = dev.call("POST", "/v1/simulate", "{\"code\":\"x\",\"secrets\":{\"k\":1}}");
    assertEquals("WRONG_TYPE", secrets.code());
    Dev.Answer state =
        dev.call("POST", "/v1/simulate", "{\"code\":\"x\",\"state\":{\"\":\"empty key\"}}");
    assertEquals(400, state.status(), state.text());
    assertEquals("INVALID_SIMULATION", state.code());
  }

  @Test
  void unsignedAndWrongMethodAreRefused() {
    Dev.Answer unsigned = dev.send("POST", "/v1/simulate", "{\"code\":\"x\"}".getBytes(), Map.of());
    assertEquals(401, unsigned.status());
    Dev.Answer get = dev.call("GET", "/v1/simulate", null);
    assertEquals(405, get.status());
  }
}
