package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.cluster.OwnerKey;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.devnet.LocalStack;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.UserSecretManager;
import io.nsl.service.ClusterWiring;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageOptions;
import io.nsl.testing.GatewayEvents;
import io.nsl.testing.ServiceProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Rotation under load on the real neo-go chain, in simulation: a serving instance holds a
 * developer's secret, its function's state and some 20,000 other records; {@code ./nsl cluster
 * rotate} makes epoch 1 while requests keep arriving, each answered by a function that reads the
 * secret and its state (it fails the request when either is wrong) and writes a state key of its
 * own, which must read back afterwards; {@code --retire 0} is refused while the move runs and
 * accepted after; afterwards the store holds epoch 1 only.
 */
class ClusterRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String X = "a1".repeat(32);

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  private static final String READER =
      "function main(input) {"
          + "  if (getSecret('apiKey') !== 'dev-key') throw new Error('wrong secret');"
          + "  if (storage.get('fixed') !== 'fixed-value') throw new Error('wrong state');"
          + "  storage.put('seen-' + input.i, 'yes');"
          + "  return { i: input.i };"
          + "}";

  @Test
  void requestsReadingASecretAndStateAreAnsweredWhileTheMoveRuns() throws Exception {
    Path root = ProjectRoot.find();
    try (LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      long magic = node.chain().networkMagic();
      GatewayClient gw =
          new GatewayClient(node.chain(), new NeoRpcClient(node.rpcUrl()), d.gateway());
      GatewayIdentity identity = new GatewayIdentity(magic, gw.scriptHashLE());
      Account developer = node.wallets().developer();
      Account owner = node.wallets().validator();
      Path data = dir.resolve("service");
      int filler = 20_000;

      try (SimulatedEnclave a =
              SimulatedEnclave.open(
                  data.resolve("enclave"), Clock.systemUTC(), new SecureRandom(), X);
          PersistentStorageService s =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), ClusterWiring.storageKeys(a))) {
        a.initCluster();
        new StoredFunctionCatalog(s)
            .put("reader", READER, Optional.empty(), "0x" + developer.getScriptHash());
        gw.registerFunction(
            "reader", LocalStack.sha256(READER.getBytes(StandardCharsets.UTF_8)), developer);
        gw.registerEnclave(
            a.signingPublicKey(),
            AttestationJson.toJson(a.attest(identity)).toString().getBytes(StandardCharsets.UTF_8),
            GatewayClient.MODE_SIMULATED,
            owner);
        new UserSecretManager(s, ClusterWiring.secretsKey(a), SecretLimits.defaults())
            .store(
                SecretEnvelopeBuilder.put(
                    a.secretsPublicKey(),
                    "apiKey",
                    bytes("dev-key"),
                    1,
                    ClusterUpgradeIT.Signer.of(developer),
                    new SecureRandom()));
        s.write(Namespace.functionState("reader"), "fixed", bytes("fixed-value"));
        for (int b = 0; b < filler; b += 1_000) {
          StorageBatch.Builder batch = StorageBatch.builder();
          for (int i = b; i < b + 1_000; i++) {
            batch.put(
                Namespace.functionState("filler-" + (i % 4)), bytes("k" + i), bytes("value-" + i));
          }
          s.commit(batch.build());
        }
      }

      int port = freePort();
      int clusterPort = freePort();
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
              + "\napi:\n  port: "
              + port
              + "\n");
      NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
      GatewayEvents events =
          new GatewayEvents(rpc, d.gateway().toString(), node.chain().blockCount() - 1);
      int sent = 0;
      int sentDuringMove = 0;
      List<String> stages = new ArrayList<>();
      try (ServiceProcess a =
          new ServiceProcess(
              config,
              dir.resolve("a.log"),
              port,
              List.of("--cluster-port", Integer.toString(clusterPort), "--rotation-batch", "8"),
              Map.of(
                  "NSL_CLUSTER_OWNER_KEY",
                  OwnerKey.ofPrivate(ClusterUpgradeIT.Signer.of(owner).privateKey()).hex(),
                  io.nsl.enclave.SimulatedMeasurement.ENV,
                  X))) {
        a.start();
        a.awaitUp(Duration.ofSeconds(300));
        DevnetDeployment.requestMany(node.chain(), developer, List.of(ask(d, sent)), true);
        sent++;
        assertTrue(events.awaitAllFulfilled(sent, Duration.ofSeconds(120)), log(dir));

        Run rotated = run("cluster", "rotate", "--config", config.toString(), "--json");
        assertEquals(0, rotated.exit(), rotated.err() + rotated.out() + log(dir));
        JsonNode r = JSON.readTree(rotated.out());
        assertEquals(1, r.get("currentEpoch").asInt(), rotated.out());
        assertTrue(
            r.get("next").asText().contains("./nsl cluster publish --epoch 1 --secrets-key "),
            r.get("next").asText());

        // Requests keep coming while the move runs.
        ClusterAdminClient admin = ClusterAdminClient.of(data).orElseThrow();
        boolean triedRetire = false;
        while (true) {
          JsonNode st = admin.call("GET", "/cluster/v1/rotation", null);
          String stage = st.get("stage").asText();
          stages.add(stage + " " + st.get("moved").asLong() + "/" + st.get("toMove").asLong());
          if (!stage.equals("MOVING")) {
            assertEquals("DONE", stage, st.toString());
            break;
          }
          if (!triedRetire) {
            Run early =
                run("cluster", "rotate", "--retire", "0", "--config", config.toString(), "--json");
            assertEquals(1, early.exit(), early.out());
            assertEquals(
                "ROTATION_RETIRE_REFUSED",
                JSON.readTree(early.out()).get("error").get("code").asText(),
                early.out());
            triedRetire = true;
          }
          DevnetDeployment.requestMany(node.chain(), developer, List.of(ask(d, sent)), false);
          sent++;
          sentDuringMove++;
          Thread.sleep(300);
        }
        assertTrue(triedRetire, "the move ended before the test could ask; stages " + stages);
        assertTrue(sentDuringMove >= 2, "only " + sentDuringMove + " requests during the move");
        assertTrue(events.awaitAllFulfilled(sent, Duration.ofSeconds(180)), log(dir));
        for (var f : events.fulfilled.values()) {
          assertEquals(1, f.size());
          assertEquals(0, f.get(0).status(), "a request read a wrong secret or state; " + log(dir));
        }

        Run retired =
            run("cluster", "rotate", "--retire", "0", "--config", config.toString(), "--json");
        assertEquals(0, retired.exit(), retired.out());
        assertEquals("[1]", JSON.readTree(retired.out()).get("liveEpochs").toString());

        // One more request after the retirement.
        DevnetDeployment.requestMany(node.chain(), developer, List.of(ask(d, sent)), true);
        sent++;
        assertTrue(events.awaitAllFulfilled(sent, Duration.ofSeconds(120)), log(dir));
      }
      System.out.printf(
          "ClusterRotationIT: %d requests, %d sent while the move ran; stages %s%n",
          sent, sentDuringMove, stages);

      try (SimulatedEnclave a =
              SimulatedEnclave.open(
                  data.resolve("enclave"), Clock.systemUTC(), new SecureRandom(), X);
          PersistentStorageService s =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), ClusterWiring.storageKeys(a))) {
        assertEquals(List.of(1), List.copyOf(s.sealedRecordsByEpoch().keySet()));
        for (int i = 0; i < sent; i++) {
          assertArrayEquals(
              bytes("yes"),
              s.read(Namespace.functionState("reader"), "seen-" + i).orElseThrow(),
              "the state request " + i + " wrote (during or after the move) reads back");
        }
        assertArrayEquals(
            bytes("dev-key"),
            new UserSecretManager(s, ClusterWiring.secretsKey(a), SecretLimits.defaults())
                .get(
                    SecretOwner.fromPublicKey(ClusterUpgradeIT.Signer.of(developer).publicKey()),
                    "apiKey"));
      }
    }
  }

  /** Request {@code i}: its function writes state key {@code seen-i}. */
  private static Ask ask(DevnetDeployment d, int i) {
    return new Ask(d.consumer(), "reader", "{\"i\":" + i + "}", 1_000_000);
  }

  private static String log(Path dir) {
    return " (see " + dir.resolve("a.log") + ")";
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
