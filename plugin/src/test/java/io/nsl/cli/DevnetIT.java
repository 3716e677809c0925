package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.ProjectRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nsl devnet up|status|down} and {@code ./nsl request send --wait} on a real neo-go node
 * and a real service process, driven as a user drives them; the neon-js example (examples/neon-js)
 * runs against the same devnet. Processes are checked by pid.
 */
class DevnetIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final List<Path> devnets = new ArrayList<>();

  private record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
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

  private Path devnet(String name) {
    Path d = tmp.resolve(name);
    devnets.add(d);
    return d;
  }

  /** Whatever a test left running is stopped, so a failed assertion leaks no process. */
  @AfterEach
  void downEverything() {
    for (Path d : devnets) {
      run("devnet", "down", "--purge", "--dir", d.toString());
    }
  }

  private static long pid(Path pidFile) throws IOException {
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void awaitDead(long pid) throws InterruptedException {
    for (int i = 0; i < 100 && alive(pid); i++) {
      Thread.sleep(100);
    }
    assertFalse(alive(pid), "process " + pid + " outlived 'devnet down'");
  }

  @Test
  void upStatusUpAgainSendWaitDownThenUpResumesTheSameDevnet() throws Exception {
    Path dir = devnet("journey");
    Run up = run("devnet", "up", "--dir", dir.toString(), "--json");
    assertEquals(0, up.exit(), up.out() + up.err());
    JsonNode info = up.json();
    assertTrue(info.path("gateway").asText().matches("0x[0-9a-f]{40}"), info.toString());
    assertTrue(info.path("consumer").asText().matches("0x[0-9a-f]{40}"), info.toString());
    assertTrue(info.path("rpcUrl").asText().startsWith("http://127.0.0.1:"), info.toString());
    assertTrue(info.path("apiUrl").asText().startsWith("http://127.0.0.1:"), info.toString());
    assertTrue(info.path("networkMagic").asLong() > 0, info.toString());
    assertTrue(info.path("validatorPublicKey").asText().matches("0[23][0-9a-f]{64}"));
    assertEquals("double", info.path("functions").path("double.js").asText(), info.toString());
    JsonNode developer = info.path("wallets").path("developer");
    assertTrue(developer.path("address").asText().startsWith("N"), info.toString());
    assertTrue(Files.isRegularFile(Path.of(developer.path("path").asText())));
    assertEquals(52, developer.path("wif").asText().length(), "a compressed-key WIF");
    assertEquals("nsl-devnet-only", info.path("password").asText());
    assertEquals(dir.toAbsolutePath().normalize().toString(), info.path("dir").asText());
    long nodePid = pid(dir.resolve("node/neo-go.pid"));
    long servicePid = pid(dir.resolve("service/service.pid"));
    assertTrue(alive(nodePid) && alive(servicePid));

    Run status = run("devnet", "status", "--dir", dir.toString(), "--json");
    assertEquals(0, status.exit(), status.out() + status.err());
    assertTrue(status.json().path("running").asBoolean(), status.out());
    assertTrue(status.json().path("node").path("blockCount").asLong() > 0, status.out());
    assertEquals(info.path("gateway"), status.json().path("gateway"));

    Run again = run("devnet", "up", "--dir", dir.toString(), "--json");
    assertEquals(0, again.exit(), again.err());
    assertEquals(up.out(), again.out(), "a second up prints the same");
    assertTrue(again.err().contains("started nothing"), again.err());
    assertEquals(nodePid, pid(dir.resolve("node/neo-go.pid")));
    assertEquals(servicePid, pid(dir.resolve("service/service.pid")));

    // The consumer as neo-go prints hashes (little-endian, no 0x): request send says how it read
    // it.
    String consumerLE = littleEndian(info.path("consumer").asText().substring(2));
    Run send =
        run(
            "request",
            "send",
            "--rpc",
            info.path("rpcUrl").asText(),
            "--consumer",
            consumerLE,
            "--function",
            "double",
            "--input",
            "{\"value\": 21}",
            "--wait",
            "--json");
    assertEquals(0, send.exit(), send.out() + send.err());
    assertTrue(send.err().contains("as little-endian"), send.err());
    JsonNode answer = send.json();
    assertEquals(info.path("consumer").asText(), answer.path("consumer").asText());
    assertEquals(0, answer.path("answer").path("status").asInt(), answer.toString());
    assertEquals(
        42, answer.path("answer").path("result").path("result").asInt(), answer.toString());

    neonJsExampleGetsTheAnswer(dir);

    Run down = run("devnet", "down", "--dir", dir.toString(), "--json");
    assertEquals(0, down.exit(), down.err());
    List<Long> stopped = new ArrayList<>();
    down.json().path("stopped").forEach(p -> stopped.add(p.asLong()));
    assertEquals(List.of(servicePid, nodePid), stopped);
    awaitDead(servicePid);
    awaitDead(nodePid);
    assertEquals(1, run("devnet", "status", "--dir", dir.toString()).exit());

    // After down (no purge) the next up starts the same chain and service again.
    Run resumed = run("devnet", "up", "--dir", dir.toString(), "--json");
    assertEquals(0, resumed.exit(), resumed.err());
    assertEquals(up.out(), resumed.out(), "the same devnet");
    assertTrue(resumed.err().contains("started: node, service"), resumed.err());
    Run statusAfter = run("devnet", "status", "--dir", dir.toString(), "--json");
    assertEquals(0, statusAfter.exit(), statusAfter.out() + statusAfter.err());

    long nodePid2 = pid(dir.resolve("node/neo-go.pid"));
    long servicePid2 = pid(dir.resolve("service/service.pid"));
    assertEquals(0, run("devnet", "down", "--purge", "--dir", dir.toString()).exit());
    awaitDead(servicePid2);
    awaitDead(nodePid2);
    assertFalse(Files.exists(dir), "--purge deletes the folder");
  }

  @Test
  void upKilledMidwayLeavesNothingTheNextUpTripsOver() throws Exception {
    Path dir = devnet("killed");
    Files.createDirectories(dir);
    Process killed = startUpProcess(dir, tmp.resolve("killed-up.log"));
    // Kill it -9 once neo-go runs and the service is starting: both exist, devnet.json does not.
    Path servicePidFile = dir.resolve("service/service.pid");
    for (int i = 0; i < 3000 && !Files.exists(servicePidFile) && killed.isAlive(); i++) {
      Thread.sleep(100);
    }
    assertTrue(
        Files.exists(servicePidFile),
        "the up never started the service; its log: "
            + Files.readString(tmp.resolve("killed-up.log")));
    killed.toHandle().destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    long oldNode = pid(dir.resolve("node/neo-go.pid"));
    long oldService = pid(servicePidFile);
    assertTrue(alive(oldNode), "neo-go is detached: it outlives the killed up");
    assertFalse(Files.exists(dir.resolve("devnet.json")), "the killed up never finished");

    Run up = run("devnet", "up", "--dir", dir.toString(), "--json");
    assertEquals(0, up.exit(), up.out() + up.err());
    assertTrue(up.err().contains("did not finish"), up.err());
    awaitDead(oldNode);
    awaitDead(oldService);
    long newNode = pid(dir.resolve("node/neo-go.pid"));
    assertNotEquals(oldNode, newNode);
    assertTrue(alive(newNode));
    assertEquals(0, run("devnet", "status", "--dir", dir.toString()).exit());

    long newService = pid(dir.resolve("service/service.pid"));
    assertEquals(0, run("devnet", "down", "--purge", "--dir", dir.toString()).exit());
    awaitDead(newService);
    awaitDead(newNode);
  }

  /** {@code ./nsl devnet up --dir DIR} as a JVM of its own, to kill it for real. */
  private static Process startUpProcess(Path dir, Path log) throws IOException {
    Path root = ProjectRoot.find();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(root.resolve("config/jvm.options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        cmd.addAll(List.of(line.replace("@NSL_ROOT@", root.toString()).trim().split("\\s+")));
      }
    }
    cmd.add("-Dnsl.root=" + root);
    cmd.add("-cp");
    cmd.add(root.resolve("plugin/target/classes") + ":" + root.resolve("plugin/target/lib") + "/*");
    cmd.addAll(List.of("io.nsl.cli.Main", "devnet", "up", "--dir", dir.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** examples/neon-js/request.mjs, after npm ci, against the devnet in {@code dir}. */
  private static void neonJsExampleGetsTheAnswer(Path dir) throws Exception {
    // Not an assumption: skipping here would skip the down and resume checks after it too.
    assertTrue(nodeAvailable(), "node (20+) is not on PATH; examples/neon-js needs it");
    Path example = ProjectRoot.find().resolve("examples/neon-js");
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
            .directory(example.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("npm-ci.log").toFile())
            .start();
    assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm ci did not finish");
    assertEquals(0, npm.exitValue(), Files.readString(dir.resolve("npm-ci.log")));
    Process node =
        new ProcessBuilder("node", "request.mjs", dir.resolve("devnet.json").toString())
            .directory(example.toFile())
            .redirectError(dir.resolve("neon-js.err").toFile())
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the neon-js example did not finish");
    assertEquals(0, node.exitValue(), out + Files.readString(dir.resolve("neon-js.err")));
    JsonNode answer = JSON.readTree(out);
    assertEquals(0, answer.path("status").asInt(), out);
    assertEquals(42, answer.path("result").path("result").asInt(), out);
    assertTrue(answer.path("requestId").asLong() > 0, out);
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String littleEndian(String bigEndianHex) {
    StringBuilder s = new StringBuilder();
    for (int i = bigEndianHex.length() - 2; i >= 0; i -= 2) {
      s.append(bigEndianHex, i, i + 2);
    }
    return s.toString();
  }
}
