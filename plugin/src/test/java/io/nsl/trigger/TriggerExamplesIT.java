package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.neow3j.contract.SmartContract;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.chain.StackValue;
import io.nsl.devnet.LocalStack;
import io.nsl.service.ServiceConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger examples, run as a developer would run them: examples/price-feed (a Go contract
 * updated every 3 blocks by feed.js, the median of two loopback price sources, read with getPrice,
 * and its consumer contract, which prices an amount with the pushed median on chain) and
 * examples/event-settlement (settle.js settles each deal the contract's Closed event names). The
 * contracts are compiled here with the pinned neo-go.
 */
class TriggerExamplesIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final long GAS = 100_000_000L;
  static final AtomicInteger secondPrice = new AtomicInteger(104);
  static HttpServer sourceA;
  static HttpServer sourceB;
  static LocalStack stack;
  static NeoChain chain;
  static NeoRpcClient rpc;
  @TempDir static Path data;
  @TempDir static Path build;

  static HttpServer source(java.util.function.IntSupplier price) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/price",
        ex -> {
          int p = price.getAsInt();
          byte[] b = ("{\"price\":" + p + "}").getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(p < 0 ? 500 : 200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    s.start();
    return s;
  }

  static Path compile(Path root, String dir, String name) throws Exception {
    Path src = root.resolve("examples").resolve(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve(".tools/bin/neo-go").toString(),
                "contract",
                "compile",
                "-i",
                ".",
                "-c",
                name + ".yml",
                "-o",
                build.resolve(name + ".nef").toString(),
                "-m",
                build.resolve(name + ".manifest.json").toString())
            .directory(src.toFile())
            .redirectErrorStream(true);
    // The example's module resolves from the module cache the contracts/ build filled.
    pb.environment().put("GOFLAGS", "-mod=mod");
    pb.environment().put("GOPROXY", "off");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "neo-go compile did not finish");
    assertEquals(0, p.exitValue(), "neo-go contract compile " + dir + ": " + out);
    return build.resolve(name + ".nef");
  }

  @BeforeAll
  static void start() throws Exception {
    Path root = ProjectRoot.find();
    compile(root, "price-feed/contract", "pricefeed");
    compile(root, "price-feed/consumer", "quote");
    compile(root, "event-settlement/contract", "settlement");
    sourceA = source(() -> 100);
    sourceB = source(secondPrice::get);
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
    stack.registerFunction(
        "price-feed", Files.readString(root.resolve("examples/price-feed/feed.js")));
    stack.registerFunction(
        "settle", Files.readString(root.resolve("examples/event-settlement/settle.js")));
    stack.setSecret(
        "PRICE_SOURCES",
        "[\"http://127.0.0.1:"
            + sourceA.getAddress().getPort()
            + "/price\",\"http://127.0.0.1:"
            + sourceB.getAddress().getPort()
            + "/price\"]");
    chain = new NeoChain(stack.config().chain().rpcUrl(), Duration.ofMillis(200));
    rpc = new NeoRpcClient(stack.config().chain().rpcUrl());
    Account dev = stack.node().wallets().developer();
    stack.service().gateway().deposit(dev, dev.getScriptHash(), 20 * GAS);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    for (HttpServer s : new HttpServer[] {sourceA, sourceB}) {
      if (s != null) {
        s.stop(0);
      }
    }
  }

  static Hash160 deploy(String name) {
    return deploy(name, ContractParameter.hash160(stack.gateway()), developer());
  }

  /** A contract's hash depends on its deployer: a second copy needs another account. */
  static Hash160 deploy(String name, ContractParameter data, Account deployer) {
    return chain.deploy(
        build.resolve(name + ".nef"), build.resolve(name + ".manifest.json"), data, deployer);
  }

  static Account developer() {
    return stack.node().wallets().developer();
  }

  /** The exception of a test invocation of {@code quote(amount, maxAgeBlocks)}, or "" on HALT. */
  static String quoteFault(Hash160 quote, long amount, long maxAgeBlocks) {
    var r =
        rpc.call(
            "invokefunction",
            "0x" + quote,
            "quote",
            List.of(
                Map.of("type", "Integer", "value", Long.toString(amount)),
                Map.of("type", "Integer", "value", Long.toString(maxAgeBlocks))));
    return r.path("state").asText().equals("HALT") ? "" : r.path("exception").asText();
  }

  static long subscribe(String function, int kind, ContractParameter trigger, Hash160 target) {
    NeoApplicationLog created =
        stack
            .service()
            .gateway()
            .invoke(
                stack.node().wallets().developer(),
                "create a subscription",
                "createSubscription",
                ContractParameter.string(function),
                ContractParameter.integer(kind),
                trigger,
                ContractParameter.hash160(target),
                ContractParameter.string("onResult"),
                ContractParameter.integer(BigInteger.valueOf(5 * GAS)),
                ContractParameter.integer(BigInteger.valueOf(12 * GAS / 100)),
                ContractParameter.integer(240),
                ContractParameter.integer(1));
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

  static StackValue read(Hash160 contract, String method, List<Map<String, String>> params) {
    var r = rpc.call("invokefunction", "0x" + contract, method, params);
    return NeoRpcClient.parseStack(r.path("stack").path(0));
  }

  /** [price, runId, updates] of the feed, or null before its first answer. */
  static List<StackValue> price(Hash160 feed) {
    StackValue v = read(feed, "getPrice", List.of());
    return v instanceof StackValue.Array a ? a.items() : null;
  }

  static List<StackValue> awaitPrice(
      Hash160 feed, java.util.function.Predicate<List<StackValue>> ok) throws InterruptedException {
    long deadline = System.nanoTime() + 90_000_000_000L;
    List<StackValue> p;
    while (((p = price(feed)) == null || !ok.test(p)) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    return p;
  }

  @Test
  void thePriceFeedKeepsTheMedianOfItsSourcesEveryThreeBlocks() throws Exception {
    Hash160 feed = deploy("pricefeed");
    long sub = subscribe("price-feed", 1, ContractParameter.integer(3), feed);
    List<StackValue> p = awaitPrice(feed, x -> x.get(2).asInt().intValueExact() >= 2);
    assertTrue(p != null && p.get(2).asInt().intValueExact() >= 2, "two updates: " + p);
    assertEquals(102, p.get(0).asInt().intValueExact(), "the median of 100 and 104");
    long runId = p.get(1).asInt().longValueExact();
    assertEquals(sub, RunId.subscriptionId(runId), "set by the subscription's run");

    // A consumer contract reads the pushed median on chain and prices 250 units with it.
    Hash160 quote = deploy("quote", ContractParameter.hash160(feed), developer());
    NeoApplicationLog quoted =
        chain.sendAndWait(
            new SmartContract(quote, chain.neow3j())
                .invokeFunction(
                    "quote", ContractParameter.integer(250), ContractParameter.integer(30))
                .signers(AccountSigner.calledByEntry(developer())),
            "quote 250 at the feed's price",
            Duration.ofSeconds(30),
            developer());
    var event =
        quoted.getExecutions().get(0).getNotifications().stream()
            .filter(n -> n.getEventName().equals("Quoted"))
            .findFirst()
            .orElseThrow()
            .getState()
            .getList();
    assertEquals(250, event.get(0).getInteger().intValueExact());
    assertEquals(
        102, event.get(1).getInteger().intValueExact(), "the feed's median, read on chain");
    assertEquals(250 * 102, event.get(2).getInteger().intValueExact());
    assertEquals(
        sub, RunId.subscriptionId(event.get(3).getInteger().longValueExact()), "the run's price");
    List<StackValue> last = ((StackValue.Array) read(quote, "getLastQuote", List.of())).items();
    assertEquals(250 * 102, last.get(2).asInt().intValueExact(), "kept: " + last);
    // Refused: a price older than the caller accepts (0 blocks: an answer lands after its slot's
    // block), and a feed that has no price yet (copies deployed by another account).
    String stale = quoteFault(quote, 250, 0);
    assertTrue(stale.contains("blocks old: over the 0 asked for"), stale);
    Account other = stack.node().wallets().validator();
    Hash160 emptyFeed = deploy("pricefeed", ContractParameter.hash160(stack.gateway()), other);
    String empty =
        quoteFault(deploy("quote", ContractParameter.hash160(emptyFeed), other), 250, 30);
    assertTrue(empty.contains("the feed has no price yet"), empty);

    // The second source fails: the feed goes on with the one that answers.
    secondPrice.set(-1);
    long after = runId;
    p =
        awaitPrice(
            feed,
            x ->
                x.get(1).asInt().longValueExact() > after
                    && x.get(0).asInt().intValueExact() == 100);
    assertEquals(100, p.get(0).asInt().intValueExact(), "one source left: its price " + p);
  }

  @Test
  void aClosedDealIsSettledByTheFunctionItsEventTriggers() throws Exception {
    Hash160 deals = deploy("settlement");
    subscribe(
        "settle",
        3,
        ContractParameter.array(
            ContractParameter.hash160(deals),
            ContractParameter.string("Closed"),
            ContractParameter.string("")),
        deals);
    Account dev = developer();
    int[][] closes = {{1, 1_000}, {2, 250}, {3, 77_777}};
    for (int[] c : closes) {
      chain.sendAndWait(
          new SmartContract(deals, chain.neow3j())
              .invokeFunction(
                  "close", ContractParameter.integer(c[0]), ContractParameter.integer(c[1]))
              .signers(AccountSigner.calledByEntry(dev)),
          "close deal " + c[0],
          Duration.ofSeconds(30),
          dev);
    }
    for (int[] c : closes) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      StackValue paid;
      while ((paid = settlement(deals, c[0])) instanceof StackValue.Null
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertEquals(
          c[1] - c[1] * 2 / 100,
          paid.asInt().longValueExact(),
          "deal " + c[0] + " settled at its amount less 2%");
    }
    assertTrue(
        settlement(deals, 4) instanceof StackValue.Null, "a deal never closed is not settled");
  }

  static StackValue settlement(Hash160 deals, long id) {
    return read(
        deals, "getSettlement", List.of(Map.of("type", "Integer", "value", Long.toString(id))));
  }
}
