package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.contract.GasToken;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.chain.StackValue;
import io.nsl.devnet.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggers on a real local chain with the real service: a schedule every 2 blocks over 40 blocks,
 * with the service stopped and started again in the middle, answers each slot exactly once on
 * chain; an event trigger on another contract (the GAS token's transfers to the gateway) answers
 * each matching event once.
 */
class TriggerScheduleIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final long GAS = 100_000_000L;
  static LocalStack stack;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    Path root = ProjectRoot.find();
    stack = LocalStack.start(root, data, QUIET, true);
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
  }

  static NeoRpcClient rpc() {
    return new NeoRpcClient(stack.config().chain().rpcUrl());
  }

  @Test
  void aScheduleEveryTwoBlocksAnswersEachSlotExactlyOnceAcrossARestart() throws Exception {
    Account dev = stack.node().wallets().developer();
    GatewayClient gw = stack.service().gateway();
    gw.deposit(dev, dev.getScriptHash(), 10 * GAS);
    Hash160 consumer = stack.deployment().consumer();
    NeoApplicationLog created =
        gw.invoke(
            dev,
            "create a subscription",
            "createSubscription",
            ContractParameter.string("tick"),
            ContractParameter.integer(1),
            ContractParameter.integer(2),
            ContractParameter.hash160(consumer),
            ContractParameter.string("onResult"),
            ContractParameter.integer(BigInteger.valueOf(8 * GAS)),
            ContractParameter.integer(BigInteger.valueOf(GAS / 10)),
            ContractParameter.integer(240),
            ContractParameter.integer(0));
    var event =
        created.getExecutions().get(0).getNotifications().stream()
            .filter(n -> n.getEventName().equals("SubscriptionCreated"))
            .findFirst()
            .orElseThrow();
    long sub = event.getState().getList().get(0).getInteger().longValueExact();
    long start = event.getState().getList().get(7).getInteger().longValueExact();

    NeoRpcClient rpc = rpc();
    awaitHeight(rpc, start + 20, 60);
    stack.stopService();
    awaitHeight(rpc, start + 26, 60); // slots pass while the service is away: each once
    stack.startService(QUIET);
    long end = start + 40;
    awaitHeight(rpc, end, 60);

    List<Long> slots = new ArrayList<>();
    for (long s = start; s <= end; s += 2) {
      slots.add(s);
    }
    long deadline = System.nanoTime() + 90_000_000_000L;
    List<Long> missing = slots;
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      List<Long> still = new ArrayList<>();
      for (long s : missing) {
        if (answer(rpc, consumer, RunId.of(sub, s)) == null) {
          still.add(s);
        }
      }
      missing = still;
    }
    assertEquals(List.of(), missing, "slots of subscription " + sub + " never answered");
    for (long s : slots) {
      String result = answer(rpc, consumer, RunId.of(sub, s));
      assertEquals(
          "{\"trigger\":\"schedule\",\"slot\":" + s + ",\"subscriptionId\":" + sub + "}", result);
    }

    // Exactly once: every accepted answer of a run id, over all blocks, and no answer refused.
    Map<Long, Integer> accepted = new HashMap<>();
    int refused = 0;
    String gateway = "0x" + stack.deployment().gateway();
    long height = rpc.blockCount() - 1;
    for (long b = start; b <= height; b++) {
      for (var n : rpc.blockNotifications(b, gateway, "Fulfilled")) {
        for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
          if (RunId.isRun(f.requestId())) {
            accepted.merge(f.requestId(), 1, Integer::sum);
          }
        }
      }
      refused += rpc.blockNotifications(b, gateway, "FulfilmentRejected").size();
    }
    for (long s : slots) {
      assertEquals(1, accepted.get(RunId.of(sub, s)), "slot " + s);
    }
    // The schedule goes on after `end`: later slots may be answered too, each once, on the grid.
    for (var e : accepted.entrySet()) {
      long slot = RunId.slot(e.getKey());
      assertTrue(slot >= start && (slot - start) % 2 == 0, "run off the schedule: slot " + slot);
      assertEquals(1, e.getValue(), "slot " + slot + " answered " + e.getValue() + " times");
    }
    assertEquals(0, refused, "no answer was sent twice or refused");
  }

  @Test
  void anEventTriggerOnAnotherContractAnswersEachMatchingEventOnce() throws Exception {
    Account dev = stack.node().wallets().developer();
    GatewayClient gw = stack.service().gateway();
    gw.deposit(dev, dev.getScriptHash(), 10 * GAS);
    Hash160 consumer = stack.deployment().consumer();
    String gateway = "0x" + stack.deployment().gateway();
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
                ContractParameter.string("{\"1\":\"" + gateway + "\"}")),
            ContractParameter.hash160(consumer),
            ContractParameter.string("onResult"),
            ContractParameter.integer(BigInteger.valueOf(2 * GAS)),
            ContractParameter.integer(BigInteger.valueOf(GAS / 10)),
            ContractParameter.integer(240),
            ContractParameter.integer(0));
    var event =
        created.getExecutions().get(0).getNotifications().stream()
            .filter(n -> n.getEventName().equals("SubscriptionCreated"))
            .findFirst()
            .orElseThrow();
    long sub = event.getState().getList().get(0).getInteger().longValueExact();

    NeoRpcClient rpc = rpc();
    // Three transfers to the gateway (deposits) match; the filter leaves out every other transfer.
    List<String> txs = new ArrayList<>();
    List<Long> blocks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      NeoApplicationLog log = gw.deposit(dev, dev.getScriptHash(), i * 1000L);
      txs.add("0x" + log.getTransactionId());
      String blockHash =
          rpc.call("getrawtransaction", "0x" + log.getTransactionId(), 1)
              .path("blockhash")
              .asText();
      blocks.add(rpc.call("getblockheader", blockHash, 1).path("index").asLong());
    }
    for (int i = 0; i < 3; i++) {
      long runId = RunId.of(sub, RunId.eventSlot(blocks.get(i), 0));
      long deadline = System.nanoTime() + 60_000_000_000L;
      String result;
      while ((result = answer(rpc, consumer, runId)) == null && System.nanoTime() < deadline) {
        Thread.sleep(300);
      }
      assertEquals(
          "{\"trigger\":\"event\",\"txHash\":\""
              + txs.get(i)
              + "\",\"index\":0,\"amount\":"
              + (i + 1) * 1000
              + "}",
          result,
          "run of deposit " + (i + 1));
    }
    // Each once: count the accepted answers of this subscription's runs.
    Map<Long, Integer> accepted = new HashMap<>();
    for (long b = blocks.get(0); b <= rpc.blockCount() - 1; b++) {
      for (var n : rpc.blockNotifications(b, gateway, "Fulfilled")) {
        for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
          if (RunId.isRun(f.requestId()) && RunId.subscriptionId(f.requestId()) == sub) {
            accepted.merge(f.requestId(), 1, Integer::sum);
          }
        }
      }
    }
    assertEquals(3, accepted.size(), accepted.toString());
    assertTrue(accepted.values().stream().allMatch(c -> c == 1), accepted.toString());
  }

  static String answer(NeoRpcClient rpc, Hash160 consumer, long runId) {
    var r =
        rpc.call(
            "invokefunction",
            "0x" + consumer,
            "getAnswer",
            List.of(Map.of("type", "Integer", "value", Long.toString(runId))));
    StackValue v = NeoRpcClient.parseStack(r.path("stack").path(0));
    if (!(v instanceof StackValue.Array a)) {
      return null;
    }
    return new String(a.items().get(1).asBytes(), StandardCharsets.UTF_8);
  }

  static void awaitHeight(NeoRpcClient rpc, long height, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (rpc.blockCount() - 1 < height) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the chain did not reach block " + height);
      }
      Thread.sleep(200);
    }
  }
}
