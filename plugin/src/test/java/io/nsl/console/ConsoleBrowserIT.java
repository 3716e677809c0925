package io.nsl.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.ProjectRoot;
import io.nsl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The web console in Debian's headless Chromium against a real devnet ({@code ./nsl devnet up}):
 * sends one request with the CLI, then runs {@code console/test/browser.mjs} (playwright-core
 * pointed at {@code /usr/bin/chromium}) with the devnet's console URL, wallets and consumer, and
 * fails on its exit code. Its cases and the screenshots it saves
 * (plugin/target/console-screenshots) are described in docs/console.md; a case needing an API route
 * the service does not have yet is printed as skipped, naming the route.
 */
class ConsoleBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path devnet;

  private static String cli(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    assertEquals(0, exit, String.join(" ", args) + " failed: " + out + err);
    return out.toString().strip();
  }

  @AfterEach
  void down() {
    if (devnet != null) {
      Main.commandLine().execute("devnet", "down", "--purge", "--dir", devnet.toString());
    }
  }

  @Test
  void theConsoleWorksInARealBrowserAgainstARealDevnet() throws Exception {
    Path root = ProjectRoot.find();
    Path chromium = Path.of(System.getenv().getOrDefault("NSL_CHROMIUM", "/usr/bin/chromium"));
    // Not an assumption: a missing browser must fail the build, not skip the console's tests.
    assertTrue(
        Files.isExecutable(chromium),
        chromium + " is missing: apt-get install chromium (scripts/test.sh does it when root)");
    assertTrue(
        Files.isDirectory(root.resolve("console/node_modules/playwright-core")),
        "console/node_modules is missing: scripts/build-console.sh (run by ./nsl test) installs it");
    assertTrue(
        Files.isRegularFile(root.resolve("plugin/target/classes/io/nsl/console/index.html")),
        "the console bundle is not on the classpath: run scripts/build-console.sh, then mvn");

    devnet = tmp.resolve("devnet");
    JsonNode info = JSON.readTree(cli("devnet", "up", "--dir", devnet.toString(), "--json"));
    // One request answered before the browser starts, sent the CLI's way: the executions and
    // operator views have it whatever the browser's own cases do.
    JsonNode sent =
        JSON.readTree(
            cli(
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
                "--json"));
    assertEquals(0, sent.path("answer").path("status").asInt(), sent.toString());
    Path shots = root.resolve("plugin/target/console-screenshots");
    Path log = tmp.resolve("browser.log");
    ProcessBuilder pb =
        new ProcessBuilder("node", "test/browser.mjs")
            .directory(root.resolve("console").toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("NSL_CONSOLE_URL", info.path("apiUrl").asText() + "/console/");
    env.put("NSL_DEVELOPER_WIF", info.path("wallets").path("developer").path("wif").asText());
    env.put("NSL_OPERATOR_WIF", info.path("wallets").path("operator").path("wif").asText());
    env.put("NSL_CONSUMER", info.path("consumer").asText());
    env.put("NSL_SCREENSHOTS", shots.toString());
    env.put("NSL_CHROMIUM", chromium.toString());
    env.put("NSL_REQUESTS_BEFORE", "1");
    // The CLI request's answer as the chain has it, found without the service: the executions
    // view must show this transaction and its blocks (console-ops).
    ChainAnswer cliAnswer =
        chainAnswer(
            info.path("rpcUrl").asText(),
            info.path("gateway").asText(),
            sent.path("transaction").asText(),
            sent.path("requestId").asLong());
    env.put("NSL_CLI_REQUEST_ID", Long.toString(sent.path("requestId").asLong()));
    env.put("NSL_CLI_ANSWER_TX", cliAnswer.txHash());
    env.put("NSL_CLI_BLOCKS_TO_ANSWER", Long.toString(cliAnswer.blocksToAnswer()));
    long started = System.nanoTime();
    Process browser = pb.start();
    boolean finished = browser.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      browser.destroyForcibly();
    }
    String out = readLog(log);
    System.out.println(
        "console/test/browser.mjs ("
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
            + " ms):\n"
            + out);
    assertTrue(finished, "the browser test did not finish in 10 minutes:\n" + out);
    assertEquals(0, browser.exitValue(), "browser test failed:\n" + out);
    assertTrue(out.contains(" 0 failed"), "the browser test printed no summary:\n" + out);
  }

  /** Where a request's answer landed, as read from the node. */
  record ChainAnswer(String txHash, long blocksToAnswer) {}

  /**
   * Finds the transaction whose gateway {@code Fulfilled} event names {@code requestId}, walking
   * the blocks after the request's own (the answer is already on chain: the CLI waited for it).
   */
  static ChainAnswer chainAnswer(
      String rpcUrl, String gateway0x, String requestTx, long requestId) {
    io.nsl.chain.NeoRpcClient rpc = new io.nsl.chain.NeoRpcClient(rpcUrl);
    long requestBlock = rpc.call("gettransactionheight", requestTx).asLong();
    long height = rpc.call("getblockcount").asLong() - 1;
    String gateway = gateway0x.replaceFirst("^0x", "");
    for (long b = requestBlock + 1; b <= height; b++) {
      for (JsonNode tx : rpc.call("getblock", b, 1).path("tx")) {
        String hash = tx.path("hash").asText();
        for (JsonNode n :
            rpc.call("getapplicationlog", hash).path("executions").path(0).path("notifications")) {
          if (!n.path("eventname").asText().equals("Fulfilled")
              || !n.path("contract").asText().replaceFirst("^0x", "").equalsIgnoreCase(gateway)) {
            continue;
          }
          byte[] heads =
              io.nsl.chain.NeoRpcClient.parseStack(n.path("state")).asList().get(0).asBytes();
          for (var f : io.nsl.chain.GatewayClient.parseFulfilled(heads)) {
            if (f.requestId() == requestId) {
              return new ChainAnswer(hash, b - requestBlock);
            }
          }
        }
      }
    }
    throw new AssertionError(
        "no Fulfilled event for request " + requestId + " in blocks after " + requestBlock);
  }

  private static String readLog(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }
}
