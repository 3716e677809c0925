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
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How long a memory bomb runs in a warm service (decision 0710, "Fifth session"): the engine first
 * runs the ordinary workloads of bench/workloads through {@link JavaScriptEngine#execute} for a
 * given amount of process CPU time, with a few small bombs among them, as a long-running service
 * has; then each bomb is run as a fresh source (a new upload: its text differs by a comment, so
 * Truffle has compiled nothing of its own code) several times, and once more as the same source (a
 * deployed function called again).
 *
 * <p>Run with bench/jmh/memory-bombs-warm.sh [warmCpuSeconds=90] [runs=3] [only=per-element]
 * [budgets=default,8388608]: {@code only} keeps the bombs whose name contains one of its {@code
 * |}-separated parts ({@code per-element} = the bombs that add a few bytes a statement), {@code
 * budgets} is a comma-separated list of memory budgets in bytes ({@code default} = 128 MiB), each
 * measured after the one warm-up. CPU is split by thread: the guest thread that runs the bomb, the
 * Truffle compiler threads, and the rest of the process; the collectors' and HotSpot's compilers'
 * own time counters are printed beside them. Truffle ends an idle compiler thread and starts a new
 * one: a thread that ends during a run takes its CPU out of the sum, so that column can read low or
 * negative; the process total still holds it.
 */
public final class WarmMemoryBombTime {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  // HotSpot's own compilers (C1, C2): they compile jargraal itself, which is Java.
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  /** The bombs that add a few bytes a statement: the ones that ran into the deadline cold. */
  static final String PER_ELEMENT =
      "array push loop|Map growth|closures|Set growth|s += 8|a[i] = i|object graph"
          + "|strings in an array";

  private static int uploads;

  private WarmMemoryBombTime() {}

  public static void main(String[] args) throws IOException {
    double warmCpuSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 90;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String only = args.length > 2 ? args[2] : "per-element";
    String budgetList = args.length > 3 ? args[3] : "default,8388608";
    String filter = only.equals("per-element") ? PER_ELEMENT : only;
    String[][] bombs =
        Arrays.stream(MemoryBombTime.BOMBS)
            .filter(b -> Arrays.stream(filter.split("\\|")).anyMatch(b[0]::contains))
            .toArray(String[][]::new);
    long[] budgets =
        Arrays.stream(budgetList.split(","))
            .mapToLong(
                s -> s.equals("default") ? ExecutionRequest.DEFAULT_MEMORY : Long.parseLong(s))
            .toArray();
    Path root = Path.of(System.getProperty("nsl.root", "."));
    Map<String, String> workloads = new LinkedHashMap<>();
    for (String w : Workloads.NAMES) {
      workloads.put(w, Files.readString(root.resolve("bench/workloads/" + w + ".js")));
    }
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> {},
            FetchPolicy.denyAll());
    System.out.println("# load before: " + RealmFloor.loadAverage());
    System.out.println(
        "# JVM options: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    try (JavaScriptEngine engine = JavaScriptEngine.start(EngineConfig.defaults())) {
      warmUp(engine, host, workloads, bombs, warmCpuSeconds);
      System.out.println(
          "# compiler threads: "
              + threadNames().stream()
                  .filter(n -> n.contains("Compiler") || n.contains("compiler"))
                  .toList());
      steady(engine, host, workloads, Integer.getInteger("bench.steadyRounds", 15));
      for (long budget : budgets) {
        measure(engine, host, bombs, budget, runs);
      }
    }
    System.out.println("# load after: " + RealmFloor.loadAverage());
  }

  /**
   * Ordinary workloads, round after round, until the process has used {@code cpuSeconds} of CPU
   * since the engine started; every tenth round one small bomb (1 MiB budget, a fresh source), as a
   * service sees the odd hostile upload. Prints each workload's CPU per run in the last round.
   */
  private static void warmUp(
      JavaScriptEngine engine,
      HostServices host,
      Map<String, String> workloads,
      String[][] bombs,
      double cpuSeconds) {
    long cpu0 = OS.getProcessCpuTime();
    long wall0 = System.nanoTime();
    long executions = 0;
    long failed = 0;
    int round = 0;
    Map<String, Long> lastCpu = new LinkedHashMap<>();
    while (OS.getProcessCpuTime() - cpu0 < (long) (cpuSeconds * 1e9)) {
      for (Map.Entry<String, String> w : workloads.entrySet()) {
        long c = OS.getProcessCpuTime();
        ExecutionResult r = engine.execute(request(w.getValue(), host, 100_000_000, -1));
        lastCpu.put(w.getKey(), OS.getProcessCpuTime() - c);
        // A cold engine on a loaded machine can run a workload into the deadline (sort_100k
        // did): counted, not fatal; the warm-up goes on until the engine is warm.
        if (!r.ok()) {
          failed++;
        }
        executions++;
      }
      for (int i = 0; i < 20; i++) {
        engine.execute(request(workloads.get("trivial"), host, 100_000_000, -1));
        executions++;
      }
      if (round % 10 == 0 && bombs.length > 0) {
        engine.execute(
            request(fresh(bombs[(round / 10) % bombs.length][1]), host, 100_000_000, 1 << 20));
        executions++;
      }
      round++;
    }
    System.out.printf(
        Locale.ROOT,
        "# warm-up: %d executions (%d rounds, %d workload runs not ok) in %.1f s of process CPU, %.1f s wall;"
            + " CPU ms per run in the last round: %s%n",
        executions,
        round,
        failed,
        (OS.getProcessCpuTime() - cpu0) / 1e9,
        (System.nanoTime() - wall0) / 1e9,
        lastCpu.entrySet().stream()
            .map(e -> e.getKey() + " " + Math.round(e.getValue() / 1e6))
            .toList());
  }

  /**
   * What the warm engine charges ordinary functions: each workload's guest-thread CPU per
   * execution, median of {@code rounds} (the workloads alternate), so that an engine setting that
   * speeds up bombs can be weighed against what it costs every function (e.g. engine.Mode).
   */
  private static void steady(
      JavaScriptEngine engine, HostServices host, Map<String, String> workloads, int rounds) {
    Map<String, long[]> cpu = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, String> w : workloads.entrySet()) {
        long c0 = cpuByKind().get("guest");
        engine.execute(request(w.getValue(), host, 100_000_000, -1));
        cpu.computeIfAbsent(w.getKey(), k -> new long[rounds])[r] = cpuByKind().get("guest") - c0;
      }
    }
    StringBuilder line =
        new StringBuilder("# warm workloads, guest CPU µs per execution (median of ");
    line.append(rounds).append("):");
    for (Map.Entry<String, long[]> e : cpu.entrySet()) {
      long[] v = e.getValue().clone();
      Arrays.sort(v);
      line.append(' ').append(e.getKey()).append(' ').append(v[rounds / 2] / 1000);
    }
    System.out.println(line);
  }

  private static void measure(
      JavaScriptEngine engine, HostServices host, String[][] bombs, long budget, int runs) {
    System.out.println(
        "# memory budget: "
            + (budget == ExecutionRequest.DEFAULT_MEMORY ? "default" : budget + " bytes")
            + "; load now: "
            + RealmFloor.loadAverage());
    System.out.println(
        "| bomb | source | status | gas used | wall ms | process CPU ms | guest thread CPU ms |"
            + " Truffle compiler CPU ms | GC ms | HotSpot JIT ms |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String[] b : bombs) {
      String last = null;
      for (int i = 0; i < runs; i++) {
        last = fresh(b[1]);
        run(engine, host, b[0], "fresh " + (i + 1), last, budget);
      }
      run(engine, host, b[0], "same again", last, budget);
    }
  }

  private static void run(
      JavaScriptEngine engine,
      HostServices host,
      String name,
      String label,
      String code,
      long budget) {
    Map<String, Long> before = cpuByKind();
    long gc0 = gcMillis();
    long jit0 = JIT.getTotalCompilationTime();
    long c0 = OS.getProcessCpuTime();
    long w0 = System.nanoTime();
    ExecutionResult r = engine.execute(request(code, host, 100_000_000, budget));
    long wall = System.nanoTime() - w0;
    long cpu = OS.getProcessCpuTime() - c0;
    Map<String, Long> after = cpuByKind();
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %d | %d |%n",
        name,
        label,
        r.status(),
        r.gasUsed(),
        wall / 1e6,
        cpu / 1e6,
        (after.get("guest") - before.get("guest")) / 1e6,
        (after.get("compiler") - before.get("compiler")) / 1e6,
        gcMillis() - gc0,
        JIT.getTotalCompilationTime() - jit0);
  }

  /** Milliseconds the collectors report (pauses and concurrent cycles), all collectors. */
  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /**
   * CPU nanoseconds so far of the live guest threads and of the Truffle compiler threads (HotSpot's
   * own compiler threads are not visible here; they are in the process total).
   */
  private static Map<String, Long> cpuByKind() {
    long guest = 0;
    long compiler = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      long t = Math.max(0, THREADS.getThreadCpuTime(ids[i]));
      String n = infos[i].getThreadName();
      if (n.startsWith("nsl-js-guest")) {
        guest += t;
      } else if (n.contains("Compiler") || n.contains("compiler")) {
        compiler += t;
      }
    }
    return Map.of("guest", guest, "compiler", compiler);
  }

  /** The same code as a new upload: a comment makes it a source Truffle has not seen. */
  static String fresh(String code) {
    uploads++;
    return "// upload " + uploads + "\n" + code;
  }

  static List<String> threadNames() {
    List<String> names = new ArrayList<>();
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null) {
        names.add(t.getThreadName());
      }
    }
    return names;
  }

  private static ExecutionRequest request(
      String code, HostServices host, long gasLimit, long memoryBytes) {
    return new ExecutionRequest(
        "bench",
        "bench",
        "bomb",
        code,
        "null".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        gasLimit,
        Instant.EPOCH,
        host,
        memoryBytes < 0 ? ExecutionRequest.DEFAULT_MEMORY : memoryBytes);
  }
}
