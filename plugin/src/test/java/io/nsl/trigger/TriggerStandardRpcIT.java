package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.neow3j.contract.GasToken;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.devnet.LocalStack;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggers behind a node without neo-go's {@code getblocknotifications} (a loopback proxy answers
 * it -32601, as a C# neo-cli does; every other call goes to neo-go): the service, in the watcher's
 * default {@code auto} mode, reads blocks with the standard {@code getblock} and {@code
 * getapplicationlog} (decision 0801), and its schedule and event triggers still answer on chain.
 */
class TriggerStandardRpcIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final long GAS = 100_000_000L;
  static final AtomicInteger refusedExtension = new AtomicInteger();
  static final AtomicInteger applicationLogs = new AtomicInteger();
  static final AtomicReference<String> node = new AtomicReference<>();
  static HttpServer neoCli;
  static LocalStack stack;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    Path root = ProjectRoot.find();
    neoCli = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient forward = HttpClient.newHttpClient();
    neoCli.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          String text = new String(body, StandardCharsets.UTF_8);
          byte[] answer;
          if (text.contains("\"method\":\"getblocknotifications\"")) {
            refusedExtension.incrementAndGet();
            answer =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            if (text.contains("\"method\":\"getapplicationlog\"")) {
              applicationLogs.incrementAndGet();
            }
            try {
              answer =
                  forward
                      .send(
                          HttpRequest.newBuilder(URI.create(node.get()))
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .header("Content-Type", "application/json")
                              .build(),
                          HttpResponse.BodyHandlers.ofByteArray())
                      .body();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException(e);
            }
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    neoCli.start();
    String proxy = "http://127.0.0.1:" + neoCli.getAddress().getPort();
    stack =
        LocalStack.start(
            root,
            data,
            QUIET,
            false, // neo-cli has no /ws: the watcher polls
            cfg -> {
              node.set(cfg.chain().rpcUrl());
              return cfg.withChain(cfg.chain().withRpcUrls(List.of(proxy)).withWatcher("auto"));
            });
    stack.registerFunction(
        "tick", Files.readString(root.resolve("plugin/src/test/resources/functions/tick.js")));
    stack.registerFunction(
        "onevent",
        Files.readString(root.resolve("plugin/src/test/resources/functions/onevent.js")));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (neoCli != null) {
      neoCli.stop(0);
    }
  }

  static long create(Account dev, String function, int kind, ContractParameter trigger) {
    NeoApplicationLog created =
        stack
            .service()
            .gateway()
            .invoke(
                dev,
                "create a subscription",
                "createSubscription",
                ContractParameter.string(function),
                ContractParameter.integer(kind),
                trigger,
                ContractParameter.hash160(stack.deployment().consumer()),
                ContractParameter.string("onResult"),
                ContractParameter.integer(BigInteger.valueOf(2 * GAS)),
                ContractParameter.integer(BigInteger.valueOf(GAS / 10)),
                ContractParameter.integer(240),
                ContractParameter.integer(0));
    return created.getExecutions().get(0).getNotifications().stream()
        .filter(n -> n.getEventName().equals("SubscriptionCreated"))
        .findFirst()
        .orElseThrow()
        .getState()
        .getList()
        .get(0)
        .getInteger()
        .longValueExact();
  }

  @Test
  void scheduleAndEventTriggersAnswerThroughTheStandardCalls() throws Exception {
    Account dev = stack.node().wallets().developer();
    GatewayClient gw = stack.service().gateway();
    Hash160 consumer = stack.deployment().consumer();
    String gateway = "0x" + stack.gateway();
    gw.deposit(dev, dev.getScriptHash(), 10 * GAS);
    long schedule = create(dev, "tick", 1, ContractParameter.integer(3));
    long onEvent =
        create(
            dev,
            "onevent",
            3,
            ContractParameter.array(
                ContractParameter.hash160(GasToken.SCRIPT_HASH),
                ContractParameter.string("Transfer"),
                ContractParameter.string("{\"1\":\"" + gateway + "\"}")));
    NeoRpcClient rpc = new NeoRpcClient(stack.config().chain().rpcUrl());
    List<Long> runs = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      NeoApplicationLog log = gw.deposit(dev, dev.getScriptHash(), i * 1000L);
      long block = TriggerEventsIT.blockOf(rpc, "0x" + log.getTransactionId());
      runs.add(RunId.of(onEvent, RunId.eventSlot(block, 0)));
      expected.add(
          "{\"trigger\":\"event\",\"txHash\":\"0x"
              + log.getTransactionId()
              + "\",\"index\":0,\"amount\":"
              + i * 1000
              + "}");
    }
    // The schedule's start block is the creating transaction's: find it from its answers' grid.
    long start =
        rpc.call(
                "invokefunction",
                gateway,
                "getSubscription",
                List.of(java.util.Map.of("type", "Integer", "value", Long.toString(schedule))))
            .path("stack")
            .path(0)
            .path("value")
            .path(6)
            .path("value")
            .asLong();
    for (long slot = start; slot <= start + 6; slot += 3) {
      runs.add(RunId.of(schedule, slot));
      expected.add(
          "{\"trigger\":\"schedule\",\"slot\":" + slot + ",\"subscriptionId\":" + schedule + "}");
    }
    TriggerScheduleIT.awaitHeight(rpc, start + 6, 60);
    for (int i = 0; i < runs.size(); i++) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      String result;
      while ((result = TriggerScheduleIT.answer(rpc, consumer, runs.get(i))) == null
          && System.nanoTime() < deadline) {
        Thread.sleep(300);
      }
      assertEquals(expected.get(i), result, "run " + Long.toUnsignedString(runs.get(i)));
    }
    assertTrue(refusedExtension.get() > 0, "the service asked for the extension and was refused");
    assertTrue(applicationLogs.get() > 0, "it read blocks with getapplicationlog");
  }
}
