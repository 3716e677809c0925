package io.nsl.cli;

import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetWallets;
import io.nsl.service.ClusterOptions;
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
      names = "--gateway",
      paramLabel = "HASH",
      description = "Override chain.gatewayHash from the config file.")
  String gateway;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description = "Override chain.rpcUrl from the config file.")
  String rpc;

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

  @Override
  public void run() {
    Path root = ProjectRoot.find();
    ServiceConfig cfg =
        ServiceConfig.load(config != null ? config : root.resolve("config/nsl.yml"));
    if (gateway != null || rpc != null) {
      ServiceConfig.Chain c = cfg.chain();
      cfg =
          new ServiceConfig(
              cfg.mode(),
              cfg.dataDir(),
              new ServiceConfig.Chain(
                  rpc != null ? rpc : c.rpcUrl(),
                  gateway != null ? gateway : c.gatewayHash(),
                  c.startBlock(),
                  c.websocket(),
                  c.pollIntervalMs(),
                  c.operatorWallet(),
                  c.operatorPasswordEnv()),
              cfg.executor(),
              cfg.submitter(),
              cfg.api(),
              cfg.fetch());
    }
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
