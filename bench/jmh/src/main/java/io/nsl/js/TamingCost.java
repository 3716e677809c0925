package io.nsl.js;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What override taming (decision 0301) costs per fresh context, both ways in one JVM: two engines
 * built by the production path ({@link JavaScriptEngine#execute}: fresh context, prelude, frozen
 * intrinsics, guest-thread hand-off, result), one with the prelude as it is, one with a copy whose
 * tamed-name list is empty (nothing tamed, everything else the same). After a shared warm-up the
 * two run in alternating blocks, the order swapped every round (AB, BA, AB, ...), so that a change
 * in the machine's load or in the JIT's state falls on both. Warm-up and blocks are counted in
 * seconds of process CPU, not of wall time (on a loaded machine a wall-clock warm-up ends before
 * the JIT has compiled anything); each block reports executions per second of process CPU (all
 * threads: the JIT's and GC's included), per second of execution CPU (the threads that run the
 * executions only) and per wall second.
 *
 * <p>In package {@code io.nsl.js} only to reach {@link JavaScriptEngine#startWithPrelude}, the
 * package-private way to build an engine with another prelude. Run with bench/jmh/taming-cost.sh
 * [warmupCpuSeconds=60] [blockCpuSeconds=4] [rounds=10].
 */
public final class TamingCost {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();
  private static final Pattern TAMED_KEYS = Pattern.compile("const tamedKeys = \\[[^;]*\\];");

  /** Tells the two engines apart: an accessor on Error.prototype.name only where taming ran. */
  private static final String PROBE =
      "function main() { return typeof Object.getOwnPropertyDescriptor(Error.prototype, 'name')"
          + ".get; }";

  private static final String TRIVIAL = "function main(input) { return input; }";

  private TamingCost() {}

  /**
   * One measured block: executions; process CPU (all threads, the JIT's and GC's included);
   * execution CPU (the calling thread and the engines' guest threads only); wall time; all in ns.
   */
  record Block(long executions, long cpuNanos, long execCpuNanos, long wallNanos) {
    double perCpuSecond() {
      return executions / (cpuNanos / 1e9);
    }

    double perExecCpuSecond() {
      return executions / (execCpuNanos / 1e9);
    }

    double perWallSecond() {
      return executions / (wallNanos / 1e9);
    }
  }

  public static void main(String[] args) {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    double block = args.length > 1 ? Double.parseDouble(args[1]) : 4;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (warm < 0 || block <= 0 || rounds < 1) {
      throw new IllegalArgumentException(
          "usage: TamingCost [warmupCpuSeconds >= 0] [blockCpuSeconds > 0] [rounds >= 1]");
    }
    String prelude = EngineHandle.readPrelude();
    Matcher m = TAMED_KEYS.matcher(prelude);
    if (!m.find()) {
      throw new IllegalStateException(
          "the prelude has no 'const tamedKeys = [...];' list; update TamingCost with the prelude");
    }
    String untamedPrelude = m.replaceFirst("const tamedKeys = [];");
    System.out.println("# load before: " + loadAverage());
    // Seconds of process CPU, not of wall time: on a loaded machine a wall-clock warm-up ends
    // before the JIT has compiled anything.
    System.out.printf(
        "# warm-up %.0f s of process CPU (both engines, execution by execution), then %d rounds"
            + " of one block of %.1f CPU-s each, the order swapped every round%n",
        warm, rounds, block);
    EngineConfig config = EngineConfig.defaults();
    try (JavaScriptEngine tamed = JavaScriptEngine.start(config);
        JavaScriptEngine untamed = JavaScriptEngine.startWithPrelude(config, untamedPrelude)) {
      requireAnswer(tamed, "\"function\"", "the prelude as it is");
      requireAnswer(untamed, "\"undefined\"", "the prelude with nothing tamed");
      ExecutionRequest trivial = request(TRIVIAL);
      long warmEnd = OS.getProcessCpuTime() + (long) (warm * 1e9);
      boolean first = true;
      while (OS.getProcessCpuTime() < warmEnd) {
        once(first ? tamed : untamed, trivial);
        first = !first;
      }
      List<Block> withTaming = new ArrayList<>();
      List<Block> without = new ArrayList<>();
      double[] ratios = new double[rounds];
      double[] execRatios = new double[rounds];
      System.out.println(
          "| round | tamed per CPU-s | untamed per CPU-s | ratio | tamed per execution CPU-s |"
              + " untamed per execution CPU-s | ratio | tamed per wall-s | untamed per wall-s |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (int r = 0; r < rounds; r++) {
        Block t;
        Block u;
        if (r % 2 == 0) {
          t = run(tamed, trivial, block);
          u = run(untamed, trivial, block);
        } else {
          u = run(untamed, trivial, block);
          t = run(tamed, trivial, block);
        }
        withTaming.add(t);
        without.add(u);
        ratios[r] = t.perCpuSecond() / u.perCpuSecond();
        execRatios[r] = t.perExecCpuSecond() / u.perExecCpuSecond();
        System.out.printf(
            "| %d | %.0f | %.0f | %.3f | %.0f | %.0f | %.3f | %.0f | %.0f |%n",
            r + 1,
            t.perCpuSecond(),
            u.perCpuSecond(),
            ratios[r],
            t.perExecCpuSecond(),
            u.perExecCpuSecond(),
            execRatios[r],
            t.perWallSecond(),
            u.perWallSecond());
      }
      summary(
          "process CPU",
          median(withTaming.stream().mapToDouble(Block::perCpuSecond).toArray()),
          median(without.stream().mapToDouble(Block::perCpuSecond).toArray()),
          ratios);
      summary(
          "execution CPU",
          median(withTaming.stream().mapToDouble(Block::perExecCpuSecond).toArray()),
          median(without.stream().mapToDouble(Block::perExecCpuSecond).toArray()),
          execRatios);
    }
    System.out.println("# load after: " + loadAverage());
  }

  private static void summary(String what, double tamed, double untamed, double[] ratios) {
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    double mr = median(ratios);
    System.out.printf(
        "median by %s: tamed %.0f, untamed %.0f fresh executions per second; tamed/untamed per"
            + " round: median %.3f (min %.3f, max %.3f): taming costs %.1f %%%n",
        what, tamed, untamed, mr, sorted[0], sorted[sorted.length - 1], 100 * (1 - mr));
  }

  private static void requireAnswer(JavaScriptEngine engine, String want, String which) {
    ExecutionResult r = engine.execute(request(PROBE));
    if (!want.equals(r.resultJsonString())) {
      throw new IllegalStateException(
          "the engine with "
              + which
              + " answered "
              + r.resultJsonString()
              + " ("
              + r.status()
              + ": "
              + r.errorMessage()
              + ") to the taming probe, expected "
              + want);
    }
  }

  private static void once(JavaScriptEngine engine, ExecutionRequest req) {
    if (!"5".equals(engine.execute(req).resultJsonString())) {
      throw new IllegalStateException("the trivial function returned the wrong value");
    }
  }

  /** Executes until the process has used {@code cpuSeconds} of CPU. */
  private static Block run(JavaScriptEngine engine, ExecutionRequest req, double cpuSeconds) {
    long n = 0;
    long exec0 = executionCpu();
    long wall0 = System.nanoTime();
    long cpu0 = OS.getProcessCpuTime();
    long end = cpu0 + (long) (cpuSeconds * 1e9);
    long cpu;
    do {
      once(engine, req);
      n++;
      cpu = OS.getProcessCpuTime();
    } while (cpu < end);
    long wall = System.nanoTime() - wall0;
    return new Block(n, cpu - cpu0, executionCpu() - exec0, wall);
  }

  /**
   * CPU of the threads that execute: this one and every engine's guest threads (both engines name
   * theirs nsl-js-guest-N; only one engine runs at a time, so the sum is that engine's).
   */
  private static long executionCpu() {
    long sum = THREADS.getCurrentThreadCpuTime();
    for (java.lang.management.ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
      if (t.getThreadName().startsWith("nsl-js-guest-")) {
        long c = THREADS.getThreadCpuTime(t.getThreadId());
        if (c > 0) {
          sum += c;
        }
      }
    }
    return sum;
  }

  private static ExecutionRequest request(String code) {
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> Arrays.fill(b, (byte) 7),
            FetchPolicy.denyAll());
    return new ExecutionRequest(
        "bench",
        "NOwner",
        "req",
        code,
        "5".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        1_000_000,
        Instant.EPOCH,
        host);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
