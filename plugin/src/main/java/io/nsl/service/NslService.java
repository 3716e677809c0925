package io.nsl.service;

import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.api.ApiAuth;
import io.nsl.api.ApiServer;
import io.nsl.api.ConsoleBackends;
import io.nsl.api.OperatorSeries;
import io.nsl.api.SimulationRunner;
import io.nsl.chain.BlockSignal;
import io.nsl.chain.BlockSubscription;
import io.nsl.chain.ChainException;
import io.nsl.chain.ChainIdentityGuard;
import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoFulfilmentChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.NotificationSource;
import io.nsl.chain.RpcEndpoints;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.IntegrityReport;
import io.nsl.js.EngineConfig;
import io.nsl.js.JavaScriptEngine;
import io.nsl.pipeline.BatchPolicy;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.pipeline.ExpiryPolicy;
import io.nsl.pipeline.FulfilmentSigner;
import io.nsl.pipeline.FulfilmentSubmitter;
import io.nsl.pipeline.JsFunctionRunner;
import io.nsl.pipeline.PipelineMetrics;
import io.nsl.pipeline.RequestExecutor;
import io.nsl.pipeline.RequestQueue;
import io.nsl.pipeline.RetryPolicy;
import io.nsl.pipeline.ServiceStore;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.StorageServiceStore;
import io.nsl.pipeline.StoredChainIdentity;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.pipeline.Supervisor;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.PersistentStorageService;
import io.nsl.trigger.NeoTriggerChain;
import io.nsl.trigger.SubscriptionStore;
import io.nsl.trigger.TriggerCursor;
import io.nsl.workers.SharedApiRows;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the service from its configuration, by hand, and runs
 * it. Start order: enclave (keys) → encrypted storage (key from the enclave) → secrets → JavaScript
 * engine → chain clients → durable queue (resumes what a previous run left) → executor and
 * submitter → watcher → HTTP. {@link #close()} stops them in reverse.
 */
public final class NslService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NslService.class);

  /**
   * {@code /ready} answers 200 only while the watcher is at most this many blocks behind the
   * chain's head (docs/api.md, docs/operator.md): a worker further behind answers late, so a load
   * balancer or an upgrade waits for it.
   */
  static final long READY_MAX_LAG_BLOCKS = 5;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Enclave enclave;
  private final PersistentStorageService storage;
  private final UserSecretManager secrets;
  private final StoredFunctionCatalog functions;
  private final ExecutionRecords executions;
  private final GatewayClient gateway;
  private final NeoChain chain;
  private final PipelineMetrics metrics = new PipelineMetrics();
  private final long startedMillis;
  private final Clock clock;
  private final RequestQueue queue;
  private final RequestExecutor executor;
  private final FulfilmentSubmitter submitter;
  private final EventWatcher<GatewayRequest> watcher;
  private final ApiServer api;
  private final long networkMagic;
  private final Supervisor supervisor =
      new Supervisor(RetryPolicy.DEFAULT, NslService::stopTheProcess);
  private final Supervisor.Worker watcherWorker = supervisor.worker("watcher");
  private final Optional<WorkerRegistry> workers; // present when one of several workers
  private volatile boolean integrityWasIntact = true; // logged once per change

  private NslService(
      ServiceConfig cfg,
      Path root,
      Clock clock,
      OperatorWallet.KnownPasswords knownPasswords,
      ClusterOptions cluster) {
    this.clock = clock;
    this.startedMillis = clock.millis();
    Path dataDir = root.resolve(cfg.dataDir());
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new ServiceConfig.InvalidConfig(
          "cannot create dataDir " + dataDir + ": " + e.getMessage());
    }
    if (cfg.chain().gatewayHash().isBlank()) {
      throw new ServiceConfig.InvalidConfig(
          "chain.gatewayHash is required: the gateway contract's 0x script hash");
    }
    Hash160 gatewayHash = new Hash160(cfg.chain().gatewayHash().replaceFirst("^0x", ""));
    Account operator = OperatorWallet.load(root, cfg.chain(), knownPasswords);

    EnclaveMode mode = cfg.enclaveMode();
    enclave = track(Enclaves.open(mode, cfg.enclaveDir(root), clock));
    if (mode == EnclaveMode.SIMULATED) {
      log.warn(
          "*** SIMULATION MODE: no SGX enclave protects keys, secrets or results. "
              + "Attestations say SIMULATED and a production gateway refuses them. ***");
    }
    // The chain first: joining a cluster binds the network; storage opens with the cluster's root.
    RpcEndpoints endpoints = new RpcEndpoints(cfg.chain().rpcEndpoints());
    chain = new NeoChain(endpoints, Duration.ofMillis(cfg.chain().pollIntervalMs()));
    networkMagic = chain.networkMagic();
    cfg.chain().checkNetworkMagic(cfg.chain().rpcUrl(), networkMagic);
    ClusterWiring.Started clusterPort =
        track(
            ClusterWiring.start(
                enclave,
                GatewayIdentity.ofBigEndianHex(networkMagic, cfg.chain().gatewayHash()),
                dataDir,
                cluster,
                clock));
    storage =
        track(
            PersistentStorageService.initialise(
                cfg.storage().options(dataDir), ClusterWiring.storageKeys(enclave)));
    // Closed before the store (closeables close in reverse): the mover stops first.
    track(ClusterWiring.startRotation(enclave, storage, clusterPort, dataDir, cluster, clock));
    secrets =
        new UserSecretManager(storage, ClusterWiring.secretsKey(enclave), SecretLimits.defaults());
    functions = new StoredFunctionCatalog(storage);
    executions = new ExecutionRecords(storage);

    NeoRpcClient rpc = new NeoRpcClient(endpoints);
    gateway = new GatewayClient(chain, rpc, gatewayHash);
    StorageServiceStore serviceStore = new StorageServiceStore(storage);
    ChainIdentityGuard identity =
        new ChainIdentityGuard(
            rpc,
            endpoints,
            "0x" + gatewayHash,
            new StoredChainIdentity(serviceStore),
            dataDir.toString());
    verifyChain(identity);
    // Several workers on one store: each records every request under its own prefix and runs
    // those assigned to it (docs/pipeline.md, "Several workers"); one worker: as before.
    workers = WorkersWiring.registry(cfg.workers(), storage, enclave.measurement(), clock);
    queue =
        new RequestQueue(
            WorkersWiring.queueStore(cfg.workers(), serviceStore),
            cfg.chain().startBlock(),
            clock,
            metrics,
            workers
                .<io.nsl.pipeline.Assignment>map(w -> w)
                .orElse(io.nsl.pipeline.Assignment.SOLE));
    // A worker added to running ones starts where they are, not at chain.startBlock: a gateway a
    // year old would be a year of blocks to read before it is ready.
    long from = queue.startFrom(WorkersWiring.peerQueues(serviceStore, workers));
    if (from != cfg.chain().startBlock()) {
      log.info("reading the chain from block {}", from);
    }

    EngineConfig engineConfig = EngineConfig.defaults();
    JavaScriptEngine engine =
        track(
            JavaScriptEngine.start(
                engineConfig.withLimits(cfg.executor().limits(engineConfig.limits()))));
    Map<Long, Instant> blockTimes = new ConcurrentHashMap<>();
    JsFunctionRunner runner =
        new JsFunctionRunner(
            engine,
            secrets,
            storage,
            out -> System.arraycopy(enclave.randomBytes(out.length), 0, out, 0, out.length),
            cfg.fetch().policy(),
            index -> blockTime(rpc, blockTimes, index));
    FulfilmentSigner signer =
        new FulfilmentSigner(enclave::sign, networkMagic, gateway.scriptHashLE());
    submitter =
        new FulfilmentSubmitter(
            queue,
            new NeoFulfilmentChain(chain, rpc, gateway, operator),
            signer,
            new BatchPolicy(
                cfg.submitter().maxBatch(), Duration.ofMillis(cfg.submitter().maxDelayMs())),
            new ExpiryPolicy(cfg.submitter().validForBlocks()),
            metrics,
            clock,
            executions::answered);
    Map<String, String> owners = new ConcurrentHashMap<>();
    executor =
        new RequestExecutor(
            queue,
            functions,
            runner,
            functionId ->
                owners.computeIfAbsent(
                    functionId,
                    id -> gateway.function(id).map(GatewayClient.FunctionInfo::owner).orElse("")),
            signer,
            executions,
            metrics,
            clock,
            RetryPolicy.DEFAULT,
            cfg.executorThreads(),
            WorkersWiring.functionLocks(cfg.workers(), storage, workers, clock));

    // Resume what a previous run left in the durable queue.
    submitter.resumeTracking(queue.resume());
    if (queue.size() > 0) {
      log.info("resuming {} queued request(s) from {}", queue.size(), dataDir);
    }

    BlockSignal signal = new BlockSignal();
    if (cfg.chain().websocket()) {
      BlockSubscription sub = track(new BlockSubscription(cfg.chain().rpcUrl(), signal));
      sub.start();
    }
    // Trigger runs join each block's requests in the queue's one atomic commit (docs/triggers.md).
    NeoTriggerChain triggerChain =
        new NeoTriggerChain(
            rpc, gatewayHash.toString(), NotificationSource.Mode.parse(cfg.chain().watcher()));
    Optional<TriggerCursor> triggers =
        TriggerCursor.start(
            queue,
            triggerChain,
            storedSubscriptions(serviceStore),
            TriggerCursor.DEFAULT_RUN_GAS_LIMIT);
    EventWatcher.Cursor<GatewayRequest> cursor =
        triggers.<EventWatcher.Cursor<GatewayRequest>>map(c -> c).orElse(queue);
    // The watcher's loop is chain/'s; its good turns are seen here, at each durable commit.
    EventWatcher.Cursor<GatewayRequest> beatingCursor =
        new EventWatcher.Cursor<>() {
          @Override
          public long nextBlock() {
            return cursor.nextBlock();
          }

          @Override
          public void commit(long index, List<GatewayRequest> events) {
            cursor.commit(index, events);
            watcherWorker.ok();
          }
        };
    watcher =
        new EventWatcher<>(
            rpc,
            NotificationSource.of(NotificationSource.Mode.parse(cfg.chain().watcher()), rpc),
            identity::verify,
            gatewayHash.toString(),
            "Request",
            GatewayClient::parseRequest,
            beatingCursor,
            signal,
            Duration.ofMillis(cfg.chain().pollIntervalMs()),
            metrics::lagBlocks);

    OperatorSeries series = track(OperatorSeries.lastHour(this::metricsNow, clock));
    series.start();
    api =
        track(
            new ApiServer(
                new InetSocketAddress(cfg.api().bind(), cfg.api().port()),
                this::renderMetrics,
                this::readiness,
                ApiWiring.developerApi(
                    gateway,
                    enclave,
                    gatewayIdentity(),
                    functions,
                    secrets,
                    executions,
                    cfg.api().limits(),
                    cfg.fetch().policy(),
                    cfg.executor().maxMemoryLimitBytes(),
                    track(
                        SimulationRunner.withDefaults(
                            in -> Simulation.run(engine, in),
                            engine.limits().maxGasLimit(),
                            engine.limits().timeout(),
                            clock)),
                    new ConsoleBackends.OperatorView(
                        ApiAuth.ownerOf(operator.getECKeyPair().getPublicKey().getEncoded(true)),
                        this::readiness,
                        this::metricsNow,
                        series,
                        new OperatorFunds(rpc, gatewayHash, operator.getScriptHash()),
                        this::workersNow),
                    clock,
                    triggers.map(t -> new TriggerApiView(t, triggerChain)),
                    new ChainActionsBackend(chain, rpc, gateway, networkMagic, executions),
                    ClusterWiring.collateral(cluster),
                    workers
                        .map(w -> new SharedApiRows(new StorageSharedRows(storage)))
                        .orElse(null))));
  }

  /** The trigger scheduler's subscriptions, kept in the service store beside the cursor. */
  private static SubscriptionStore storedSubscriptions(ServiceStore store) {
    String key = "trigger/subscriptions";
    return new SubscriptionStore() {
      @Override
      public Optional<SubscriptionStore.Snapshot> load() {
        return store
            .get(key)
            .map(
                v -> {
                  ByteBuffer b = ByteBuffer.wrap(v);
                  long block = b.getLong();
                  byte[] json = new byte[b.remaining()];
                  b.get(json);
                  return new SubscriptionStore.Snapshot(block, json);
                });
      }

      @Override
      public void save(SubscriptionStore.Snapshot s) {
        byte[] json = s.json();
        store.apply(
            Map.of(key, ByteBuffer.allocate(8 + json.length).putLong(s.block()).put(json).array()),
            Set.of());
      }
    };
  }

  /** Refuses another chain's node at start; a node still syncing only delays readiness. */
  private void verifyChain(ChainIdentityGuard identity) {
    try {
      identity.verify();
    } catch (ChainException.NodeBehind e) {
      log.warn("{}; the service waits, not ready, until it has", e.getMessage());
    } catch (ChainException.WrongChain e) {
      closeTracked();
      throw e;
    }
  }

  private static Instant blockTime(NeoRpcClient rpc, Map<Long, Instant> cache, long index) {
    Instant t = cache.get(index);
    if (t == null) {
      t = Instant.ofEpochMilli(rpc.call("getblockheader", index, 1).path("time").asLong());
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cache.put(index, t);
    }
    return t;
  }

  /**
   * Builds the service and starts its threads, as a single instance that holds its own keys or the
   * cluster keys it already sealed.
   *
   * @param knownPasswords passwords of published wallets ({@link
   *     OperatorWallet.KnownPasswords#NONE} outside local development)
   */
  public static NslService start(
      ServiceConfig cfg, Path root, Clock clock, OperatorWallet.KnownPasswords knownPasswords) {
    return start(cfg, root, clock, knownPasswords, ClusterOptions.none());
  }

  /** Builds the service, joining or serving its cluster as {@code cluster} says. */
  public static NslService start(
      ServiceConfig cfg,
      Path root,
      Clock clock,
      OperatorWallet.KnownPasswords knownPasswords,
      ClusterOptions cluster) {
    NslService s = new NslService(cfg, root, clock, knownPasswords, cluster);
    // The first lease is written here, by the membership loop's first turn, once the worker can
    // work (engine warm, queue resumed): a lease written earlier lapses during a slow start. The
    // requests the queue resumed before it are held ("not yet a member") and the loop's first
    // reassign takes this worker's own.
    s.workers.ifPresent(
        w -> {
          Supervisor.Worker membership = s.supervisor.worker("membership");
          membership.start(() -> w.run(s.queue::reassign, membership::ok));
        });
    s.executor.start(s.supervisor);
    Supervisor.Worker sending = s.supervisor.worker("submitter");
    sending.start(() -> s.submitter.sendingLoop(sending::ok));
    Supervisor.Worker tracking = s.supervisor.worker("fulfil-tracker");
    tracking.start(() -> s.submitter.trackingLoop(tracking::ok));
    s.watcherWorker.start(s.watcher::run);
    s.api.start();
    log.info(
        "NSL service running: enclave {} ({}), gateway 0x{}, API on port {}",
        s.enclave.instanceId(),
        s.enclave.mode(),
        s.gateway.hash(),
        s.api.port());
    return s;
  }

  /** The exit code when a pipeline loop stops on an error the process cannot recover from. */
  public static final int EXIT_FATAL = 3;

  /**
   * A pipeline loop stopped on an error the JVM cannot be trusted after (out of memory, …): stop
   * the process, with {@link #EXIT_FATAL} (decision 0023's "internal error"), so that whatever runs
   * it (systemd, a container) starts it afresh; the durable queue resumes where it was. From a new
   * thread: exiting runs the shutdown hooks, which join the pipeline's threads.
   */
  private static void stopTheProcess(String loop, VirtualMachineError error) {
    log.error(
        "pipeline loop {} stopped on {}; stopping the process with exit code {}",
        loop,
        error,
        EXIT_FATAL);
    Thread.ofPlatform().name("fatal-exit").start(() -> System.exit(EXIT_FATAL));
  }

  /** The pipeline loops that are stopped and being restarted: loop name → reason. */
  public Map<String, String> stoppedLoops() {
    return supervisor.faults();
  }

  private String renderMetrics() {
    refreshGauges();
    return metrics.renderPrometheus()
        + workers.map(WorkerRegistry::renderPrometheus).orElse("")
        + storage.readCacheStats().map(io.nsl.storage.ReadCacheStats::renderPrometheus).orElse("");
  }

  /**
   * The metrics with their gauges read now. The operator view and its plots read these: they once
   * read {@link PipelineMetrics#snapshot()} directly, whose gauges only a scrape of {@code
   * /metrics} set, so the overview said chain height -1 and queue depth 0 until someone scraped.
   */
  private PipelineMetrics.Snapshot metricsNow() {
    refreshGauges();
    return metrics.snapshot();
  }

  /** The operator view's workers: the registry's lease rows, or this process alone. */
  private io.nsl.api.ConsoleBackends.Workers workersNow() {
    long held = queue.heldCount();
    long assigned = queue.size() - held;
    long inFlight = queue.inFlight();
    String measurement = enclave.measurement();
    if (workers.isEmpty()) {
      return new io.nsl.api.ConsoleBackends.Workers(
          false,
          List.of(
              new io.nsl.api.ConsoleBackends.Worker(
                  null,
                  measurement,
                  true,
                  true,
                  startedMillis,
                  clock.millis(),
                  assigned,
                  inFlight)));
    }
    WorkerRegistry w = workers.get();
    long now = clock.millis();
    List<io.nsl.api.ConsoleBackends.Worker> list = new java.util.ArrayList<>();
    w.leases().stream()
        .sorted(java.util.Comparator.comparing(io.nsl.workers.WorkerLease::workerId))
        .forEach(
            l -> {
              boolean self = l.workerId().equals(w.workerId());
              list.add(
                  new io.nsl.api.ConsoleBackends.Worker(
                      l.workerId(),
                      l.measurement(),
                      self,
                      l.liveAt(now),
                      l.sinceMillis(),
                      l.renewedMillis(),
                      self ? assigned : null,
                      self ? inFlight : null));
            });
    return new io.nsl.api.ConsoleBackends.Workers(true, list);
  }

  private void refreshGauges() {
    metrics.queueDepth(queue.size());
    metrics.queueByStage(queue.countByStage());
    metrics.chainHeight(watcher.chainHeight());
    int held = queue.heldCount();
    metrics.assignment(queue.size() - held, held, queue.inFlight());
  }

  private io.nsl.api.ApiServer.Readiness readiness() {
    long height = watcher.chainHeight();
    long lag = metrics.lagBlocks();
    IntegrityReport integrity = enclave.integrityCheck();
    Optional<String> chainProblem = watcher.problem();
    Map<String, String> stopped = supervisor.faults();
    // A worker is ready once it is a member (its first lease written): an operator who upgrades
    // waits for /ready before stopping an old worker.
    boolean joined = workers.map(WorkerRegistry::joined).orElse(true);
    boolean ready =
        height >= 0
            && lag <= READY_MAX_LAG_BLOCKS
            && integrity.intact()
            && chainProblem.isEmpty()
            && stopped.isEmpty()
            && joined;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("chainHeight", height);
    d.put("lagBlocks", lag);
    d.put("enclaveMode", enclave.mode().name());
    d.put("backlog", queue.backlog());
    d.put("watcher", watcher.way());
    workers.ifPresent(
        w -> {
          d.put("worker", w.workerId());
          d.put("liveWorkers", w.liveWorkers().stream().map(l -> l.workerId()).toList());
        });
    if (integrity.intact() != integrityWasIntact) {
      integrityWasIntact = integrity.intact();
      if (integrity.intact()) {
        log.info("enclave integrity check passes again: {}", integrity.detail());
      } else {
        log.error("enclave integrity check failed: {}", integrity.detail());
      }
    }
    if (!stopped.isEmpty()) {
      d.put("stoppedLoops", stopped);
    }
    if (!integrity.intact()) {
      d.put("reason", "enclave integrity check failed: " + integrity.detail());
    } else if (chainProblem.isPresent()) {
      d.put("reason", chainProblem.get());
    } else if (!stopped.isEmpty()) {
      d.put("reason", String.join("; ", stopped.values()));
    } else if (!joined) {
      d.put("reason", "joining the workers: its first lease is not written yet");
    } else if (!ready) {
      d.put(
          "reason",
          height < 0 ? "the chain node has not answered yet" : "catching up with the chain");
    }
    return new io.nsl.api.ApiServer.Readiness(ready, d);
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  public Enclave enclave() {
    return enclave;
  }

  public UserSecretManager secrets() {
    return secrets;
  }

  public StoredFunctionCatalog functions() {
    return functions;
  }

  public ExecutionRecords executions() {
    return executions;
  }

  public GatewayClient gateway() {
    return gateway;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  public RequestQueue queue() {
    return queue;
  }

  public int apiPort() {
    return api.port();
  }

  /** This enclave's identity as bound into its attestation. */
  public GatewayIdentity gatewayIdentity() {
    return new GatewayIdentity(networkMagic, gateway.scriptHashLE());
  }

  @Override
  public void close() {
    supervisor.stopping();
    workers.ifPresent(WorkerRegistry::stop);
    watcher.stop();
    submitter.stop();
    executor.close();
    supervisor.stopAndJoin(Duration.ofSeconds(5));
    closeTracked();
  }

  /** Closes what was built so far, in reverse. */
  private void closeTracked() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn(
            "error while stopping {}: {}",
            closeables.get(i).getClass().getSimpleName(),
            e.toString());
      }
    }
  }
}
