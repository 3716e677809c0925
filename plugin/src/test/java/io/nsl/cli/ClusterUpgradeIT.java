package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.ContractParameter;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.SignedPolicy;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.devnet.LocalStack;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.SimulatedMeasurement;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.OwnerSigner;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretsKey;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The upgrade runbook of docs/cluster.md end to end on the real neo-go chain, in simulation: build
 * X (instance A) holds two developers' secrets and two functions' state and serves the join
 * endpoint; it is killed with SIGKILL and restarted; build Y joins through it ({@code ./nsl cluster
 * join}); A stops; Y serves a request whose function reads a secret and its state.
 */
class ClusterUpgradeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String X = "a1".repeat(32);

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  private static final String READER =
      "function main(input) {"
          + "  if (getSecret('apiKey') !== 'dev-key') throw new Error('wrong secret');"
          + "  const c = storage.get('count');"
          + "  if (c !== '41') throw new Error('wrong state ' + c);"
          + "  storage.put('count', '42');"
          + "  return { ok: true };"
          + "}";

  record Signer(byte[] privateKey) implements OwnerSigner {
    static Signer of(Account a) {
      return new Signer(
          BigIntegers.asUnsignedByteArray(32, a.getECKeyPair().getPrivateKey().getInt()));
    }

    @Override
    public byte[] publicKey() {
      return OwnerKey.ofPrivate(privateKey).publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
      return OwnerKey.sign(privateKey, message);
    }
  }

  @Test
  void buildYJoinsThroughBuildXAndServesItsSecretsAndStateAfterXStops() throws Exception {
    Path root = ProjectRoot.find();
    // The build that runs `cluster join` in this JVM measures to the hash of this code.
    String y = SimulatedMeasurement.ofCode();
    try (LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      long magic = node.chain().networkMagic();
      GatewayClient gw =
          new GatewayClient(node.chain(), new NeoRpcClient(node.rpcUrl()), d.gateway());
      GatewayIdentity identity = new GatewayIdentity(magic, gw.scriptHashLE());
      Account developer = node.wallets().developer();
      Account owner = node.wallets().validator();
      Path data = dir.resolve("service");
      byte[] secretsKeyOfA;

      // Instance A (build X) as it ran before clusters: function, secrets of two developers,
      // state of two functions; then `cluster init` makes its keys epoch 0.
      try (SimulatedEnclave a =
              SimulatedEnclave.open(
                  data.resolve("enclave"), Clock.systemUTC(), new SecureRandom(), X);
          PersistentStorageService s =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), a::deriveStorageKey)) {
        new StoredFunctionCatalog(s)
            .put("reader", READER, Optional.empty(), "0x" + developer.getScriptHash());
        gw.registerFunction(
            "reader", LocalStack.sha256(READER.getBytes(StandardCharsets.UTF_8)), developer);
        gw.registerEnclave(
            a.signingPublicKey(),
            AttestationJson.toJson(a.attest(identity)).toString().getBytes(StandardCharsets.UTF_8),
            GatewayClient.MODE_SIMULATED,
            owner);
        UserSecretManager secrets = new UserSecretManager(s, keyOf(a), SecretLimits.defaults());
        SecureRandom r = new SecureRandom();
        secrets.store(
            SecretEnvelopeBuilder.put(
                a.secretsPublicKey(), "apiKey", bytes("dev-key"), 1, Signer.of(developer), r));
        secrets.store(
            SecretEnvelopeBuilder.put(
                a.secretsPublicKey(),
                "apiKey",
                bytes("other-key"),
                1,
                Signer.of(Account.create()),
                r));
        s.write(Namespace.functionState("reader"), "count", bytes("41"));
        s.write(Namespace.functionState("other"), "count", bytes("7"));
        secretsKeyOfA = a.secretsPublicKey();
        a.initCluster();
      }

      // The owner allows X and Y on chain (allowMeasurement), then signs what the chain says
      // (simulation allowed on this devnet gateway).
      byte[] ownerPrivate = Signer.of(owner).privateKey();
      String ownerKey = OwnerKey.ofPrivate(ownerPrivate).hex();
      for (String m : List.of(X, y)) {
        gw.invoke(
            owner,
            "allow measurement",
            "allowMeasurement",
            ContractParameter.integer(1),
            ContractParameter.byteArray(HexFormat.of().parseHex(m)),
            ContractParameter.integer(0),
            ContractParameter.integer(0));
      }
      Run signed =
          run(
              "cluster",
              "policy",
              "sign",
              "--json",
              "--wallet",
              node.wallets().consensusWalletPath().toString(),
              "--network-magic",
              Long.toString(magic),
              "--gateway",
              "0x" + d.gateway(),
              "--sequence",
              "1",
              "--allow-simulated",
              "--from-chain",
              "--rpc",
              node.rpcUrl(),
              "--out",
              data.resolve("cluster-policy.json").toString());
      assertEquals(0, signed.exit(), signed.err() + signed.out());
      assertEquals(
          Set.of(X, y),
          SignedPolicy.parse(Files.readAllBytes(data.resolve("cluster-policy.json")))
              .verify(OwnerKey.ofHex(ownerKey), identity)
              .mrEnclaves());

      int port = freePort();
      int joinPort = freePort();
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

      JsonNode joined;
      try (ServiceProcess a =
          new ServiceProcess(
              config,
              dir.resolve("a.log"),
              port,
              List.of("--cluster-port", Integer.toString(joinPort)),
              Map.of("NSL_CLUSTER_OWNER_KEY", ownerKey, SimulatedMeasurement.ENV, X))) {
        a.start();
        a.awaitUp(Duration.ofSeconds(300));
        // The provider dies hard and comes back: its cluster keys are sealed, nothing is lost.
        a.kill9();
        a.start();
        a.awaitUp(Duration.ofSeconds(300));

        String[] join = {
          "cluster",
          "join",
          "http://127.0.0.1:" + joinPort,
          "--config",
          config.toString(),
          "--enclave-dir",
          data.resolve("enclave.next").toString(),
          "--owner-key",
          ownerKey,
          "--network-magic",
          Long.toString(magic),
          "--json"
        };
        Run r = run(join);
        assertEquals(0, r.exit(), r.err() + r.out() + " (see " + dir.resolve("a.log") + ")");
        joined = JSON.readTree(r.out());
        assertEquals(y, joined.get("measurement").asText());
        assertEquals(
            HexFormat.of().formatHex(secretsKeyOfA),
            joined.get("epochs").get(0).get("secretsPublicKey").asText());
        // A retried join (the operator runs the step again) changes nothing.
        assertEquals(joined.get("epochs"), JSON.readTree(run(join).out()).get("epochs"));
      }

      // A is stopped. The operator registers Y's signing key and swaps the enclave folders.
      try (SimulatedEnclave b =
          SimulatedEnclave.open(
              data.resolve("enclave.next"), Clock.systemUTC(), new SecureRandom(), y)) {
        assertEquals(
            joined.get("signingPublicKey").asText(),
            HexFormat.of().formatHex(b.signingPublicKey()));
        gw.registerEnclave(
            b.signingPublicKey(),
            AttestationJson.toJson(b.attest(identity)).toString().getBytes(StandardCharsets.UTF_8),
            GatewayClient.MODE_SIMULATED,
            owner);
      }
      Files.move(data.resolve("enclave"), data.resolve("enclave.old"));
      Files.move(data.resolve("enclave.next"), data.resolve("enclave"));

      NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
      GatewayEvents events =
          new GatewayEvents(rpc, d.gateway().toString(), node.chain().blockCount() - 1);
      try (ServiceProcess b =
          new ServiceProcess(
              config, dir.resolve("b.log"), port, List.of(), Map.of(SimulatedMeasurement.ENV, y))) {
        b.start();
        b.awaitUp(Duration.ofSeconds(300));
        DevnetDeployment.requestMany(
            node.chain(),
            developer,
            List.of(new Ask(d.consumer(), "reader", "{}", 1_000_000)),
            true);
        assertTrue(
            events.awaitAllFulfilled(1, Duration.ofSeconds(120)),
            "not fulfilled; see " + dir.resolve("b.log"));
      }
      var f = events.fulfilled.values().iterator().next();
      assertEquals(1, f.size());
      assertEquals(0, f.get(0).status(), "the function read the right secret and state under Y");

      // What B wrote is readable with B's (cluster) keys: state moved on, the other function's
      // kept.
      try (SimulatedEnclave b =
              SimulatedEnclave.open(
                  data.resolve("enclave"), Clock.systemUTC(), new SecureRandom(), y);
          PersistentStorageService s =
              PersistentStorageService.initialise(
                  StorageOptions.defaults(data.resolve("store")), b::deriveStorageKey)) {
        assertArrayEquals(
            bytes("42"), s.read(Namespace.functionState("reader"), "count").orElseThrow());
        assertArrayEquals(
            bytes("7"), s.read(Namespace.functionState("other"), "count").orElseThrow());
      }
    }
  }

  private static SecretsKey keyOf(SimulatedEnclave e) {
    return new SecretsKey() {
      @Override
      public byte[] publicKey() {
        return e.secretsPublicKey();
      }

      @Override
      public byte[] agree(byte[] peer) {
        return e.secretsKeyAgreement(peer);
      }
    };
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
