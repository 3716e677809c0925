package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
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
import io.nsl.testing.GatewayEvents;
import io.nsl.testing.ServiceProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes and node outages: the service runs as a separate JVM and is killed
 * with SIGKILL mid-stream, three times; the node is stopped for 20 s. Nothing is lost, nothing is
 * fulfilled twice, and no fulfilment transaction is wasted on an already-fulfilled request.
 */
class ServiceCrashIT {
  // Kept when the test fails: the service log is the first thing to read.
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void survivesThreeKill9sAndANodeOutageWithoutLossDuplicatesOrWastedFulfilments()
      throws Exception {
    Path root = ProjectRoot.find();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      Path data = dir.resolve("service");
      String code = Files.readString(root.resolve("plugin/src/test/resources/functions/echo.js"));
      Account developer = node.wallets().developer();

      // Provision the service's store and enclave key before it starts (as an operator would).
      try (Enclave enclave =
              Enclaves.open(EnclaveMode.SIMULATED, data.resolve("enclave"), Clock.systemUTC());
          PersistentStorageService storage =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), enclave::deriveStorageKey)) {
        new StoredFunctionCatalog(storage)
            .put("echo", code, Optional.empty(), "0x" + developer.getScriptHash());
        GatewayClient gw =
            new GatewayClient(node.chain(), new NeoRpcClient(node.rpcUrl()), d.gateway());
        gw.registerFunction(
            "echo", LocalStack.sha256(code.getBytes(StandardCharsets.UTF_8)), developer);
        var identity = new GatewayIdentity(node.chain().networkMagic(), gw.scriptHashLE());
        byte[] attestation =
            AttestationJson.toJson(enclave.attest(identity))
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        gw.registerEnclave(
            enclave.signingPublicKey(),
            attestation,
            GatewayClient.MODE_SIMULATED,
            node.wallets().validator());
      }

      int port = freePort();
      Path config = dir.resolve("nsl.yml");
      Files.writeString(
          config,
          "mode: simulation\n"
              + "dataDir: "
              + data
              + "\n"
              + "chain:\n"
              + "  rpcUrl: "
              + node.rpcUrl()
              + "\n"
              + "  gatewayHash: \"0x"
              + d.gateway()
              + "\"\n"
              + "  startBlock: "
              + d.gatewayDeployBlock()
              + "\n"
              + "submitter:\n  validForBlocks: 20\n"
              + "api:\n  port: "
              + port
              + "\n");
      NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
      GatewayEvents events =
          new GatewayEvents(rpc, d.gateway().toString(), node.chain().blockCount() - 1);

      int sent = 0;
      try (ServiceProcess service = new ServiceProcess(config, dir.resolve("service.log"), port)) {
        service.start();
        service.awaitUp(Duration.ofSeconds(90));
        for (int round = 0; round < 3; round++) {
          // A stream of requests, and a SIGKILL somewhere in the middle of it.
          int killAfter = 1 + random.nextInt(3);
          for (int batch = 0; batch < 4; batch++) {
            sent += sendBatch(node, d, developer, sent, 10);
            if (batch == killAfter) {
              Thread.sleep(random.nextInt(1500));
              service.kill9();
              service.start();
            }
          }
          service.awaitUp(Duration.ofSeconds(90));
        }

        // The node goes away for 20 s with requests in flight; the service waits and catches up.
        sent += sendBatch(node, d, developer, sent, 10);
        node.stop();
        Thread.sleep(20_000);
        node.restart();
        sent += sendBatch(node, d, developer, sent, 10);

        assertTrue(
            events.awaitAllFulfilled(sent, Duration.ofSeconds(240)),
            () ->
                "seed "
                    + seed
                    + ": fulfilled "
                    + events.fulfilled.size()
                    + " of "
                    + events.requested.size()
                    + "; see "
                    + dir.resolve("service.log"));
      }
      assertEquals(sent, events.requested.size());
      for (var r : events.requested.values()) {
        assertEquals(
            1,
            events.fulfilled.get(r.id()).size(),
            "seed " + seed + ": request " + r.id() + " fulfilled more than once");
        assertEquals(0, events.fulfilled.get(r.id()).get(0).status(), "request " + r.id());
      }
      assertEquals(
          List.of(),
          events.rejected,
          "seed " + seed + ": fulfilments refused on chain (GAS wasted)");
    }
  }

  private static int sendBatch(
      LocalNeoNode node, DevnetDeployment d, Account developer, int first, int n) {
    List<Ask> asks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      asks.add(new Ask(d.consumer(), "echo", "{\"n\":" + (first + i) + "}", 1_000_000));
    }
    DevnetDeployment.requestMany(node.chain(), developer, asks, true);
    return n;
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
