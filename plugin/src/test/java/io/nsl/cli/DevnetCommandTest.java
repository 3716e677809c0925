package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.devnet.DevnetHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The devnet and request-send commands refuse bad input before they touch a process, a file or the
 * network.
 */
class DevnetCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (java.io.IOException e) {
        throw new AssertionError("stdout is not JSON: '" + out + "', stderr: " + err, e);
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
  void moreThanOneWorkerOnTheEmbeddedStoreIsRefusedNamingPostgresql() {
    Path d = dir.resolve("devnet");
    for (String[] args :
        new String[][] {{"--workers", "2"}, {"--workers", "3", "--store", "rocksdb"}}) {
      Run r = run(concat(new String[] {"devnet", "up", "--dir", d.toString(), "--json"}, args));
      assertEquals(1, r.exit(), String.join(" ", args));
      JsonNode e = r.json().path("error");
      assertEquals("CLI_INPUT", e.path("code").asText());
      assertTrue(e.path("message").asText().contains("needs --store postgresql"), e.toString());
    }
    assertFalse(Files.exists(d), "nothing was created");
  }

  @Test
  void workersOutsideOneToEightAndUnknownStoresAreRefusedNamingTheValue() {
    Path d = dir.resolve("devnet");
    for (String[] args :
        new String[][] {
          {"--workers", "0", "--store", "postgresql"},
          {"--workers", "9", "--store", "postgresql"},
          {"--store", "mysql"}
        }) {
      Run r = run(concat(new String[] {"devnet", "up", "--dir", d.toString(), "--json"}, args));
      assertEquals(1, r.exit(), String.join(" ", args));
      JsonNode e = r.json().path("error");
      assertEquals("CLI_INPUT", e.path("code").asText());
      assertTrue(
          e.path("message").asText().contains("'" + args[args.length - 1] + "'")
              || e.path("message").asText().contains("got " + args[1]),
          e.toString());
    }
    assertFalse(Files.exists(d), "nothing was created");
  }

  @Test
  void upAskingAnotherShapeThanTheRecordedDevnetIsRefusedAndStartsNothing() throws Exception {
    // A devnet.json as an earlier 'up' (before workers existed) wrote it: one service, RocksDB.
    Files.writeString(
        dir.resolve("devnet.json"),
        "{\"rpcUrl\":\"http://127.0.0.1:1\",\"networkMagic\":1,\"gateway\":\"0x"
            + "ab".repeat(20)
            + "\",\"consumer\":\"0x"
            + "cd".repeat(20)
            + "\",\"apiUrl\":\"http://127.0.0.1:2\",\"validatorPublicKey\":\"02\","
            + "\"functions\":{},\"wallets\":{},\"password\":\"pw\",\"dir\":\""
            + dir
            + "\"}");
    Run r =
        run(
            "devnet",
            "up",
            "--dir",
            dir.toString(),
            "--workers",
            "3",
            "--store",
            "postgresql",
            "--json");
    assertEquals(1, r.exit());
    JsonNode e = r.json().path("error");
    assertEquals("DEVNET_CONFLICT", e.path("code").asText(), r.out());
    assertTrue(
        e.path("message").asText().contains("has 1 worker(s) on rocksdb, not the 3 on postgresql"),
        e.toString());
    assertTrue(e.path("message").asText().contains("devnet down --purge"), e.toString());
    assertFalse(Files.exists(dir.resolve("node")), "nothing was started");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void statusOfAFolderWithoutDevnetSaysHowToStartOne() {
    Run r = run("devnet", "status", "--dir", dir.toString(), "--json");
    assertEquals(1, r.exit());
    JsonNode e = r.json().path("error");
    assertEquals("DEVNET_NOT_RUNNING", e.path("code").asText());
    assertTrue(e.path("message").asText().contains("./nsl devnet up"), e.toString());
  }

  @Test
  void downOfAMissingFolderStopsNothingAndCreatesNothing() {
    Path d = dir.resolve("never");
    Run r = run("devnet", "down", "--dir", d.toString(), "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals(0, r.json().path("stopped").size());
    assertFalse(Files.exists(d));
  }

  @Test
  void downNeverStopsAProcessWhosePidFileItDidNotWrite() throws Exception {
    // A pid file naming a live process that is not this devnet's (a pid reused after a reboot).
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      Files.createDirectories(dir.resolve("node"));
      Files.writeString(dir.resolve("node/neo-go.pid"), Long.toString(stranger.pid()));
      Run r = run("devnet", "down", "--dir", dir.toString(), "--json");
      assertEquals(0, r.exit(), r.err());
      assertEquals(0, r.json().path("stopped").size(), r.out());
      assertTrue(stranger.isAlive(), "a process that does not name the folder is left alone");
    } finally {
      stranger.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSecondCommandOnABusyFolderIsRefused() {
    try (DevnetHome.Lock held = new DevnetHome(dir).lock()) {
      Run r = run("devnet", "down", "--dir", dir.toString(), "--json");
      assertEquals(1, r.exit());
      assertEquals("DEVNET_BUSY", r.json().path("error").path("code").asText(), r.out());
    }
    assertEquals(0, run("devnet", "down", "--dir", dir.toString()).exit(), "free again");
  }

  @Test
  void requestSendRefusesABadConsumerHashNamingTheCharacter() {
    Run r =
        run(
            "request",
            "send",
            "--consumer",
            "0x12zz",
            "--function",
            "double",
            "--input",
            "{}",
            "--json");
    assertEquals(1, r.exit());
    JsonNode e = r.json().path("error");
    assertEquals("INVALID_HASH", e.path("code").asText());
    assertTrue(e.path("message").asText().contains("'z' at position 5"), e.toString());
  }

  @Test
  void requestSendRefusesInputThatIsNotJson() {
    String hash = "0x" + "ab".repeat(20);
    for (String input : new String[] {"{value: 1", ""}) {
      Run r =
          run(
              "request",
              "send",
              "--consumer",
              hash,
              "--function",
              "double",
              "--input",
              input,
              "--json");
      assertEquals(1, r.exit(), input);
      JsonNode e = r.json().path("error");
      assertEquals("CLI_INPUT", e.path("code").asText());
      assertTrue(e.path("message").asText().contains("--input must be JSON"), e.toString());
    }
  }

  @Test
  void theConsoleUrlSignsInTheDevnetDeveloperThroughTheFragment() {
    io.nsl.devnet.DevnetInfo info =
        new io.nsl.devnet.DevnetInfo(
            "http://127.0.0.1:1",
            1,
            "0x" + "ab".repeat(20),
            "0x" + "cd".repeat(20),
            "http://127.0.0.1:8787",
            "02" + "00".repeat(32),
            java.util.Map.of(),
            java.util.Map.of(
                "developer",
                new io.nsl.devnet.DevnetInfo.Wallet(
                    "/w/developer.wallet.json", "NAddr", "KwDevWif")),
            "pw",
            "/d",
            null,
            null,
            null);
    String url = "http://127.0.0.1:8787/console/#/signin?wif=KwDevWif";
    assertEquals(url, DevnetCommand.consoleUrl(info).orElseThrow());
    assertTrue(DevnetCommand.text(info).contains("console             " + url));
    assertEquals(url, DevnetCommand.json(info).path("consoleUrl").asText());
    // the key is after '#': a browser sends only what comes before it
    assertFalse(url.substring(0, url.indexOf('#')).contains("KwDevWif"));
  }
}
