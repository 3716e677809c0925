package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.js.ExecutionLimits;
import io.nsl.pipeline.SimulationTimeout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FunctionSimulateCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void printsOkResultWithScrubbedLogsAndExitsZero() throws Exception {
    Path fn =
        Files.writeString(
            dir.resolve("fn.js"),
            "function main(i){ log('key', getSecret('k')); return {n: i.n + 1} }");
    Path secrets = Files.writeString(dir.resolve("s.json"), "{\"k\":\"hunter2-secret\"}");
    Run r =
        run(
            "function",
            "simulate",
            fn.toString(),
            "--input",
            "{\"n\":41}",
            "--secrets",
            secrets.toString(),
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertEquals("ok", out.get("status").asText());
    assertEquals(42, out.get("result").get("n").asInt());
    assertTrue(out.get("gasUsed").asLong() > 0);
    assertEquals("key [REDACTED]", out.get("logs").get(0).asText());
    assertFalse(r.out().contains("hunter2"));
  }

  @Test
  void printsErrorKindAndExitsOne() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ for(;;){} }");
    Run r = run("function", "simulate", fn.toString(), "--gas-limit", "10000", "--json");
    assertEquals(1, r.exit());
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertEquals("error", out.get("status").asText());
    assertEquals("GAS_EXHAUSTED", out.get("error").get("kind").asText());
    assertEquals(10000, out.get("gasUsed").asLong());
  }

  @Test
  void anInfiniteLoopPastItsTimeoutIsTimeoutChargedTheWholeGasLimit() throws Exception {
    // The largest gas limit, so the loop cannot run out of gas before a 50 ms deadline: the
    // deadline, not the gas, ends it, and the charge must not depend on how far it got.
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ for(;;){} }");
    String limit = Long.toString(ExecutionLimits.defaults().maxGasLimit());
    Run r =
        run(
            "function",
            "simulate",
            fn.toString(),
            "--gas-limit",
            limit,
            "--timeout",
            "50ms",
            "--json");
    assertEquals(1, r.exit(), r.out() + r.err());
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertEquals("TIMEOUT", out.get("error").get("kind").asText(), r.out());
    assertEquals(Long.parseLong(limit), out.get("gasUsed").asLong(), r.out());
    assertTrue(
        out.get("error").get("message").asText().contains("50 ms deadline"),
        "the message says which deadline passed: " + r.out());
    assertTrue(
        r.err().contains("TIMEOUT") && r.err().contains("--timeout"),
        "stderr says how to give the function more time: " + r.err());
  }

  @Test
  void refusesATimeoutThatIsNotAPositiveDurationNamingTheValue() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ return 1 }");
    for (String bad : new String[] {"abc", "-1", "-1s", "0ms", "10", "1.5s", "2h", "61m"}) {
      Run r = run("function", "simulate", fn.toString(), "--timeout", bad);
      assertEquals(2, r.exit(), bad + ": " + r.out() + r.err());
      assertTrue(r.err().contains("--timeout '" + bad + "'"), bad + ": " + r.err());
      assertEquals("", r.out(), "nothing runs: " + r.out());
    }
  }

  @Test
  void theDefaultTimeoutIsTheProductionDeadlineAndTheHelpSaysIt() {
    Duration production = ExecutionLimits.defaults().timeout();
    assertEquals(production, SimulationTimeout.DEFAULT);
    Run help = run("function", "simulate", "--help");
    assertTrue(
        help.out().contains("(default: " + SimulationTimeout.format(production) + ","),
        "the help gives the production deadline as the default: " + help.out());
  }

  @Test
  void inputFailingTheSchemaIsInvalidInput() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(i){ return i }");
    Path schema =
        Files.writeString(
            dir.resolve("schema.json"), "{\"type\":\"object\",\"required\":[\"city\"]}");
    Run r =
        run(
            "function",
            "simulate",
            fn.toString(),
            "--input",
            "{}",
            "--input-schema",
            schema.toString(),
            "--json");
    assertEquals(1, r.exit());
    assertEquals(
        "INVALID_INPUT", new ObjectMapper().readTree(r.out()).get("error").get("kind").asText());
  }

  @Test
  void declaredFetchHostsNarrowTheAllowedOnesAsInProduction() throws Exception {
    Path fn =
        Files.writeString(
            dir.resolve("fn.js"),
            "async function main(){ try { await fetch('https://b.example.com/x') }"
                + " catch (e) { return [e.kind, e.message] } }");
    Run r =
        run(
            "function",
            "simulate",
            fn.toString(),
            "--allow-host",
            "a.example.com",
            "--allow-host",
            "b.example.com",
            "--fetch-host",
            "a.example.com",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode result = new ObjectMapper().readTree(r.out()).get("result");
    assertEquals("FORBIDDEN", result.get(0).asText());
    assertTrue(
        result
            .get(1)
            .asText()
            .contains("'b.example.com' is not allowed; allowed hosts: a.example.com"),
        result.get(1).asText());
  }

  @Test
  void memoryLimitSetsTheFunctionsBudgetAndIsRefusedAboveTheOperatorsLimit() throws Exception {
    Path fn =
        Files.writeString(
            dir.resolve("fn.js"), "function main(){ return new Array(200000).fill(0).length }");
    Run roomy = run("function", "simulate", fn.toString(), "--json");
    assertEquals(0, roomy.exit(), roomy.out() + roomy.err());
    Run tight = run("function", "simulate", fn.toString(), "--memory-limit", "1MiB", "--json");
    assertEquals(1, tight.exit(), tight.out() + tight.err());
    JsonNode out = new ObjectMapper().readTree(tight.out());
    assertEquals("MEMORY_LIMIT", out.get("error").get("kind").asText());
    assertTrue(
        out.get("error").get("message").asText().contains("memory budget of 1048576 bytes"),
        tight.out());

    Run over = run("function", "simulate", fn.toString(), "--memory-limit", "129MiB");
    assertEquals(2, over.exit(), over.out() + over.err());
    assertTrue(over.err().contains("above the operator's limit of 134217728 bytes"), over.err());
    Run bad = run("function", "simulate", fn.toString(), "--memory-limit", "64MB");
    assertEquals(2, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.err().contains("'64MB' is not a memory size"), bad.err());
  }

  @Test
  void aFetchHostWithASchemeIsAUsageError() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ return 1 }");
    Run r =
        run(
            "function",
            "simulate",
            fn.toString(),
            "--allow-host",
            "a.example.com",
            "--fetch-host",
            "https://a.example.com");
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("without scheme, port, path or wildcard"), r.err());
  }

  @Test
  void aStateFileBreakingTheStorageRulesIsAUsageError() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ return 1 }");
    Path state = Files.writeString(dir.resolve("state.json"), "{\"\": \"empty key\"}");
    Run r = run("function", "simulate", fn.toString(), "--state", state.toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("--state file") && r.err().contains("key ''"), r.err());
  }

  @Test
  void missingFileIsAUsageError() {
    Run r = run("function", "simulate", dir.resolve("nope.js").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("nope.js"), r.err());
  }

  @Test
  void badSecretsFileIsAUsageError() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ return 1 }");
    Path secrets = Files.writeString(dir.resolve("s.json"), "[1,2]");
    Run r = run("function", "simulate", fn.toString(), "--secrets", secrets.toString());
    assertEquals(2, r.exit());
  }

  @Test
  void twoRunsGiveTheSameAnswerAndGasAndTheRequestSetsClockAndRandom() throws Exception {
    Path fn =
        Files.writeString(
            dir.resolve("fn.js"),
            "function main(){ return [Date.now(), context.requestId, Math.random(), Math.random()] }");
    Run first = run("function", "simulate", fn.toString(), "--json");
    Run second = run("function", "simulate", fn.toString(), "--json");
    assertEquals(0, first.exit(), first.err());
    assertEquals(first.out(), second.out(), "the defaults are fixed, not the machine's clock");
    JsonNode out = new ObjectMapper().readTree(first.out());
    assertEquals(1, out.get("requestId").asLong());
    assertEquals("2026-01-01T00:00:00Z", out.get("blockTime").asText());
    assertEquals(1767225600000L, out.get("result").get(0).asLong());

    Run other =
        run("function", "simulate", fn.toString(), "--request-id", "7", "--block-time", "1000");
    JsonNode o = new ObjectMapper().readTree(other.out());
    assertEquals(1000, o.get("result").get(0).asLong());
    assertEquals("7", o.get("result").get(1).asText());
    assertEquals("1970-01-01T00:00:01Z", o.get("blockTime").asText());
    assertFalse(
        o.get("result").get(2).equals(out.get("result").get(2)),
        "another request draws another Math.random sequence");
  }

  @Test
  void refusesABlockTimeItCannotReadAndARequestIdBelowOne() throws Exception {
    Path fn = Files.writeString(dir.resolve("fn.js"), "function main(){ return 1 }");
    Run r = run("function", "simulate", fn.toString(), "--block-time", "yesterday");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--block-time must be an ISO-8601 instant"), r.err());
    r = run("function", "simulate", fn.toString(), "--request-id", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--request-id must be positive"), r.err());
  }
}
