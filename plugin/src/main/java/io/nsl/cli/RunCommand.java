package io.nsl.cli;

import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetWallets;
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
    NslService service =
        NslService.start(cfg, root, Clock.systemUTC(), DevnetWallets.knownPasswords(root));
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
