package io.nsl.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.ChainException;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A devnet that stays up after the command that started it ({@code ./nsl devnet up|status|down}): a
 * neo-go node and the service (simulation mode) as processes of their own, with the gateway and the
 * example consumer deployed, the service's key registered and the example functions registered.
 * Everything lives in one {@link DevnetHome}. LOCAL DEVELOPMENT ONLY.
 *
 * <p>{@link #up} is idempotent: on a running devnet it starts nothing and returns what the first
 * {@code up} recorded; after {@link #down} (without purge) it starts the same chain and service
 * again; after a killed {@code up} (no {@code devnet.json}) it stops what that one started, clears
 * the folder and starts afresh. Commands that change the folder hold its lock.
 */
public final class Devnet {
  /** Service instances a devnet runs; more need a shared store (issue 19). */
  public static final int MAX_WORKERS = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Registers the example functions (and the secrets they read) on a running devnet whose service
   * key is registered; the CLI gives it, since it owns the client commands. Returns file name →
   * function id.
   */
  public interface Provisioner {
    Map<String, String> provision(DevnetInfo devnet);
  }

  /** What {@link #up} found or made; {@code started} names the processes it started. */
  public record Up(DevnetInfo info, List<String> started) {
    public Up {
      started = List.copyOf(started);
    }
  }

  /**
   * A devnet's processes as seen now.
   *
   * @param blockCount the node's block count, or -1 when its RPC does not answer
   * @param ready whether the service's /ready answers 200
   */
  public record Status(
      DevnetInfo info,
      boolean nodeRunning,
      boolean serviceRunning,
      long blockCount,
      boolean ready) {
    public boolean running() {
      return nodeRunning && serviceRunning && blockCount >= 0;
    }
  }

  private final Path root;
  private final DevnetHome home;
  private final Consumer<String> progress;

  /**
   * @param root the project folder (neo-go, config/devnet, contracts/build, plugin/target)
   * @param progress told each step, one line each
   */
  public Devnet(Path root, DevnetHome home, Consumer<String> progress) {
    this.root = root;
    this.home = home;
    this.progress = progress;
  }

  /**
   * Brings the devnet up (see the class comment for the cases).
   *
   * @throws DevnetBusyException when another devnet command works on the folder
   * @throws DevnetException when a part does not start; what this call started is stopped again
   */
  public Up up(Provisioner provisioner) {
    try (DevnetHome.Lock lock = home.lock()) {
      var recorded = home.info();
      if (recorded.isEmpty()) {
        List<Long> leftovers = home.stopAll();
        if (!leftovers.isEmpty()) {
          step("stopped processes " + leftovers + " left by an 'up' that did not finish");
        }
        return fresh(provisioner);
      }
      return resume(recorded.get());
    }
  }

  private Up fresh(Provisioner provisioner) {
    home.clear();
    step("starting neo-go (single validator, 500 ms blocks) in " + home.nodeDir());
    LocalNeoNode node =
        LocalNeoNode.startDetached(root, home.nodeDir(), LocalNeoNode.DEFAULT_BLOCK_TIME);
    try {
      step("funding the devnet accounts, deploying the gateway and the example consumer");
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      String apiUrl = "http://127.0.0.1:" + LocalNeoNode.freePort();
      writeServiceConfig(node.rpcUrl(), d, apiUrl);
      startService(apiUrl);
      registerEnclave(node.chain(), d.gateway(), apiUrl);
      DevnetWallets w = node.wallets();
      DevnetInfo info =
          new DevnetInfo(
              node.rpcUrl(),
              node.chain().networkMagic(),
              "0x" + d.gateway(),
              "0x" + d.consumer(),
              apiUrl,
              w.validator().getECKeyPair().getPublicKey().getEncodedCompressedHex(),
              Map.of(),
              wallets(),
              DevnetWallets.PASSWORD,
              home.dir().toString());
      step("registering the example functions of examples/functions");
      info = info.withFunctions(provisioner.provision(info));
      home.writeInfo(info);
      return new Up(info, List.of("node", "service"));
    } catch (RuntimeException e) {
      home.stopAll();
      throw e;
    }
  }

  private Up resume(DevnetInfo info) {
    List<String> started = new ArrayList<>();
    try {
      if (home.node().isEmpty()) {
        step("starting the devnet's neo-go again (same chain, same ports)");
        LocalNeoNode.startDetached(root, home.nodeDir(), LocalNeoNode.DEFAULT_BLOCK_TIME);
        started.add("node");
      }
      NeoChain chain = new NeoChain(info.rpcUrl(), Duration.ofMillis(100));
      Hash160 gateway = new Hash160(info.gateway().substring(2));
      requireGateway(info);
      if (home.service().isEmpty()) {
        startService(info.apiUrl());
        started.add("service");
        registerEnclave(chain, gateway, info.apiUrl());
      }
      return new Up(info, started);
    } catch (RuntimeException e) {
      if (!started.isEmpty()) {
        home.stopAll();
      }
      throw e;
    }
  }

  /** The devnet's processes now. */
  public Status status() {
    DevnetInfo info = home.info().orElseThrow(() -> new DevnetNotRunningException(home.dir()));
    long blocks;
    try {
      blocks = new NeoRpcClient(info.rpcUrl()).blockCount();
    } catch (ChainException e) {
      blocks = -1;
    }
    return new Status(
        info,
        home.node().isPresent(),
        home.service().isPresent(),
        blocks,
        httpStatus(info.apiUrl() + "/ready") == 200);
  }

  /**
   * Stops the devnet's processes (the service, then the node) and, with {@code purge}, deletes its
   * folder. Returns the pids stopped; on a folder without a devnet, none.
   */
  public List<Long> down(boolean purge) {
    if (!Files.isDirectory(home.dir())) {
      return List.of();
    }
    List<Long> stopped;
    try (DevnetHome.Lock lock = home.lock()) {
      stopped = home.stopAll();
    }
    if (purge) {
      home.delete();
    }
    return stopped;
  }

  private void requireGateway(DevnetInfo info) {
    try {
      new NeoRpcClient(info.rpcUrl()).call("getcontractstate", info.gateway());
    } catch (ChainException.RpcError e) {
      throw new DevnetException(
          "the chain in "
              + home.nodeDir()
              + " has no gateway "
              + info.gateway()
              + " ("
              + e.getMessage()
              + "); run './nsl devnet down --purge' and './nsl devnet up' for a new devnet");
    }
  }

  private void writeServiceConfig(String rpcUrl, DevnetDeployment d, String apiUrl) {
    Path operatorWallet = root.resolve("config/devnet").resolve(DevnetWallets.OPERATOR);
    String yaml =
        String.join(
            "\n",
            "# Written by './nsl devnet up': the devnet's service. LOCAL DEVELOPMENT ONLY.",
            "mode: simulation",
            "dataDir: \"" + home.serviceDir().resolve("data") + "\"",
            "chain:",
            "  rpcUrl: \"" + rpcUrl + "\"",
            "  gatewayHash: \"0x" + d.gateway() + "\"",
            "  startBlock: " + d.gatewayDeployBlock(),
            "  operatorWallet: \"" + operatorWallet.toAbsolutePath() + "\"",
            "api:",
            "  bind: \"127.0.0.1\"",
            "  port: " + URI.create(apiUrl).getPort(),
            "");
    try {
      Files.createDirectories(home.serviceDir());
      Files.writeString(home.serviceConfig(), yaml);
    } catch (IOException e) {
      throw new DevnetException("cannot write " + home.serviceConfig() + ": " + e.getMessage());
    }
  }

  private void startService(String apiUrl) {
    step("starting the NSL service in SIMULATION mode (log " + home.serviceLog() + ")");
    ProcessHandle service = home.startService(root);
    DevnetHome.awaitHealthy(
        apiUrl + "/health", service, Duration.ofSeconds(120), home.serviceLog());
  }

  /** Registers the service's attested signing key at the gateway, unless it is already active. */
  private void registerEnclave(NeoChain chain, Hash160 gateway, String apiUrl) {
    JsonNode attestation;
    try {
      attestation = JSON.readTree(httpGet(apiUrl + "/v1/enclave"));
    } catch (IOException e) {
      throw new DevnetException("the service's /v1/enclave is not JSON: " + e.getMessage());
    }
    byte[] key = HexFormat.of().parseHex(attestation.path("signingPublicKey").asText());
    GatewayClient gw = new GatewayClient(chain, new NeoRpcClient(chain.rpcUrl()), gateway);
    if (gw.activeEnclaves().stream().anyMatch(k -> Arrays.equals(k, key))) {
      return;
    }
    step("registering the service's enclave key at the gateway (the owner's transaction)");
    Account owner = new DevnetWallets(root.resolve("config/devnet")).validator();
    gw.registerEnclave(
        key,
        attestation.toString().getBytes(StandardCharsets.UTF_8),
        GatewayClient.MODE_SIMULATED,
        owner);
  }

  private Map<String, DevnetInfo.Wallet> wallets() {
    Path dir = root.resolve("config/devnet").toAbsolutePath().normalize();
    DevnetWallets w = new DevnetWallets(dir);
    Map<String, DevnetInfo.Wallet> out = new LinkedHashMap<>();
    for (String file :
        List.of(DevnetWallets.CONSENSUS, DevnetWallets.DEVELOPER, DevnetWallets.OPERATOR)) {
      Account a = w.load(file);
      out.put(
          file.replace(".wallet.json", ""),
          new DevnetInfo.Wallet(
              dir.resolve(file).toString(), a.getAddress(), a.getECKeyPair().exportAsWIF()));
    }
    return out;
  }

  private static String httpGet(String url) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new DevnetException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new DevnetException("GET " + url + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException("interrupted during GET " + url);
    }
  }

  private static int httpStatus(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void step(String what) {
    progress.accept(what);
  }
}
