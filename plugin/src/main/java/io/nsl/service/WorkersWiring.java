package io.nsl.service;

import io.nsl.pipeline.FunctionLocks;
import io.nsl.pipeline.PrefixedServiceStore;
import io.nsl.pipeline.ServiceStore;
import io.nsl.storage.PersistentStorageService;
import io.nsl.workers.SharedFunctionLocks;
import io.nsl.workers.StorageSharedRows;
import io.nsl.workers.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Builds the several-workers parts (docs/pipeline.md, "Several workers") when {@code workers.id} is
 * set, and the one-worker defaults otherwise (part of the composition root).
 */
final class WorkersWiring {
  private WorkersWiring() {}

  /** Where each worker's cursor and queue live: {@code w/<id>/}. */
  private static final String QUEUES = "w/";

  /**
   * This worker's registry, not yet joined, or empty for a single worker. Its membership loop
   * writes the first lease when the service starts its loops: a lease written before a slow start
   * (the engine's warm-up, the queue's resume) lapses before the loop renews it, and the others
   * hold requests for a worker that cannot run them yet.
   */
  static Optional<WorkerRegistry> registry(
      ServiceConfig.Workers cfg,
      PersistentStorageService storage,
      String measurement,
      Clock clock) {
    if (!cfg.several()) {
      return Optional.empty();
    }
    WorkerRegistry r =
        new WorkerRegistry(
            new StorageSharedRows(storage, StorageSharedRows.MEMBERSHIP),
            cfg.id(),
            measurement,
            new WorkerRegistry.Timing(
                Duration.ofMillis(cfg.leaseMs()),
                Duration.ofMillis(cfg.renewMs()),
                Duration.ofMillis(cfg.renewMs())),
            clock);
    return Optional.of(r);
  }

  /** Each worker's cursor and queue under {@code w/<id>/}; the one worker's where they were. */
  static ServiceStore queueStore(ServiceConfig.Workers cfg, ServiceStore serviceStore) {
    return cfg.several()
        ? new PrefixedServiceStore(serviceStore, QUEUES + cfg.id() + "/")
        : serviceStore;
  }

  /**
   * The queues of the other live workers, for a worker that starts without a cursor of its own
   * ({@link io.nsl.pipeline.RequestQueue#startFrom}); none for a single worker.
   */
  static List<ServiceStore> peerQueues(
      ServiceStore serviceStore, Optional<WorkerRegistry> registry) {
    return registry
        .map(
            r ->
                r.othersLiveNow().stream()
                    .<ServiceStore>map(
                        id -> new PrefixedServiceStore(serviceStore, QUEUES + id + "/"))
                    .toList())
        .orElse(List.of());
  }

  static FunctionLocks functionLocks(
      ServiceConfig.Workers cfg,
      PersistentStorageService storage,
      Optional<WorkerRegistry> registry,
      Clock clock) {
    return registry
        .<FunctionLocks>map(
            r ->
                new SharedFunctionLocks(
                    new StorageSharedRows(storage),
                    r,
                    Duration.ofMillis(cfg.functionLockMs()),
                    clock))
        .orElse(FunctionLocks.IN_PROCESS);
  }
}
