package io.nsl.bench.js;

import io.nsl.js.EngineConfig;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One full production execution per invocation: fresh context, prelude (API + frozen intrinsics),
 * eval, main, result serialisation, gas metering, close, through {@code JavaScriptEngine.execute}
 * (so the hand-off to a guest thread and the deadline timer are in it too). Compare with
 * bench/node-vs/vm-bench.js (fresh vm context per run). Run with bench/node-vs/run.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {
  @Param({"trivial", "fib25", "sha256_100k", "json_100k", "sort_100k"})
  public String workload;

  private JavaScriptEngine engine;
  private ExecutionRequest request;
  private Path root;
  // Process CPU per measured operation, all threads (guest, caller, GC, JIT compiler): the
  // "per core" cost, which wall-clock ops/s on a shared, loaded machine does not show.
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private long ops;
  private long cpuAtIterationStart;
  private long measuredOps;
  private long measuredCpuNanos;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Path.of(System.getProperty("nsl.root", "."));
    String code = Files.readString(root.resolve("bench/workloads/" + workload + ".js"));
    engine = JavaScriptEngine.start(EngineConfig.defaults());
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> {},
            FetchPolicy.denyAll());
    request =
        new ExecutionRequest(
            "bench",
            "bench",
            "bench",
            code,
            "null".getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            100_000_000,
            Instant.EPOCH,
            host);
    ExecutionResult r = engine.execute(request);
    if (!r.ok()) {
      throw new IllegalStateException(workload + " failed: " + r);
    }
    System.out.println("# runtime: " + engine.runtime());
    serviceWarmUp(root, host);
  }

  /**
   * Runs the workload and the trivial function, alternating, for {@code bench.warmupSeconds} before
   * JMH's own warm-up. Why: on stock Temurin the Truffle compiler is jargraal, Java bytecode that
   * C1/C2 must compile first, so a fresh JVM needs tens of seconds (far more on a loaded machine)
   * before GraalJS code is compiled; and the per-execution paths (context, realm, prelude) are host
   * code that only gets hot after thousands of contexts. A few seconds of JMH warm-up measured the
   * cold engine, not the long-running service. The trivial runs stand for the other functions a
   * busy service runs on the same engine.
   */
  private void serviceWarmUp(Path root, HostServices host) throws IOException {
    long seconds = Long.getLong("bench.warmupSeconds", 20);
    ExecutionRequest trivial =
        new ExecutionRequest(
            "bench",
            "bench",
            "warm",
            Files.readString(root.resolve("bench/workloads/trivial.js")),
            "null".getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            100_000_000,
            Instant.EPOCH,
            host);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long runs = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 20; i++) {
        engine.execute(trivial);
      }
      if (!engine.execute(request).ok()) {
        throw new IllegalStateException(workload + " failed during warm-up");
      }
      runs += 21;
    }
    System.out.println("# service warm-up: " + runs + " executions in " + seconds + " s");
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    ops = 0;
    cpuAtIterationStart = os.getProcessCpuTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration(IterationParams params) {
    if (params.getType() == IterationType.MEASUREMENT) {
      measuredCpuNanos += os.getProcessCpuTime() - cpuAtIterationStart;
      measuredOps += ops;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    engine.close();
    double perCpuSecond = measuredOps / (measuredCpuNanos / 1e9);
    Files.writeString(
        root.resolve("bench/jmh/target/cpu-" + workload + ".json"),
        "{\"workload\":\"" + workload + "\",\"opsPerCpuSecond\":" + perCpuSecond + "}\n");
  }

  @Benchmark
  public ExecutionResult execute() {
    ops++;
    return engine.execute(request);
  }
}
