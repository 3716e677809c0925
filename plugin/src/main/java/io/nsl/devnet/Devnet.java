package io.nsl.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.ChainException;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.SimulatedMeasurement;
import io.nsl.service.ClusterOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A devnet that stays up after the command that started it ({@code ./nsl devnet up|status|down}): a
 * neo-go node and the service (simulation mode) as processes of their own, with the gateway and the
 * example consumer deployed, the service's key registered and the example functions registered.
 * With the PostgreSQL store it runs one local PostgreSQL server and 1..{@value #MAX_WORKERS}
 * workers sharing it and the cluster keys: worker w1 holds the keys first and serves the join
 * endpoint, the others join through it ({@code run --join}, docs/cluster.md), every worker's
 * signing key is registered. Everything lives in one {@link DevnetHome}. LOCAL DEVELOPMENT ONLY.
 *
 * <p>{@link #up} is idempotent: on a running devnet it starts nothing and returns what the first
 * {@code up} recorded; after {@link #down} (without purge) it starts the same chain, store and
 * workers again; after a killed {@code up} (no {@code devnet.json}) it stops what that one started,
 * clears the folder and starts afresh. Commands that change the folder hold its lock.
 */
public final class Devnet {
  /** Service instances a devnet runs at most (several need the PostgreSQL store). */
  public static final int MAX_WORKERS = 8;

  /** The database the workers share on the devnet's PostgreSQL server. */
  public static final String DATABASE = "nsl";

  /**
   * The measurement every devnet worker claims ({@code NSL_SIMULATED_MEASUREMENT}), the one the
   * devnet's measurement policy allows: one value whatever the build, so that a worker started
   * again after a rebuild still joins. SIMULATED: nothing proves it, as nothing proves any
   * simulated measurement.
   */
  public static final String WORKER_MEASUREMENT =
      sha256Hex("NSL devnet worker: SIMULATED, LOCAL DEVELOPMENT ONLY");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARGS_FILE = "run.args";

  /**
   * Registers the example functions (and the secrets they read) on a running devnet whose service
   * key is registered; the CLI gives it, since it owns the client commands. Returns file name →
   * function id.
   */
  public interface Provisioner {
    Map<String, String> provision(DevnetInfo devnet);
  }

  /**
   * Signs the gateway owner's measurement policy that lets the workers hand each other the cluster
   * keys (allowing {@code measurement} in SIMULATED mode on this gateway); the CLI gives it, since
   * it owns the cluster commands. Returns the policy file's bytes.
   */
  public interface PolicySigner {
    byte[] sign(long networkMagic, String gateway, String measurement, Account owner);
  }

  /**
   * What {@link #up} is asked to make.
   *
   * @param workers service processes, 1..{@value #MAX_WORKERS}; more than one needs PostgreSQL
   * @param store {@link DevnetInfo#ROCKSDB} or {@link DevnetInfo#POSTGRESQL}
   * @throws IllegalArgumentException naming the bad value and what to give instead
   */
  public record Shape(int workers, String store) {
    public static final Shape DEFAULT = new Shape(1, DevnetInfo.ROCKSDB);

    public Shape {
      if (!DevnetInfo.ROCKSDB.equals(store) && !DevnetInfo.POSTGRESQL.equals(store)) {
        throw new IllegalArgumentException(
            "--store must be rocksdb (the default) or postgresql, got '" + store + "'");
      }
      if (workers < 1 || workers > MAX_WORKERS) {
        throw new IllegalArgumentException(
            "--workers must be 1.." + MAX_WORKERS + ", got " + workers);
      }
      if (workers > 1 && store.equals(DevnetInfo.ROCKSDB)) {
        throw new IllegalArgumentException(
            "--workers "
                + workers
                + " needs --store postgresql: the embedded RocksDB store belongs to one process."
                + " Add --store postgresql (a local PostgreSQL server in the devnet's folder) or"
                + " give --workers 1");
      }
    }

    static Shape of(DevnetInfo info) {
      return new Shape(info.workers().size(), info.store());
    }

    boolean postgres() {
      return store.equals(DevnetInfo.POSTGRESQL);
    }
  }

  /** What {@link #up} found or made; {@code started} names the processes it started. */
  public record Up(DevnetInfo info, List<String> started) {
    public Up {
      started = List.copyOf(started);
    }
  }

  /**
   * One worker as seen now.
   *
   * @param pid its process, or -1 when it does not run
   * @param ready whether its /ready answers 200
   */
  public record WorkerStatus(String id, String apiUrl, long pid, boolean ready) {
    public boolean running() {
      return pid > 0;
    }
  }

  /**
   * A devnet's processes as seen now.
   *
   * @param blockCount the node's block count, or -1 when its RPC does not answer
   * @param postgresPid the PostgreSQL server's pid, or -1 when it does not run (or the devnet has
   *     none)
   */
  public record Status(
      DevnetInfo info,
      boolean nodeRunning,
      List<WorkerStatus> workers,
      long postgresPid,
      long blockCount) {
    public Status {
      workers = List.copyOf(workers);
    }

    /** Whether every worker runs. */
    public boolean serviceRunning() {
      return workers.stream().allMatch(WorkerStatus::running);
    }

    /** Whether every worker's /ready answers 200. */
    public boolean ready() {
      return workers.stream().allMatch(WorkerStatus::ready);
    }

    /** Whether the store runs: always for the embedded one. */
    public boolean storeRunning() {
      return !info.store().equals(DevnetInfo.POSTGRESQL) || postgresPid > 0;
    }

    public boolean running() {
      return nodeRunning && serviceRunning() && storeRunning() && blockCount >= 0;
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
   * @param asked the workers and store to make; empty: the default for a new devnet, whatever was
   *     recorded for an existing one
   * @throws DevnetBusyException when another devnet command works on the folder
   * @throws DevnetConflictException when the folder holds a devnet of another shape than asked
   * @throws DevnetException when a part does not start; what this call started is stopped again
   */
  public Up up(Optional<Shape> asked, Provisioner provisioner, PolicySigner signer) {
    try (DevnetHome.Lock lock = home.lock()) {
      var recorded = home.info();
      if (recorded.isEmpty()) {
        List<Long> leftovers = home.stopAll();
        if (!leftovers.isEmpty()) {
          step("stopped processes " + leftovers + " left by an 'up' that did not finish");
        }
        return fresh(asked.orElse(Shape.DEFAULT), provisioner, signer);
      }
      Shape has = Shape.of(recorded.get());
      if (asked.isPresent() && !asked.get().equals(has)) {
        throw new DevnetConflictException(home.dir(), has, asked.get());
      }
      return resume(recorded.get());
    }
  }

  private Up fresh(Shape shape, Provisioner provisioner, PolicySigner signer) {
    home.clear();
    step("starting neo-go (single validator, 500 ms blocks) in " + home.nodeDir());
    LocalNeoNode node =
        LocalNeoNode.startDetached(root, home.nodeDir(), LocalNeoNode.DEFAULT_BLOCK_TIME);
    try {
      step("funding the devnet accounts, deploying the gateway and the example consumer");
      DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
      String storeUrl = null;
      if (shape.postgres()) {
        step(
            "starting PostgreSQL (this machine's programs; initdb into "
                + home.postgresDir()
                + ")");
        storeUrl = LocalPostgres.startIn(home.postgresDir(), DATABASE).storeUrl();
      }
      List<DevnetInfo.Worker> workers = new ArrayList<>();
      for (int n = 1; n <= shape.workers(); n++) {
        workers.add(new DevnetInfo.Worker(n, "http://127.0.0.1:" + LocalNeoNode.freePort()));
      }
      DevnetWallets w = node.wallets();
      DevnetInfo info =
          new DevnetInfo(
              node.rpcUrl(),
              node.chain().networkMagic(),
              "0x" + d.gateway(),
              "0x" + d.consumer(),
              workers.getFirst().apiUrl(),
              w.validator().getECKeyPair().getPublicKey().getEncodedCompressedHex(),
              Map.of(),
              wallets(),
              DevnetWallets.PASSWORD,
              home.dir().toString(),
              shape.store(),
              storeUrl,
              workers);
      writeServiceConfigs(info, d);
      if (shape.postgres()) {
        prepareCluster(info, signer);
      }
      startWorkers(info, workers);
      for (DevnetInfo.Worker worker : workers) {
        registerEnclave(node.chain(), d.gateway(), worker);
      }
      step("registering the example functions of examples/functions");
      info = info.withFunctions(provisioner.provision(info));
      home.writeInfo(info);
      List<String> started = new ArrayList<>(List.of("node"));
      if (shape.postgres()) {
        started.add("postgresql");
      }
      started.addAll(names(workers));
      return new Up(info, started);
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
      if (Shape.of(info).postgres() && home.postgres().isEmpty()) {
        step("starting the devnet's PostgreSQL again (same data, same port)");
        LocalPostgres.startIn(home.postgresDir(), DATABASE);
        started.add("postgresql");
      }
      List<DevnetInfo.Worker> stopped =
          info.workers().stream().filter(wk -> home.service(wk.number()).isEmpty()).toList();
      if (!stopped.isEmpty()) {
        startWorkers(info, stopped);
        started.addAll(names(stopped));
        for (DevnetInfo.Worker worker : stopped) {
          registerEnclave(chain, gateway, worker);
        }
      }
      return new Up(info, started);
    } catch (RuntimeException e) {
      if (!started.isEmpty()) {
        home.stopAll();
      }
      throw e;
    }
  }

  /** "service" for a lone service (as before workers), else the worker ids. */
  private static List<String> names(List<DevnetInfo.Worker> workers) {
    return workers.size() == 1 && workers.getFirst().number() == 1
        ? List.of("service")
        : workers.stream().map(DevnetInfo.Worker::id).toList();
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
    List<WorkerStatus> workers = new ArrayList<>();
    for (DevnetInfo.Worker w : info.workers()) {
      long pid = home.service(w.number()).map(ProcessHandle::pid).orElse(-1L);
      workers.add(
          new WorkerStatus(
              w.id(), w.apiUrl(), pid, pid > 0 && httpStatus(w.apiUrl() + "/ready") == 200));
    }
    return new Status(info, home.node().isPresent(), workers, home.postgres().orElse(-1L), blocks);
  }

  /**
   * Stops the devnet's processes (the workers, the node, then PostgreSQL) and, with {@code purge},
   * deletes its folder. Returns the pids stopped; on a folder without a devnet, none.
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

  private void writeServiceConfigs(DevnetInfo info, DevnetDeployment d) {
    Path operatorWallet = root.resolve("config/devnet").resolve(DevnetWallets.OPERATOR);
    int clusterPort = LocalNeoNode.freePort();
    for (DevnetInfo.Worker w : info.workers()) {
      List<String> yaml =
          new ArrayList<>(
              List.of(
                  "# Written by './nsl devnet up': the devnet's service"
                      + (info.storeUrl() == null ? "" : ", worker " + w.id())
                      + ". LOCAL DEVELOPMENT ONLY.",
                  "mode: simulation",
                  "dataDir: \"" + dataDir(w.number()) + "\"",
                  "chain:",
                  "  rpcUrl: \"" + info.rpcUrl() + "\"",
                  "  gatewayHash: \"0x" + d.gateway() + "\"",
                  "  startBlock: " + d.gatewayDeployBlock(),
                  "  operatorWallet: \"" + operatorWallet.toAbsolutePath() + "\"",
                  "api:",
                  "  bind: \"127.0.0.1\"",
                  "  port: " + URI.create(w.apiUrl()).getPort()));
      List<String> args = List.of();
      if (info.storeUrl() != null) {
        yaml.addAll(
            List.of(
                "storage:",
                "  url: \"" + info.storeUrl() + "\"",
                "workers:",
                "  id: \"" + w.id() + "\""));
        // w1 holds the cluster keys first and serves the join endpoint; the others join through it
        // (a worker that holds the keys already skips the join).
        args =
            w.number() == 1
                ? List.of("--cluster-port", Integer.toString(clusterPort))
                : List.of("--join", "http://127.0.0.1:" + clusterPort);
      }
      yaml.add("");
      try {
        Files.createDirectories(home.serviceDir(w.number()));
        Files.writeString(home.serviceConfig(w.number()), String.join("\n", yaml));
        Files.write(home.serviceDir(w.number()).resolve(ARGS_FILE), args);
      } catch (IOException e) {
        throw new DevnetException(
            "cannot write " + home.serviceConfig(w.number()) + ": " + e.getMessage());
      }
    }
  }

  private Path dataDir(int worker) {
    return home.serviceDir(worker).resolve("data");
  }

  /**
   * Makes w1 the first holder of the cluster keys (epoch 0 of its own keys, as {@code ./nsl cluster
   * init}) and gives every worker the owner-signed policy that allows the devnet measurement.
   */
  private void prepareCluster(DevnetInfo info, PolicySigner signer) {
    step("making worker w1 the first holder of the cluster keys; the others join through it");
    try (SimulatedEnclave e =
        SimulatedEnclave.open(
            dataDir(1).resolve("enclave"),
            Clock.systemUTC(),
            new SecureRandom(),
            WORKER_MEASUREMENT)) {
      e.initCluster();
    }
    Account owner = new DevnetWallets(root.resolve("config/devnet")).validator();
    byte[] policy = signer.sign(info.networkMagic(), info.gateway(), WORKER_MEASUREMENT, owner);
    for (DevnetInfo.Worker w : info.workers()) {
      Path file = dataDir(w.number()).resolve("cluster-policy.json");
      try {
        Files.createDirectories(file.getParent());
        Files.write(file, policy);
      } catch (IOException e) {
        throw new DevnetException("cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  /**
   * Starts the given workers: w1 first (the others join through it), then the rest together;
   * returns once each answers /health.
   */
  private void startWorkers(DevnetInfo info, List<DevnetInfo.Worker> workers) {
    Map<String, String> env =
        info.storeUrl() == null
            ? Map.of()
            : Map.of(
                ClusterOptions.OWNER_KEY_ENV,
                info.validatorPublicKey(),
                SimulatedMeasurement.ENV,
                WORKER_MEASUREMENT);
    Duration timeout = Duration.ofSeconds(120L + 60L * (workers.size() - 1));
    List<DevnetInfo.Worker> rest = new ArrayList<>(workers);
    if (rest.getFirst().number() == 1) {
      DevnetInfo.Worker first = rest.removeFirst();
      awaitHealthy(first, startWorker(first, env), timeout);
    }
    Map<DevnetInfo.Worker, ProcessHandle> started = new LinkedHashMap<>();
    for (DevnetInfo.Worker w : rest) {
      started.put(w, startWorker(w, env));
    }
    started.forEach((w, h) -> awaitHealthy(w, h, timeout));
  }

  private ProcessHandle startWorker(DevnetInfo.Worker w, Map<String, String> env) {
    int n = w.number();
    step(
        "starting the NSL service ("
            + w.id()
            + ") in SIMULATION mode (log "
            + home.serviceLog(n)
            + ")");
    List<String> args;
    try {
      Path f = home.serviceDir(n).resolve(ARGS_FILE);
      args = Files.exists(f) ? Files.readAllLines(f) : List.of();
    } catch (IOException e) {
      throw new DevnetException("cannot read " + home.serviceDir(n).resolve(ARGS_FILE) + ": " + e);
    }
    return home.startService(root, n, args, env);
  }

  private void awaitHealthy(DevnetInfo.Worker w, ProcessHandle h, Duration timeout) {
    DevnetHome.awaitHealthy(w.apiUrl() + "/health", h, timeout, home.serviceLog(w.number()));
  }

  /** Registers a worker's attested signing key at the gateway, unless it is already active. */
  private void registerEnclave(NeoChain chain, Hash160 gateway, DevnetInfo.Worker worker) {
    String apiUrl = worker.apiUrl();
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
    step("registering " + worker.id() + "'s enclave key at the gateway (the owner's transaction)");
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

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
