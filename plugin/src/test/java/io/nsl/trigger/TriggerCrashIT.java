package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.devnet.LocalStack;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.ServiceProcess;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule every 2 blocks over 60 blocks, with the service (a separate JVM) killed with SIGKILL
 * in the middle and the node stopped for 20 s: every slot is answered exactly once on chain and no
 * answer is refused (none sent twice). Slots that pass while the service is dead are missed slots,
 * run each once (the subscription's policy).
 */
class TriggerCrashIT {
  static final long GAS = 100_000_000L;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aScheduleSurvivesAKill9AndANodeOutageWithEachSlotAnsweredOnce() throws Exception {
    Path root = ProjectRoot.find();
    try (LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      Path data = dir.resolve("service");
      String code = Files.readString(root.resolve("plugin/src/test/resources/functions/tick.js"));
      Account developer = node.wallets().developer();
      NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
      GatewayClient gw = new GatewayClient(node.chain(), rpc, d.gateway());

      try (Enclave enclave =
              Enclaves.open(EnclaveMode.SIMULATED, data.resolve("enclave"), Clock.systemUTC());
          PersistentStorageService storage =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), enclave::deriveStorageKey)) {
        new StoredFunctionCatalog(storage)
            .put("tick", code, Optional.empty(), "0x" + developer.getScriptHash());
        gw.registerFunction(
            "tick", LocalStack.sha256(code.getBytes(StandardCharsets.UTF_8)), developer);
        var identity = new GatewayIdentity(node.chain().networkMagic(), gw.scriptHashLE());
        gw.registerEnclave(
            enclave.signingPublicKey(),
            AttestationJson.toJson(enclave.attest(identity))
                .toString()
                .getBytes(StandardCharsets.UTF_8),
            GatewayClient.MODE_SIMULATED,
            node.wallets().validator());
      }

      int port = freePort();
      Path config = dir.resolve("nsl.yml");
      Files.writeString(
          config,
          "mode: simulation\ndataDir: "
              + data
              + "\nchain:\n  rpcUrl: "
              + node.rpcUrl()
              + "\n  gatewayHash: \"0x"
              + d.gateway()
              + "\"\n  startBlock: "
              + d.gatewayDeployBlock()
              + "\nsubmitter:\n  validForBlocks: 20\napi:\n  port: "
              + port
              + "\n");

      gw.deposit(developer, developer.getScriptHash(), 20 * GAS);
      NeoApplicationLog created =
          gw.invoke(
              developer,
              "create a subscription",
              "createSubscription",
              ContractParameter.string("tick"),
              ContractParameter.integer(1),
              ContractParameter.integer(2),
              ContractParameter.hash160(d.consumer()),
              ContractParameter.string("onResult"),
              ContractParameter.integer(BigInteger.valueOf(15 * GAS)),
              ContractParameter.integer(BigInteger.valueOf(GAS / 10)),
              ContractParameter.integer(240),
              ContractParameter.integer(0));
      var state =
          created.getExecutions().get(0).getNotifications().stream()
              .filter(n -> n.getEventName().equals("SubscriptionCreated"))
              .findFirst()
              .orElseThrow()
              .getState()
              .getList();
      long sub = state.get(0).getInteger().longValueExact();
      long start = state.get(7).getInteger().longValueExact();
      long end = start + 60;

      try (ServiceProcess service = new ServiceProcess(config, dir.resolve("service.log"), port)) {
        service.start();
        service.awaitUp(Duration.ofSeconds(120));
        TriggerScheduleIT.awaitHeight(rpc, start + 16, 120);
        service.kill9();
        TriggerScheduleIT.awaitHeight(rpc, start + 24, 60); // slots pass while it is dead
        service.start();
        service.awaitUp(Duration.ofSeconds(120));
        TriggerScheduleIT.awaitHeight(rpc, start + 34, 120);
        node.stop();
        Thread.sleep(20_000);
        node.restart();
        TriggerScheduleIT.awaitHeight(rpc, end, 120);

        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        boolean all = false;
        while (!all && System.nanoTime() < deadline) {
          Thread.sleep(1000);
          all = true;
          for (long s = start; s <= end && all; s += 2) {
            all = TriggerScheduleIT.answer(rpc, d.consumer(), RunId.of(sub, s)) != null;
          }
        }
        assertTrue(all, "not every slot answered; see " + dir.resolve("service.log"));
      }

      Map<Long, Integer> accepted = new HashMap<>();
      int refused = 0;
      String gateway = "0x" + d.gateway();
      for (long b = start; b <= rpc.blockCount() - 1; b++) {
        for (var n : rpc.blockNotifications(b, gateway, "Fulfilled")) {
          for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
            accepted.merge(f.requestId(), 1, Integer::sum);
          }
        }
        refused += rpc.blockNotifications(b, gateway, "FulfilmentRejected").size();
      }
      for (long s = start; s <= end; s += 2) {
        assertEquals(1, accepted.get(RunId.of(sub, s)), "slot " + s);
      }
      for (var e : accepted.entrySet()) {
        long slot = RunId.slot(e.getKey());
        assertTrue(slot >= start && (slot - start) % 2 == 0, "run off the schedule: slot " + slot);
        assertEquals(1, e.getValue(), "slot " + slot + " answered " + e.getValue() + " times");
      }
      assertEquals(0, refused, "answers refused on chain (sent twice: GAS wasted)");
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
