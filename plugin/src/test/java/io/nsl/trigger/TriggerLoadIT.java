package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.TransactionBuilder;
import io.neow3j.types.CallFlags;
import io.neow3j.types.ContractParameter;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.devnet.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests while 50 schedules fire every block: the requests are all answered, and their latency
 * (blocks and block-time milliseconds from the request's block to its answer's) is printed beside
 * the same requests' latency without the schedules. A report, not a timed assertion: the figures
 * depend on the machine.
 */
class TriggerLoadIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final long GAS = 100_000_000L;
  static final int SCHEDULES = 50;
  static final int REQUESTS = 8;
  static LocalStack stack;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    Path root = ProjectRoot.find();
    stack = LocalStack.start(root, data, QUIET, true);
    for (String f : List.of("tick", "echo")) {
      stack.registerFunction(
          f, Files.readString(root.resolve("plugin/src/test/resources/functions/" + f + ".js")));
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Latency of {@link #REQUESTS} requests sent one after another: [blocks..., millis...]. */
  static List<long[]> requests(String tag) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      var sent = stack.request("echo", "{\"" + tag + "\":" + i + "}", 1_000_000);
      var answer = stack.awaitAnswer(sent, Duration.ofSeconds(120));
      assertEquals(0, answer.status(), "request " + sent.requestId());
      out.add(
          new long[] {
            answer.blockIndex() - sent.blockIndex(),
            answer.blockTimeMillis() - stack.blockTimeMillis(sent.blockIndex())
          });
    }
    return out;
  }

  static String summary(List<long[]> l) {
    List<Long> blocks = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    for (long[] x : l) {
      blocks.add(x[0]);
      millis.add(x[1]);
    }
    Collections.sort(blocks);
    Collections.sort(millis);
    return "median "
        + blocks.get(blocks.size() / 2)
        + " blocks / "
        + millis.get(millis.size() / 2)
        + " ms, max "
        + blocks.getLast()
        + " blocks / "
        + millis.getLast()
        + " ms";
  }

  @Test
  void requestsAreAnsweredWhileFiftySchedulesFireEveryBlock() {
    List<long[]> alone = requests("alone");

    Account dev = stack.node().wallets().developer();
    GatewayClient gw = stack.service().gateway();
    gw.deposit(dev, dev.getScriptHash(), SCHEDULES * 10 * GAS);
    ScriptBuilder script = new ScriptBuilder();
    for (int i = 0; i < SCHEDULES; i++) {
      script.contractCall(
          stack.gateway(),
          "createSubscription",
          List.of(
              ContractParameter.string("tick"),
              ContractParameter.integer(1),
              ContractParameter.integer(1),
              ContractParameter.hash160(stack.deployment().consumer()),
              ContractParameter.string("onResult"),
              ContractParameter.integer(BigInteger.valueOf(10 * GAS)),
              ContractParameter.integer(BigInteger.valueOf(12 * GAS / 100)),
              ContractParameter.integer(240),
              ContractParameter.integer(1)),
          CallFlags.ALL);
    }
    NeoChain chain = new NeoChain(stack.config().chain().rpcUrl(), Duration.ofMillis(200));
    NeoApplicationLog created =
        chain.sendAndWait(
            new TransactionBuilder(chain.neow3j())
                .script(script.toArray())
                .signers(AccountSigner.calledByEntry(dev)),
            "50 schedules every block",
            Duration.ofSeconds(60),
            dev);
    List<Long> subs = new ArrayList<>();
    created.getExecutions().get(0).getNotifications().stream()
        .filter(n -> n.getEventName().equals("SubscriptionCreated"))
        .forEach(n -> subs.add(n.getState().getList().get(0).getInteger().longValueExact()));
    assertEquals(SCHEDULES, subs.size());
    long from = chain.blockCount() - 1;

    List<long[]> loaded = requests("loaded");
    long to = chain.blockCount() - 1;

    // How many runs of the schedules the chain accepted while the requests were measured.
    NeoRpcClient rpc = new NeoRpcClient(stack.config().chain().rpcUrl());
    String gateway = "0x" + stack.gateway();
    int runs = 0;
    for (long b = from; b <= to; b++) {
      for (var n : rpc.blockNotifications(b, gateway, "Fulfilled")) {
        for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
          if (RunId.isRun(f.requestId()) && subs.contains(RunId.subscriptionId(f.requestId()))) {
            runs++;
          }
        }
      }
    }
    System.out.println(
        "TriggerLoadIT: "
            + REQUESTS
            + " requests alone: "
            + summary(alone)
            + "; with "
            + SCHEDULES
            + " schedules every block: "
            + summary(loaded)
            + "; "
            + runs
            + " schedule runs answered over blocks "
            + from
            + ".."
            + to
            + " ("
            + (to - from + 1) * SCHEDULES
            + " slots)");
    assertTrue(runs > 0, "the schedules ran while the requests were measured");
  }
}
