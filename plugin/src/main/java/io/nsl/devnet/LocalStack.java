package io.nsl.devnet;

import io.neow3j.crypto.Sign;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import io.nsl.enclave.AttestationJson;
import io.nsl.secrets.OwnerSigner;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.service.NslService;
import io.nsl.service.ServiceConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything NSL needs on one machine, for the demo and the end-to-end tests: a local neo-go chain,
 * the gateway and example consumer, and the service (simulation mode) with its enclave key
 * registered at the gateway. LOCAL DEVELOPMENT ONLY. {@link #close()} stops it all.
 */
public final class LocalStack implements AutoCloseable {
  private final LocalNeoNode node;
  private final DevnetDeployment deployment;
  private final ServiceConfig config;
  private final Path root;
  private final NeoRpcClient rpc;
  private NslService service;
  private long secretSequence = System.currentTimeMillis();

  private LocalStack(
      LocalNeoNode node, DevnetDeployment deployment, ServiceConfig config, Path root) {
    this.node = node;
    this.deployment = deployment;
    this.config = config;
    this.root = root;
    this.rpc = new NeoRpcClient(node.rpcUrl());
  }

  /** Starts the chain, deploys the contracts and starts the service on {@code dataDir}. */
  public static LocalStack start(Path root, Path dataDir, PrintStream progress) {
    return start(root, dataDir, progress, true);
  }

  /**
   * As {@link #start(Path, Path, PrintStream)}; {@code websocket} false makes the service poll the
   * node instead of following it live (to compare the two).
   */
  public static LocalStack start(Path root, Path dataDir, PrintStream progress, boolean websocket) {
    return start(root, dataDir, progress, websocket, UnaryOperator.identity());
  }

  /**
   * As above, with the service's configuration adjusted before it starts (e.g. its fetch rules).
   */
  public static LocalStack start(
      Path root,
      Path dataDir,
      PrintStream progress,
      boolean websocket,
      UnaryOperator<ServiceConfig> adjust) {
    step(progress, "starting a local neo-go node (single validator, 500 ms blocks)");
    LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME);
    try {
      progress.println("    node RPC at " + node.rpcUrl());
      step(progress, "funding devnet accounts, deploying the gateway and the example consumer");
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      progress.println("    gateway  0x" + d.gateway());
      progress.println(
          "    consumer 0x"
              + d.consumer()
              + " (prepaid "
              + DevnetDeployment.CONSUMER_DEPOSIT / 100_000_000
              + " GAS at the gateway)");
      ServiceConfig cfg = adjust.apply(configFor(node, d, dataDir, websocket));
      LocalStack stack = new LocalStack(node, d, cfg, root);
      stack.startService(progress);
      return stack;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** A service configuration for this chain and deployment, data in {@code dataDir}. */
  public static ServiceConfig configFor(LocalNeoNode node, DevnetDeployment d, Path dataDir) {
    return configFor(node, d, dataDir, true);
  }

  public static ServiceConfig configFor(
      LocalNeoNode node, DevnetDeployment d, Path dataDir, boolean websocket) {
    return new ServiceConfig(
        "simulation",
        dataDir.toAbsolutePath().toString(),
        new ServiceConfig.Chain(
            node.rpcUrl(),
            "0x" + d.gateway(),
            d.gatewayDeployBlock(),
            websocket,
            1000L,
            "config/devnet/operator.wallet.json",
            "NSL_OPERATOR_PASSWORD"),
        null,
        null,
        new ServiceConfig.Api("127.0.0.1", 0),
        null);
  }

  /** Starts the service (again) and makes sure its enclave key is registered at the gateway. */
  public void startService(PrintStream progress) {
    step(progress, "starting the NSL service in SIMULATION mode");
    service = NslService.start(config, root, Clock.systemUTC(), DevnetWallets.knownPasswords(root));
    progress.println(
        "    enclave " + service.enclave().instanceId() + ", API on port " + service.apiPort());
    GatewayClient gw = service.gateway();
    byte[] key = service.enclave().signingPublicKey();
    boolean registered =
        rpc
            .call("invokefunction", "0x" + deployment.gateway(), "getActiveEnclaves")
            .path("stack")
            .path(0)
            .path("value")
            .findValuesAsText("value")
            .stream()
            .anyMatch(v -> java.util.Arrays.equals(java.util.Base64.getDecoder().decode(v), key));
    if (!registered) {
      step(progress, "registering the enclave's signing key at the gateway (owner's transaction)");
      byte[] attestation =
          AttestationJson.toJson(service.enclave().attest(service.gatewayIdentity()))
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      gw.registerEnclave(
          key, attestation, GatewayClient.MODE_SIMULATED, node.wallets().validator());
    }
  }

  /** Stops the service only (the chain keeps running). */
  public void stopService() {
    if (service != null) {
      service.close();
      service = null;
    }
  }

  /**
   * Registers {@code code} as {@code functionId}: on chain by the developer, and in the service.
   */
  public void registerFunction(String functionId, String code) {
    Account developer = node.wallets().developer();
    byte[] hash = sha256(code.getBytes(StandardCharsets.UTF_8));
    service.gateway().registerFunction(functionId, hash, developer);
    service.functions().put(functionId, code, Optional.empty(), "0x" + developer.getScriptHash());
  }

  /** Stores a secret of the developer's, encrypted on this side to the enclave's secrets key. */
  public void setSecret(String name, String value) {
    Account developer = node.wallets().developer();
    OwnerSigner signer =
        new OwnerSigner() {
          @Override
          public byte[] publicKey() {
            return developer.getECKeyPair().getPublicKey().getEncoded(true);
          }

          @Override
          public byte[] sign(byte[] message) {
            return Sign.signMessage(message, developer.getECKeyPair()).getConcatenated();
          }
        };
    byte[] plain = value.getBytes(StandardCharsets.UTF_8);
    byte[] envelope =
        SecretEnvelopeBuilder.put(
            service.enclave().secretsPublicKey(),
            name,
            plain,
            ++secretSequence,
            signer,
            new SecureRandom());
    java.util.Arrays.fill(plain, (byte) 0);
    service.secrets().store(envelope);
  }

  /** The consumer asks for {@code functionId}; returns the request id and its transaction. */
  public RequestSent request(String functionId, String inputJson, long jsGasLimit) {
    long before = node.chain().blockCount();
    long id =
        DevnetDeployment.request(
            node.chain(),
            deployment.consumer(),
            node.wallets().developer(),
            functionId,
            inputJson,
            jsGasLimit);
    // Find the Request event to learn its block and transaction.
    for (long b = before - 1; b < node.chain().blockCount(); b++) {
      for (var n : rpc.blockNotifications(b, deployment.gateway().toString(), "Request")) {
        if (n.state().get(0).asInt().longValue() == id) {
          return new RequestSent(id, b, n.containerHash());
        }
      }
    }
    throw new IllegalStateException(
        "request " + id + " was accepted but its Request event was not found");
  }

  public record RequestSent(long requestId, long blockIndex, String txHash) {}

  /** The gateway's Fulfilled event and the consumer's stored answer for a request. */
  public record Answer(
      long requestId,
      int status,
      String result,
      long gasUsed,
      long blockIndex,
      String txHash,
      long blockTimeMillis) {}

  /** Waits until the request is fulfilled on chain and the consumer holds the answer. */
  public Answer awaitAnswer(RequestSent sent, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long next = sent.blockIndex();
    while (System.nanoTime() < deadline) {
      long height = node.chain().blockCount() - 1;
      for (; next <= height; next++) {
        for (var n : rpc.blockNotifications(next, deployment.gateway().toString(), "Fulfilled")) {
          for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
            if (f.requestId() != sent.requestId()) {
              continue;
            }
            var answer =
                rpc.call(
                    "invokefunction",
                    "0x" + deployment.consumer(),
                    "getAnswer",
                    java.util.List.of(
                        Map.of("type", "Integer", "value", Long.toString(sent.requestId()))));
            StackValue v = NeoRpcClient.parseStack(answer.path("stack").path(0));
            String result = new String(v.asList().get(1).asBytes(), StandardCharsets.UTF_8);
            long time = rpc.call("getblockheader", next, 1).path("time").asLong();
            return new Answer(
                sent.requestId(), f.status(), result, f.gasUsed(), next, n.containerHash(), time);
          }
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for request " + sent.requestId());
      }
    }
    throw new IllegalStateException(
        "request "
            + sent.requestId()
            + " was not fulfilled within "
            + timeout.toSeconds()
            + " s; see the service log");
  }

  public long blockTimeMillis(long index) {
    return rpc.call("getblockheader", index, 1).path("time").asLong();
  }

  public LocalNeoNode node() {
    return node;
  }

  public DevnetDeployment deployment() {
    return deployment;
  }

  public NslService service() {
    return service;
  }

  public ServiceConfig config() {
    return config;
  }

  public Hash160 gateway() {
    return deployment.gateway();
  }

  @Override
  public void close() {
    try {
      stopService();
    } finally {
      node.close();
    }
  }

  private static void step(PrintStream out, String what) {
    out.println("==> " + what);
    out.flush();
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
