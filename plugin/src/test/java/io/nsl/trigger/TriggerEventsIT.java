package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.contract.GasToken;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.CallFlags;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 events of another contract (the GAS token's transfers to the gateway, 50 per transaction in
 * six blocks) give 300 answers on chain: each event answered once, with its own arguments, in the
 * order of the events across the whole stream. The node orders the transactions of one block by fee
 * per byte, so the submitter keeps a subscription's next batch back until its previous one is on
 * chain (docs/triggers.md, "Order"); before that, order stepped back up to 12 times.
 */
class TriggerEventsIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final long GAS = 100_000_000L;
  static final int TRANSACTIONS = 6;
  static final int PER_TRANSACTION = 50;
  static LocalStack stack;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    Path root = ProjectRoot.find();
    stack = LocalStack.start(root, data, QUIET, true);
    stack.registerFunction(
        "onevent",
        Files.readString(root.resolve("plugin/src/test/resources/functions/onevent.js")));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void threeHundredEventsGiveThreeHundredAnswersNoneTwice() throws Exception {
    int total = TRANSACTIONS * PER_TRANSACTION;
    Account dev = stack.node().wallets().developer();
    GatewayClient gw = stack.service().gateway();
    Hash160 gateway = stack.gateway();
    Hash160 consumer = stack.deployment().consumer();
    String gatewayHex = "0x" + gateway;
    // The default cap (240 runs per 240-block period) is under 300: the operator raises it.
    gw.invoke(
        stack.node().wallets().validator(),
        "raise the runs-per-period cap",
        "setTriggerParameters",
        ContractParameter.integer(1),
        ContractParameter.integer(240),
        ContractParameter.integer(1000));
    gw.deposit(dev, dev.getScriptHash(), 100 * GAS);
    NeoApplicationLog created =
        gw.invoke(
            dev,
            "create an event subscription",
            "createSubscription",
            ContractParameter.string("onevent"),
            ContractParameter.integer(3),
            ContractParameter.array(
                ContractParameter.hash160(GasToken.SCRIPT_HASH),
                ContractParameter.string("Transfer"),
                ContractParameter.string("{\"1\":\"" + gatewayHex + "\"}")),
            ContractParameter.hash160(consumer),
            ContractParameter.string("onResult"),
            ContractParameter.integer(BigInteger.valueOf(80 * GAS)),
            ContractParameter.integer(BigInteger.valueOf(GAS / 10)),
            ContractParameter.integer(1000),
            ContractParameter.integer(0));
    long sub =
        created.getExecutions().get(0).getNotifications().stream()
            .filter(n -> n.getEventName().equals("SubscriptionCreated"))
            .findFirst()
            .orElseThrow()
            .getState()
            .getList()
            .get(0)
            .getInteger()
            .longValueExact();

    NeoRpcClient rpc = new NeoRpcClient(stack.config().chain().rpcUrl());
    NeoChain chain = new NeoChain(stack.config().chain().rpcUrl(), Duration.ofMillis(200));
    long started = System.nanoTime();
    // Run id -> the amount its event carried: each transaction waits for the previous one's log,
    // so each is alone in its block and the n-th transfer of the block is its n-th event.
    Map<Long, Long> expected = new HashMap<>();
    long firstBlock = -1;
    for (int t = 0; t < TRANSACTIONS; t++) {
      ScriptBuilder script = new ScriptBuilder();
      for (int i = 0; i < PER_TRANSACTION; i++) {
        script.contractCall(
            GasToken.SCRIPT_HASH,
            "transfer",
            List.of(
                ContractParameter.hash160(dev.getScriptHash()),
                ContractParameter.hash160(gateway),
                ContractParameter.integer(amount(t, i)),
                ContractParameter.hash160(dev.getScriptHash())),
            CallFlags.ALL);
      }
      var builder =
          new io.neow3j.transaction.TransactionBuilder(chain.neow3j())
              .script(script.toArray())
              .signers(AccountSigner.calledByEntry(dev));
      NeoApplicationLog log =
          chain.sendAndWait(builder, "50 deposits in one transaction", Duration.ofSeconds(30), dev);
      long block = blockOf(rpc, "0x" + log.getTransactionId());
      firstBlock = firstBlock < 0 ? block : firstBlock;
      for (int i = 0; i < PER_TRANSACTION; i++) {
        expected.put(RunId.of(sub, RunId.eventSlot(block, i)), (long) amount(t, i));
      }
    }
    assertEquals(total, expected.size(), "each transaction in its own block");

    Map<Long, String> answers = new HashMap<>();
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (answers.size() < total && System.nanoTime() < deadline) {
      for (long runId : expected.keySet()) {
        if (!answers.containsKey(runId)) {
          String a = TriggerScheduleIT.answer(rpc, consumer, runId);
          if (a != null) {
            answers.put(runId, a);
          }
        }
      }
      if (answers.size() < total) {
        Thread.sleep(1000);
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    System.out.println(
        "TriggerEventsIT: " + answers.size() + " of " + total + " answered in " + seconds + " s");
    assertEquals(total, answers.size(), "events answered");
    for (var e : expected.entrySet()) {
      String a = answers.get(e.getKey());
      assertTrue(
          a.startsWith("{\"trigger\":\"event\",")
              && a.endsWith(",\"amount\":" + e.getValue() + "}"),
          "run " + Long.toUnsignedString(e.getKey()) + " answered " + a);
    }

    // None twice, none refused, and in the order of the events: within each fulfilment
    // transaction and across them, also across the transactions of one block.
    List<Long> order = new ArrayList<>();
    Map<String, List<Long>> byTransaction = new java.util.LinkedHashMap<>();
    int refused = 0;
    for (long b = firstBlock; b <= rpc.blockCount() - 1; b++) {
      for (var n : rpc.blockNotifications(b, gatewayHex, "Fulfilled")) {
        for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
          if (RunId.isRun(f.requestId()) && RunId.subscriptionId(f.requestId()) == sub) {
            order.add(f.requestId());
            byTransaction
                .computeIfAbsent(n.containerHash(), k -> new ArrayList<>())
                .add(f.requestId());
          }
        }
      }
      refused += rpc.blockNotifications(b, gatewayHex, "FulfilmentRejected").size();
    }
    assertEquals(total, order.size(), "answers accepted on chain (a second one would show here)");
    assertEquals(total, order.stream().distinct().count(), "no run answered twice");
    assertEquals(0, refused, "no answer refused");
    int inversions = 0;
    for (int i = 1; i < order.size(); i++) {
      if (order.get(i) < order.get(i - 1)) {
        inversions++;
      }
    }
    System.out.println(
        "TriggerEventsIT: "
            + byTransaction.size()
            + " fulfilment transactions; "
            + inversions
            + " answer(s) accepted before an earlier event's");
    List<Long> sorted = new ArrayList<>(order);
    sorted.sort(Long::compare);
    assertEquals(sorted, order, "answers accepted in the order of the events, across transactions");
    assertEquals(0, inversions);
  }

  static int amount(int transaction, int i) {
    return 1000 + transaction * PER_TRANSACTION + i + 1;
  }

  static long blockOf(NeoRpcClient rpc, String txHash) {
    String blockHash = rpc.call("getrawtransaction", txHash, 1).path("blockhash").asText();
    return rpc.call("getblockheader", blockHash, 1).path("index").asLong();
  }
}
