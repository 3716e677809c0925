package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nsl devnet up --workers 2 --store postgresql} as a user drives it, on one real neo-go
 * node, one real PostgreSQL server and two real service processes: both workers hold the same
 * cluster keys (one secrets key) with signing keys of their own, a request is answered on chain, a
 * second {@code up} starts nothing, and {@code down} leaves no process (workers, node, PostgreSQL,
 * checked by pid). Lean on purpose (one chain, one server, one request): the several-workers
 * behaviour itself is tested in io.nsl.workers and io.nsl.pipeline.
 */
class DevnetWorkersIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path dir;

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

  /** Whatever the test left running is stopped, so a failed assertion leaks no process. */
  @AfterEach
  void downEverything() {
    if (dir != null) {
      run("devnet", "down", "--purge", "--dir", dir.toString());
    }
  }

  @Test
  void twoWorkersOnOnePostgresShareTheClusterKeysAnswerARequestAndDownLeavesNoProcess()
      throws Exception {
    dir = tmp.resolve("workers");
    Run up =
        run(
            "devnet",
            "up",
            "--dir",
            dir.toString(),
            "--workers",
            "2",
            "--store",
            "postgresql",
            "--json");
    assertEquals(0, up.exit(), up.out() + up.err());
    JsonNode info = up.json();
    assertEquals("postgresql", info.path("store").asText(), info.toString());
    assertTrue(info.path("storeUrl").asText().startsWith("postgresql://nsl:"), info.toString());
    JsonNode workers = info.path("workers");
    assertEquals(2, workers.size(), info.toString());
    assertEquals("w1", workers.get(0).path("id").asText());
    assertEquals(info.path("apiUrl"), workers.get(0).path("apiUrl"));
    assertNotEquals(workers.get(0).path("apiUrl"), workers.get(1).path("apiUrl"));
    assertTrue(up.err().contains("started: node, postgresql, w1, w2"), up.err());

    // One cluster: the same secrets key (epoch 0, made by w1), a signing key of each one's own.
    JsonNode e1 = JSON.readTree(get(workers.get(0).path("apiUrl").asText() + "/v1/enclave"));
    JsonNode e2 = JSON.readTree(get(workers.get(1).path("apiUrl").asText() + "/v1/enclave"));
    assertEquals(e1.path("secretsPublicKey"), e2.path("secretsPublicKey"));
    assertNotEquals(e1.path("signingPublicKey"), e2.path("signingPublicKey"));

    Run status = run("devnet", "status", "--dir", dir.toString(), "--json");
    assertEquals(0, status.exit(), status.out() + status.err());
    JsonNode s = status.json();
    assertTrue(s.path("running").asBoolean(), status.out());
    List<Long> pids = new ArrayList<>();
    for (JsonNode w : s.path("workers")) {
      assertTrue(w.path("running").asBoolean(), status.out());
      pids.add(w.path("pid").asLong());
    }
    assertEquals(2, pids.size(), status.out());
    long pg = s.path("postgresql").path("pid").asLong();
    assertTrue(pg > 0 && alive(pg), status.out());
    long node = Long.parseLong(Files.readString(dir.resolve("node/neo-go.pid")).trim());
    assertTrue(pids.stream().allMatch(DevnetWorkersIT::alive));

    Run send =
        run(
            "request",
            "send",
            "--rpc",
            info.path("rpcUrl").asText(),
            "--consumer",
            info.path("consumer").asText(),
            "--function",
            "double",
            "--input",
            "{\"value\": 21}",
            "--wait",
            "--json");
    assertEquals(0, send.exit(), send.out() + send.err());
    JsonNode answer = send.json().path("answer");
    assertEquals(0, answer.path("status").asInt(), answer.toString());
    assertEquals(42, answer.path("result").path("result").asInt(), answer.toString());

    Run again =
        run(
            "devnet",
            "up",
            "--dir",
            dir.toString(),
            "--workers",
            "2",
            "--store",
            "postgresql",
            "--json");
    assertEquals(0, again.exit(), again.err());
    assertEquals(up.out(), again.out(), "a second up prints the same");
    assertTrue(again.err().contains("started nothing"), again.err());

    Run down = run("devnet", "down", "--dir", dir.toString(), "--json");
    assertEquals(0, down.exit(), down.err());
    List<Long> stopped = new ArrayList<>();
    down.json().path("stopped").forEach(p -> stopped.add(p.asLong()));
    List<Long> expected = new ArrayList<>(pids);
    expected.addAll(List.of(node, pg));
    assertEquals(expected, stopped, "workers, then the node, then PostgreSQL");
    for (long pid : expected) {
      awaitDead(pid);
    }
    Run after = run("devnet", "status", "--dir", dir.toString(), "--json");
    assertEquals(1, after.exit(), after.out());
    assertFalse(after.json().path("postgresql").path("running").asBoolean(), after.out());

    Path cluster = dir.resolve("postgres/pgdata");
    Path clusterTarget = Files.isSymbolicLink(cluster) ? Files.readSymbolicLink(cluster) : cluster;
    assertEquals(0, run("devnet", "down", "--purge", "--dir", dir.toString()).exit());
    assertFalse(Files.exists(dir), "--purge deletes the folder");
    assertFalse(Files.exists(clusterTarget), "and the PostgreSQL cluster it links to");
    dir = null;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
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
}
