package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.neow3j.types.Hash160;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
import io.nsl.devnet.LocalStack;
import io.nsl.testing.GatewayEvents;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job on a real local chain with the real service (simulation mode): requests from several
 * consumers, mixed functions including failing ones, answered exactly once on chain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceEndToEndIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static LocalStack stack;
  static Path root;
  @TempDir static Path data;

  /** Expected on-chain status per function. */
  static final Map<String, Integer> EXPECTED =
      Map.of(
          "echo",
          0,
          "boom",
          3,
          "spin",
          4,
          "big",
          8,
          "secret",
          0,
          "tampered",
          101,
          "unknown-code",
          100);

  // A price API on loopback that functions may fetch from (the operator allows it in fetch.*).
  static HttpServer prices;
  static final List<String> keysSeen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    root = ProjectRoot.find();
    prices = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prices.createContext(
        "/price",
        ex -> {
          keysSeen.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Api-Key")));
          byte[] b = "{\"price\":42.5}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    prices.start();
    stack =
        LocalStack.start(
            root,
            data,
            QUIET,
            true,
            cfg ->
                cfg.withFetch(
                    new ServiceConfig.Fetch(
                        List.of("127.0.0.1"), true, true, 5, 65536, 1048576, 5000L)));
    for (String f : List.of("echo", "boom", "spin", "big", "secret", "fetcher", "full-result")) {
      stack.registerFunction(f, code(f));
    }
    // Registered on chain with the hash of one code, while the service holds another.
    stack.registerFunction("tampered", code("echo"));
    stack
        .service()
        .functions()
        .put(
            "tampered", code("echo") + "\n// changed after registration", Optional.empty(), "0x00");
    // Registered on chain, but the service holds no code for it.
    stack
        .service()
        .gateway()
        .registerFunction(
            "unknown-code", LocalStack.sha256(new byte[] {1}), stack.node().wallets().developer());
    stack.setSecret("API_KEY", "sk-live-0123456789");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (prices != null) {
      prices.stop(0);
    }
  }

  static String code(String name) throws IOException {
    return Files.readString(root.resolve("plugin/src/test/resources/functions/" + name + ".js"));
  }

  @Test
  @Order(1)
  void refusesCodeChangedAfterRegistrationWithHashMismatchStatus() throws Exception {
    var sent = stack.request("tampered", "{\"n\":1}", 100_000);
    var answer = stack.awaitAnswer(sent, Duration.ofSeconds(60));
    assertEquals(101, answer.status());
    assertTrue(answer.result().contains("CODE_HASH_MISMATCH"), answer.result());
  }

  @Test
  @Order(2)
  void secretsReachTheFunctionButNeverItsLogs() {
    var sent = stack.request("secret", "{}", 100_000);
    var answer = stack.awaitAnswer(sent, Duration.ofSeconds(60));
    assertEquals(0, answer.status(), answer.result());
    assertEquals("{\"len\":18}", answer.result());
    var exec = stack.service().executions().get(sent.requestId()).orElseThrow();
    assertTrue(
        exec.logs().stream().noneMatch(l -> l.contains("sk-live-0123456789")),
        exec.logs().toString());
    assertTrue(
        exec.logs().stream().anyMatch(l -> l.contains("[REDACTED]")), exec.logs().toString());
  }

  @Test
  @Order(3)
  void aFunctionFetchesFromAnAllowedHostWithItsSecretAndTheAnswerLandsOnChain() throws IOException {
    String url = "http://127.0.0.1:" + prices.getAddress().getPort() + "/price";
    var sent = stack.request("fetcher", "{\"url\":\"" + url + "\"}", 1_000_000);
    var answer = stack.awaitAnswer(sent, Duration.ofSeconds(60));
    assertEquals(0, answer.status(), answer.result());
    assertEquals("{\"status\":200,\"price\":42.5}", answer.result());
    assertEquals(List.of("sk-live-0123456789"), keysSeen, "the secret went over the wire");
    var exec = stack.service().executions().get(sent.requestId()).orElseThrow();
    assertTrue(
        exec.logs().stream().noneMatch(l -> l.contains("sk-live-0123456789")),
        exec.logs().toString());

    // A host the operator did not list is refused (status 10, FORBIDDEN), and nothing is sent.
    var refused = stack.request("fetcher", "{\"url\":\"http://10.0.0.1/price\"}", 1_000_000);
    var no = stack.awaitAnswer(refused, Duration.ofSeconds(60));
    assertEquals(10, no.status(), no.result());
    assertTrue(no.result().contains("'10.0.0.1' is not allowed"), no.result());
    assertEquals(1, keysSeen.size());

    // A function that declared its hosts reaches only those, even where the operator allows more.
    stack
        .service()
        .gateway()
        .registerFunction(
            "fetcher-narrow",
            LocalStack.sha256(code("fetcher").getBytes(StandardCharsets.UTF_8)),
            stack.node().wallets().developer());
    stack
        .service()
        .functions()
        .put(
            "fetcher-narrow",
            code("fetcher"),
            Optional.empty(),
            "0x" + stack.node().wallets().developer().getScriptHash(),
            Optional.of(List.of("prices.example.org")));
    var narrow = stack.request("fetcher-narrow", "{\"url\":\"" + url + "\"}", 1_000_000);
    var narrowed = stack.awaitAnswer(narrow, Duration.ofSeconds(60));
    assertEquals(10, narrowed.status(), narrowed.result());
    assertTrue(narrowed.result().contains("'127.0.0.1' is not allowed"), narrowed.result());
    assertEquals(1, keysSeen.size(), "nothing was sent");
  }

  @Test
  @Order(4)
  void aResultOfTheFullFourKilobytesReachesTheExampleConsumerAndIsReadBack() {
    // Issue 18: a result over ~1 KB was dropped in silence when the consumer notified it whole.
    var sent = stack.request("full-result", "{}", 1_000_000);
    var answer = stack.awaitAnswer(sent, Duration.ofSeconds(60));
    assertEquals(0, answer.status(), answer.result());
    assertEquals(4096, answer.result().getBytes(StandardCharsets.UTF_8).length);
    assertEquals("\"" + "x".repeat(4094) + "\"", answer.result());
  }

  @Test
  @Order(5)
  void twoHundredRequestsFromThreeConsumersAreEachFulfilledOnceWithTheRightStatus()
      throws Exception {
    Path build = root.resolve("contracts/build");
    List<Hash160> consumers = new ArrayList<>();
    consumers.add(stack.deployment().consumer());
    consumers.add(DevnetDeployment.deployConsumer(stack.node(), build, stack.gateway(), "b"));
    consumers.add(DevnetDeployment.deployConsumer(stack.node(), build, stack.gateway(), "c"));
    NeoRpcClient rpc = new NeoRpcClient(stack.node().rpcUrl());
    GatewayEvents events =
        new GatewayEvents(rpc, stack.gateway().toString(), stack.node().chain().blockCount() - 1);

    String[] mix = {
      "echo", "echo", "echo", "boom", "spin", "big", "echo", "tampered", "unknown-code", "echo"
    };
    List<Ask> asks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String f = mix[i % mix.length];
      long gas = f.equals("spin") ? 50_000 : 1_000_000;
      asks.add(new Ask(consumers.get(i % 3), f, "{\"n\":" + i + "}", gas));
    }
    for (int i = 0; i < asks.size(); i += 20) {
      DevnetDeployment.requestMany(
          stack.node().chain(), stack.node().wallets().developer(), asks.subList(i, i + 20), false);
    }
    assertTrue(
        events.awaitAllFulfilled(200, Duration.ofSeconds(240)),
        () -> "fulfilled " + events.fulfilled.size() + " of " + events.requested.size());

    assertEquals(200, events.requested.size());
    Map<Integer, Integer> byStatus = new HashMap<>();
    for (var r : events.requested.values()) {
      List<GatewayEvents.Fulfilled> f = events.fulfilled.get(r.id());
      assertEquals(1, f.size(), "request " + r.id() + " fulfilled " + f.size() + " times");
      int expected = EXPECTED.get(r.functionId());
      assertEquals(
          expected, f.get(0).status(), "status of request " + r.id() + " (" + r.functionId() + ")");
      if (r.functionId().equals("spin")) {
        assertEquals(50_000, f.get(0).gasUsed(), "gas used = limit when exhausted");
      }
      byStatus.merge(expected, 1, Integer::sum);
    }
    assertEquals(
        0, events.rejected.size(), "no fulfilment was refused (no GAS wasted): " + events.rejected);
    // Batching: far fewer fulfilment transactions than requests.
    assertTrue(
        events.fulfilTxs.size() < 200, "fulfilment transactions: " + events.fulfilTxs.size());
    // The submitter drops a request from its queue when it sees the fulfilment confirmed, at the
    // next block after inclusion: shortly after the event this test watches.
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (stack.service().queue().size() > 0 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertEquals(0, stack.service().queue().size(), "queue drained");
  }
}
