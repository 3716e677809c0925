package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * With {@code --json} a failing command prints {@code {"error":{"code","message"}}} on stdout (one
 * line, nothing else there) with the exit code it has without {@code --json}. None of these
 * commands reaches the network: each fails on its own input first.
 */
class JsonErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    JsonNode error() {
      try {
        JsonNode n = JSON.readTree(out);
        assertEquals(1, n.size(), "only the error object on stdout: " + out);
        assertEquals(2, n.path("error").size(), "error has exactly code and message: " + out);
        return n.path("error");
      } catch (java.io.IOException e) {
        throw new AssertionError("stdout is not one JSON object: '" + out + "', stderr: " + err, e);
      }
    }
  }

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString().strip(), err.toString());
  }

  @Test
  void failureTheUserCanFixIsAJsonErrorWithExitOne() {
    String missing = dir.resolve("missing.js").toString();
    Run plain = run("function", "register", missing, "--id", "f");
    Run json = run("function", "register", missing, "--id", "f", "--json");
    assertEquals(1, plain.exit());
    assertEquals(plain.exit(), json.exit());
    assertEquals("", plain.out());
    assertTrue(plain.err().contains("error [CLI_INPUT]"), plain.err());
    JsonNode e = json.error();
    assertEquals("CLI_INPUT", e.path("code").asText());
    assertTrue(e.path("message").asText().contains("missing.js"), e.toString());
    assertFalse(json.err().contains("error ["), "not also as text on stderr: " + json.err());
  }

  @Test
  void secretSetRefusesABadNameAsJson() {
    Run json = run("secret", "set", "bad name!", "--json");
    assertEquals(1, json.exit());
    assertEquals("CLI_INPUT", json.error().path("code").asText());
    assertTrue(json.error().path("message").asText().contains("'bad name!'"), json.out());
  }

  @Test
  void usageErrorKeepsExitTwoAndIsJson() {
    Run plain = run("secret", "set");
    Run json = run("secret", "set", "--json");
    assertEquals(2, plain.exit(), plain.err());
    assertEquals(2, json.exit(), json.err());
    JsonNode e = json.error();
    assertEquals("USAGE", e.path("code").asText());
    assertTrue(e.path("message").asText().contains("NAME"), e.toString());
    assertTrue(e.path("message").asText().contains("--help"), e.toString());
  }

  @Test
  void unknownOptionIsAJsonUsageError() {
    Run json = run("request", "status", "12", "--jsn", "--json");
    assertEquals(2, json.exit());
    assertEquals("USAGE", json.error().path("code").asText());
    assertTrue(json.error().path("message").asText().contains("--jsn"), json.out());
  }

  @Test
  void usageErrorRaisedByTheCommandItselfIsJsonToo() {
    Run json =
        run("function", "simulate", dir.resolve("f.js").toString(), "--gas-limit", "0", "--json");
    assertEquals(2, json.exit(), json.err());
    assertEquals("USAGE", json.error().path("code").asText());
    assertTrue(json.error().path("message").asText().contains("--gas-limit"), json.out());
  }

  @Test
  void attestationVerifyOfAMissingFileIsAJsonError() {
    Run json = run("attestation", "verify", dir.resolve("nope.bin").toString(), "--json");
    assertEquals(1, json.exit(), json.err());
    assertEquals("CLI_INPUT", json.error().path("code").asText());
  }

  @Test
  void aJsonFlagAfterTheEndOfOptionsIsAnArgumentNotAMode() {
    Run r = run("function", "register", "--id", "f", "--", dir.resolve("--json").toString());
    assertEquals(1, r.exit());
    assertEquals("", r.out(), "no --json given, so the error is text on stderr");
    assertTrue(r.err().contains("error [CLI_INPUT]"), r.err());
  }
}
