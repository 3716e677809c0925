package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A schedule on a real local chain with the real service: every 2 blocks over 40 blocks, with the
 * service stopped and started again in the middle, answers each slot exactly once on chain.
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
