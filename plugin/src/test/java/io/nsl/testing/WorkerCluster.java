package io.nsl.testing;

import io.neow3j.types.ContractParameter;
import io.neow3j.wallet.Account;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.cluster.ClusterTrust;
import io.nsl.cluster.EvidenceVerifier;
import io.nsl.cluster.JoinProvider;
import io.nsl.cluster.Joiner;
import io.nsl.cluster.MeasurementPolicy;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.PolicySource;
import io.nsl.cluster.SeenJoins;
import io.nsl.cluster.SignedPolicy;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.devnet.LocalStack;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.SimulatedMeasurement;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.service.ClusterWiring;
import io.nsl.service.NslService;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Several NSL workers, each a separate JVM ({@code Main run --store postgresql://…}), on one
 * PostgreSQL database and one neo-go chain, as an operator would run them (docs/operator.md,
 * "Several machines").
 *
 * <p>{@link #provision} does the operator's part in this JVM before any worker starts: it allows
 * every build's measurement on chain, makes the first enclave the cluster's provider ({@code
 * cluster init}), joins every other worker's enclave (of any build) through it in memory (the
 * protocol of {@code ./nsl cluster join}, without HTTP), registers every enclave's signing key on
 * the gateway, and stores and registers the functions. Each worker then has its own data folder
 * ({@code <dir>/<id>}, its sealed keys) and the same cluster keys, so it reads what the others
 * wrote.
 */
public final class WorkerCluster implements AutoCloseable {
  /** The lease timing every worker runs with. */
  public record Timing(long leaseMs, long renewMs) {}

  /** A worker: its {@code workers.id} and its build (an index into the builds). */
  public record Member(String id, int build) {}

  private final LocalNeoNode node;
  private final DevnetDeployment deployment;
  private final String storeUrl;
  private final Path dir;
  private final List<String> builds;
  private final Timing timing;
  private final Map<String, Integer> buildOf = new LinkedHashMap<>();
  private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private int fatalRestarts;

  private WorkerCluster(
      LocalNeoNode node,
      DevnetDeployment deployment,
      String storeUrl,
      Path dir,
      List<String> builds,
      Timing timing) {
    this.node = node;
    this.deployment = deployment;
    this.storeUrl = storeUrl;
    this.dir = dir;
    this.builds = List.copyOf(builds);
    this.timing = timing;
  }

  /**
   * Provisions {@code members}, each of one of {@code builds} (measurements, 64 hex digits each;
   * the processes claim theirs through {@link SimulatedMeasurement#ENV}), and {@code functions} (id
   * → code). The first member is the cluster's provider.
   */
  public static WorkerCluster provision(
      LocalNeoNode node,
      DevnetDeployment d,
      String storeUrl,
      Path dir,
      List<String> builds,
      List<Member> members,
      Map<String, String> functions,
      Timing timing)
      throws IOException {
    Clock clock = Clock.systemUTC();
    SecureRandom random = new SecureRandom();
    GatewayClient gw =
        new GatewayClient(node.chain(), new NeoRpcClient(node.rpcUrl()), d.gateway());
    GatewayIdentity identity = new GatewayIdentity(node.chain().networkMagic(), gw.scriptHashLE());
    Account owner = node.wallets().validator();
    Account developer = node.wallets().developer();
    for (String m : builds) {
      gw.invoke(
          owner,
          "allow measurement",
          "allowMeasurement",
          ContractParameter.integer(1),
          ContractParameter.byteArray(HexFormat.of().parseHex(m)),
          ContractParameter.integer(0),
          ContractParameter.integer(0));
    }
    // The join protocol's trust: an owner key of this test and a policy it signed, allowing every
    // build (the owner of a real cluster signs what the chain allows: ./nsl cluster policy sign).
    byte[] ownerPrivate = random.generateSeed(32);
    Path policy = dir.resolve("cluster-policy.json");
    Files.createDirectories(dir);
    Files.write(
        policy,
        SignedPolicy.sign(
                new MeasurementPolicy(identity, 1, true, Set.copyOf(builds), List.of(), Set.of()),
                ownerPrivate)
            .toJson());
    ClusterTrust trust =
        new ClusterTrust(identity, OwnerKey.ofPrivate(ownerPrivate), PolicySource.file(policy));
    EvidenceVerifier verifier =
        new EvidenceVerifier(
            DcapQuoteVerifier.withIntelRoot(), AttestationPolicy.defaults(), q -> null, clock);
    WorkerCluster c = new WorkerCluster(node, d, storeUrl, dir, builds, timing);
    for (Member m : members) {
      c.buildOf.put(m.id(), m.build());
    }
    Member first = members.get(0);
    try (SimulatedEnclave provider =
        SimulatedEnclave.open(c.enclaveDir(first.id()), clock, random, builds.get(first.build()))) {
      provider.initCluster();
      register(gw, identity, provider, owner);
      JoinProvider joins =
          new JoinProvider(
              provider, trust, verifier, new SeenJoins(clock, Duration.ofMinutes(5), 1_000));
      for (Member m : members.subList(1, members.size())) {
        try (SimulatedEnclave e =
            SimulatedEnclave.open(c.enclaveDir(m.id()), clock, random, builds.get(m.build()))) {
          new Joiner(e, trust, verifier, clock).join(joins::handle);
          register(gw, identity, e, owner);
        }
      }
      try (PersistentStorageService store =
          PersistentStorageService.initialise(
              StorageOptions.postgres(storeUrl), ClusterWiring.storageKeys(provider))) {
        StoredFunctionCatalog catalog = new StoredFunctionCatalog(store);
        for (var f : functions.entrySet()) {
          catalog.put(f.getKey(), f.getValue(), Optional.empty(), "0x" + developer.getScriptHash());
          gw.registerFunction(
              f.getKey(),
              LocalStack.sha256(f.getValue().getBytes(StandardCharsets.UTF_8)),
              developer);
        }
      }
    }
    return c;
  }

  private static void register(
      GatewayClient gw, GatewayIdentity identity, SimulatedEnclave e, Account owner) {
    gw.registerEnclave(
        e.signingPublicKey(),
        AttestationJson.toJson(e.attest(identity)).toString().getBytes(StandardCharsets.UTF_8),
        GatewayClient.MODE_SIMULATED,
        owner);
  }

  private Path dataDir(String id) {
    return dir.resolve(id);
  }

  private Path enclaveDir(String id) {
    return dataDir(id).resolve("enclave");
  }

  /**
   * Starts worker {@code id} ({@code ./nsl run --config <dir>/<id>.yml --store URL}); it is not yet
   * ready. A worker started again is a restart: same data folder, same API port.
   */
  public ServiceProcess start(String id) throws IOException {
    Integer build = buildOf.get(id);
    if (build == null) {
      throw new IllegalArgumentException("worker " + id + " was not provisioned");
    }
    if (running.containsKey(id) && running.get(id).isAlive()) {
      throw new IllegalStateException("worker " + id + " is running");
    }
    int port = ports.containsKey(id) ? ports.get(id) : freePort();
    ports.put(id, port);
    Path config = dir.resolve(id + ".yml");
    Files.writeString(
        config,
        "mode: simulation\n"
            + "dataDir: "
            + dataDir(id)
            + "\nchain:\n  rpcUrl: "
            + node.rpcUrl()
            + "\n  gatewayHash: \"0x"
            + deployment.gateway()
            + "\"\n  startBlock: "
            + deployment.gatewayDeployBlock()
            + "\nsubmitter:\n  validForBlocks: 20\n"
            + "workers:\n  id: "
            + id
            + "\n  leaseMs: "
            + timing.leaseMs()
            + "\n  renewMs: "
            + timing.renewMs()
            + "\napi:\n  port: "
            + port
            + "\n");
    ServiceProcess p =
        new ServiceProcess(
            config,
            dir.resolve(id + ".log"),
            port,
            List.of("--store", storeUrl),
            Map.of(SimulatedMeasurement.ENV, builds.get(build)));
    p.start();
    running.put(id, p);
    return p;
  }

  /**
   * Waits until worker {@code id} is ready, starting it again when it exits with {@link
   * NslService#EXIT_FATAL} (what docs/operator.md asks of the supervisor, systemd {@code
   * Restart=on-failure}: on a machine too busy for its engine warm-up, a worker stops with it).
   * Returns how many times it was started again.
   */
  public int awaitReady(String id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int restarts = 0;
    while (true) {
      ServiceProcess p = worker(id);
      try {
        p.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        fatalRestarts += restarts;
        return restarts;
      } catch (IllegalStateException e) {
        if (p.exitCode().orElse(-1) != NslService.EXIT_FATAL || System.nanoTime() > deadline) {
          throw e;
        }
        restarts++;
        System.out.printf(
            "WorkerCluster: %s exited with %d (%s); starting it again%n",
            id, NslService.EXIT_FATAL, e.getMessage());
        start(id);
      }
    }
  }

  /** Restarts {@link #awaitReady} made after an exit with {@link NslService#EXIT_FATAL}. */
  public int fatalRestarts() {
    return fatalRestarts;
  }

  /** The process of worker {@code id} (running or not). */
  public ServiceProcess worker(String id) {
    ServiceProcess p = running.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no worker " + id + " was started");
    }
    return p;
  }

  /** Workers whose process is alive. */
  public List<ServiceProcess> alive() {
    List<ServiceProcess> out = new ArrayList<>();
    for (ServiceProcess p : running.values()) {
      if (p.isAlive()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Where the logs are, for failure messages. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws InterruptedException {
    for (ServiceProcess p : running.values()) {
      p.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
