package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nsl.NslException;
import io.nsl.ProjectRoot;
import io.nsl.devnet.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's bug: a data folder reused on a new devnet (same magic, same contract hashes) used to
 * start, say ready, and ignore every request below the old cursor. Two real devnets, one folder.
 */
class DataFolderOnAnotherChainIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void refusesADataFolderFromAnotherDevnetInsteadOfIgnoringItsRequestsWhileReady()
      throws Exception {
    Path root = ProjectRoot.find();
    Path data = dir.resolve("service");
    String echo = Files.readString(root.resolve("plugin/src/test/resources/functions/echo.js"));
    String firstGateway;
    long oldCursor;
    try (LocalStack first = LocalStack.start(root, data, QUIET)) {
      first.registerFunction("echo", echo);
      var sent = first.request("echo", "{\"n\":1}", 100_000);
      assertEquals(0, first.awaitAnswer(sent, Duration.ofSeconds(60)).status());
      // Let the cursor run well past where the next devnet's first request will land.
      long until = first.node().chain().blockCount() + 30;
      while (first.service().queue().nextBlock() < until) {
        Thread.sleep(200);
      }
      oldCursor = first.service().queue().nextBlock();
      firstGateway = first.gateway().toString();
    }

    LocalStack second;
    try {
      second = LocalStack.start(root, data, QUIET);
    } catch (NslException e) {
      assertEquals("WRONG_CHAIN", e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("block 1 is 0x"), e.getMessage());
      assertTrue(e.getMessage().contains("network 56753 / gateway 0x"), e.getMessage());
      assertTrue(e.getMessage().contains("empty data folder"), e.getMessage());
      return;
    }
    // The service started on the other chain with this folder: show what that costs.
    try (second) {
      assertEquals(firstGateway, second.gateway().toString(), "same deployer, same gateway hash");
      second.registerFunction("echo", echo);
      var sent = second.request("echo", "{\"n\":2}", 100_000);
      String ready = readiness(second.service().apiPort());
      String answered;
      try {
        answered = "status " + second.awaitAnswer(sent, Duration.ofSeconds(20)).status();
      } catch (IllegalStateException e) {
        answered = "never answered";
      }
      fail(
          "the service started on another chain with a folder whose cursor is at "
              + oldCursor
              + ": request in block "
              + sent.blockIndex()
              + " was "
              + answered
              + "; /ready said "
              + ready);
    }
  }

  static String readiness(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
