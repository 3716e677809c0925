package io.nsl.cli;

import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetWallets;
import io.nsl.service.ClusterOptions;
import io.nsl.service.NetworkProfile;
import io.nsl.service.NslService;
import io.nsl.service.ServiceConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./nsl run --config FILE}: runs the service until stopped (SIGTERM or Ctrl-C). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the NSL service long-term against a Neo N3 node.",
      "Health at /health, readiness at /ready, Prometheus metrics at /metrics on the API port."
    })
final class RunCommand implements Runnable {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Service configuration (default: config/nsl.yml; every option is documented there).")
  Path config;

  @Option(
      names = "--network",
      paramLabel = "NAME",
      description =
          "A public network's profile (config/networks/NAME.yml: testnet, mainnet): its RPC"
              + " endpoints and network magic replace the config file's. Needs --gateway and"
              + " --operator-wallet (or both in --config).")
  String network;

  @Option(
      names = "--gateway",
      paramLabel = "HASH",
      description =
          "Override chain.gatewayHash: 0x + 40 hex (big-endian) or 40 hex (little-endian).")
  String gateway;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description =
          "Override chain.rpcUrl: this node first (a profile's endpoints stay to fail over to).")
  String rpc;

  @Option(
      names = "--operator-wallet",
      paramLabel = "FILE",
      description =
          "Override chain.operatorWallet: the NEP-6 wallet that signs and pays fulfilments"
              + " (password in $NSL_OPERATOR_PASSWORD, or the variable chain.operatorPasswordEnv"
              + " names).")
  String operatorWallet;

  @Option(
      names = "--start-block",
      paramLabel = "N",
      description =
          "Override chain.startBlock: where to start reading when the store has no cursor (the"
              + " 'startBlock' that 'nsl gateway deploy' printed).")
  Long startBlock;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "Override storage.url: the shared PostgreSQL store at URL"
              + " (postgresql://user@host:port/database; password in PGPASSWORD or ~/.pgpass)"
              + " instead of the embedded one in <dataDir>/store. See docs/operator.md, \"Storage"
              + " engines\".")
  String store;

  @Option(
      names = "--join",
      paramLabel = "URL",
      description =
          "Join the cluster through the instance whose join endpoint is at URL (e.g."
              + " http://10.0.0.5:8788) before serving; skipped when this instance already holds"
              + " cluster keys. Needs NSL_CLUSTER_OWNER_KEY and the owner-signed policy.")
  String join;

  @Option(
      names = "--cluster-port",
      paramLabel = "PORT",
      description = "Serve the cluster join endpoint on PORT (default: none).")
  Integer clusterPort;

  @Option(
      names = "--cluster-bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address of the join endpoint, on the operator's network (default: ${DEFAULT-VALUE}).")
  String clusterBind;

  @Option(
      names = "--cluster-policy",
      paramLabel = "FILE",
      description = "Owner-signed measurement policy (default: <dataDir>/cluster-policy.json).")
  Path clusterPolicy;

  @Option(
      names = "--cluster-collateral",
      paramLabel = "FILE",
      description = "PCCS collateral JSON used to check peers' TCB status during joins.")
  Path clusterCollateral;

  @Option(
      names = "--rotation-batch",
      paramLabel = "N",
      defaultValue = "256",
      description =
          "Records a cluster rotation re-seals per step (default: ${DEFAULT-VALUE}); writers wait"
              + " for at most one step.")
  int rotationBatch;

  /**
   * The configuration the service runs with: the file's, then the network profile's chain settings,
   * then each option given. Pure (no I/O beyond what the caller loaded).
   *
   * @throws CliInputException when a network profile is used with the devnet operator wallet or
   *     without a gateway: a public network needs the operator's own wallet and gateway
   */
  static ServiceConfig effectiveConfig(
      ServiceConfig cfg,
      NetworkProfile profile,
      String rpc,
      String gatewayHash,
      String operatorWallet,
      Long startBlock,
      Path root) {
    ServiceConfig.Chain chain = cfg.chain();
    if (profile != null) {
      chain = profile.applyTo(chain);
    }
    chain = chain.with(rpc, gatewayHash, startBlock, operatorWallet);
    if (profile != null) {
      if (chain.gatewayHash().isBlank()) {
        throw new CliInputException(
            "--network "
                + profile.name()
                + " needs the gateway: give --gateway HASH (from 'nsl gateway deploy') or set"
                + " chain.gatewayHash in --config");
      }
      Path wallet = root.resolve(chain.operatorWallet()).toAbsolutePath().normalize();
      if (wallet.startsWith(root.resolve("config/devnet").toAbsolutePath().normalize())) {
        throw new CliInputException(
            "--network "
                + profile.name()
                + " with the devnet operator wallet ("
                + chain.operatorWallet()
                + ", whose key is published): give your own with --operator-wallet FILE");
      }
    }
    return cfg.withChain(chain);
  }

  @Override
  public void run() {
    Path root = ProjectRoot.find();
    ServiceConfig cfg =
        ServiceConfig.load(config != null ? config : root.resolve("config/nsl.yml"), store);
    HashArgument gw =
        gateway == null
            ? null
            : HashArgument.parse("--gateway", gateway, HashArgument.Kind.CONTRACT);
    if (gw != null) {
      System.err.println("… " + gw.note());
    }
    NetworkProfile profile = network == null ? null : NetworkProfile.named(root, network);
    cfg =
        effectiveConfig(
            cfg,
            profile,
            rpc,
            gw == null ? null : gw.bigEndian0x(),
            operatorWallet,
            startBlock,
            root);
    ClusterOptions cluster =
        new ClusterOptions(
            java.util.Optional.ofNullable(join),
            java.util.Optional.ofNullable(clusterPort),
            clusterBind,
            java.util.Optional.ofNullable(clusterPolicy),
            java.util.Optional.ofNullable(clusterCollateral),
            java.util.Optional.ofNullable(System.getenv(ClusterOptions.OWNER_KEY_ENV)),
            rotationBatch);
    NslService service =
        NslService.start(cfg, root, Clock.systemUTC(), DevnetWallets.knownPasswords(root), cluster);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "nsl-shutdown"));
    System.out.println(
        "NSL service running; API on port " + service.apiPort() + ". Stop with Ctrl-C.");
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
