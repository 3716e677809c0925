package io.nsl.js;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What override taming (decision 0301) costs per fresh context, all ways in one JVM: engines built
 * by the production path ({@link JavaScriptEngine#execute}: fresh context, prelude, frozen
 * intrinsics, guest-thread hand-off, result), one with the prelude as it is, one with a copy whose
 * tamed-name list is empty (nothing tamed, everything else the same), and one per variant prelude
 * file given on the command line (a way of taming to compare, e.g. a copy of the prelude with the
 * taming block changed, or a slice of the block to see what one step costs; the probe answer of a
 * variant is printed, not required).
 *
 * <p>The engines take turns execution by execution (A B C, then C A B, then B C A, ...), from the
 * warm-up on, and each execution's cost is the CPU time of the guest threads that ran it (context
 * build, prelude, main, close: all of it runs on one guest thread). So every engine runs under the
 * same load, JIT state and cache pressure, within a millisecond of the others: on a machine loaded
 * 20-40 on 2 cores, alternating blocks of seconds (the first method) gave ratios from 0.25 to 1.9
 * for the same two engines in one run. Reported per engine: the median CPU per execution, fresh
 * contexts per CPU-second (1 / median), the ratio to the untamed engine, and that ratio per fifth
 * of the run, in time order, to show whether it held. It also lists which engine each guest thread
 * ran for (Java thread id), so that a JFR recording or a {@code perf record -p} of the run (OS
 * thread ids: jstack's nid) can be split by engine.
 *
 * <p>In package {@code io.nsl.js} only to reach {@link JavaScriptEngine#startWithPrelude}, the
 * package-private way to build an engine with another prelude. Run with bench/jmh/taming-cost.sh
 * [warmupCpuSeconds=60] [measureCpuSeconds=30] [variantPrelude.js ...].
 */
public final class TamingCost {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern TAMED_KEYS = Pattern.compile("const tamedKeys = \\[[^;]*\\];");
  private static final int CHUNKS = 5;

  /** Tells the engines apart: an accessor on Error.prototype.name only where taming ran. */
  private static final String PROBE =
      "function main() { return typeof Object.getOwnPropertyDescriptor(Error.prototype, 'name')"
          + ".get; }";

  private static final String TRIVIAL = "function main(input) { return input; }";

  private TamingCost() {}

  public static void main(String[] args) {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 30;
    if (warm < 0 || measure <= 0) {
      throw new IllegalArgumentException(
          "usage: TamingCost [warmupCpuSeconds >= 0] [measureCpuSeconds > 0]"
              + " [variantPrelude.js ...]");
    }
    String prelude = EngineHandle.readPrelude();
    Matcher m = TAMED_KEYS.matcher(prelude);
    if (!m.find()) {
      throw new IllegalStateException(
          "the prelude has no 'const tamedKeys = [...];' list; update TamingCost with the prelude");
    }
    List<String> names = new ArrayList<>(List.of("tamed", "untamed"));
    List<String> preludes =
        new ArrayList<>(List.of(prelude, m.replaceFirst("const tamedKeys = [];")));
    for (int i = 2; i < args.length; i++) {
      names.add(Path.of(args[i]).getFileName().toString());
      preludes.add(readFile(args[i]));
    }
    int n = names.size();
    System.out.println("# load before: " + loadAverage());
    // Seconds of process CPU, not of wall time: on a loaded machine a wall-clock warm-up ends
    // before the JIT has compiled anything.
    System.out.printf(
        "# %s: warm-up %.0f s of process CPU, then %.0f s measured; the engines take turns"
            + " execution by execution%n",
        String.join(", ", names), warm, measure);
    EngineConfig config = EngineConfig.defaults();
    List<JavaScriptEngine> engines = new ArrayList<>();
    try {
      engines.add(JavaScriptEngine.start(config));
      for (int i = 1; i < n; i++) {
        engines.add(JavaScriptEngine.startWithPrelude(config, preludes.get(i)));
      }
      requireAnswer(engines.get(0), "\"function\"", "the prelude as it is");
      requireAnswer(engines.get(1), "\"undefined\"", "nothing tamed");
      // A variant may be a slice of the taming block (e.g. getters made but not defined, to see
      // what each step costs): its answer is printed, not required.
      for (int i = 2; i < n; i++) {
        System.out.println(
            "# "
                + names.get(i)
                + ": typeof the getter of Error.prototype.name is "
                + engines.get(i).execute(request(PROBE)).resultJsonString());
      }
      ExecutionRequest trivial = request(TRIVIAL);
      long warmEnd = OS.getProcessCpuTime() + (long) (warm * 1e9);
      for (int c = 0; OS.getProcessCpuTime() < warmEnd; c++) {
        for (int j = 0; j < n; j++) {
          once(engines.get((c + j) % n), trivial);
        }
      }
      long[] guests = guestThreadIds();
      List<List<Long>> cpu = new ArrayList<>();
      List<List<Long>> wall = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        cpu.add(new ArrayList<>());
        wall.add(new ArrayList<>());
      }
      // Which engine each guest thread belongs to (every engine names its threads nsl-js-guest-N),
      // so that a profile of the run can be split by engine: the thread whose CPU moved most
      // during an engine's execution is counted for that engine (a thread of the engine before
      // may still be finishing its own).
      long[][] votes = new long[guests.length][n];
      long end = OS.getProcessCpuTime() + (long) (measure * 1e9);
      for (int c = 0; OS.getProcessCpuTime() < end; c++) {
        for (int j = 0; j < n; j++) {
          int k = (c + j) % n;
          long[] before = threadCpu(guests);
          long w0 = System.nanoTime();
          once(engines.get(k), trivial);
          wall.get(k).add(System.nanoTime() - w0);
          long[] after = threadCpu(guests);
          long sum = 0;
          int most = 0;
          for (int t = 0; t < guests.length; t++) {
            long d = after[t] - before[t];
            sum += d;
            if (d > after[most] - before[most]) {
              most = t;
            }
          }
          votes[most][k]++;
          cpu.get(k).add(sum);
        }
      }
      for (int t = 0; t < guests.length; t++) {
        int best = 0;
        for (int k = 1; k < n; k++) {
          if (votes[t][k] > votes[t][best]) {
            best = k;
          }
        }
        System.out.println(
            "# guest thread id "
                + guests[t]
                + ": "
                + names.get(best)
                + " (ran most of the CPU of "
                + votes[t][best]
                + " of its executions, "
                + Arrays.stream(votes[t]).sum()
                + " in all)");
      }
      report(names, cpu, wall);
    } finally {
      for (JavaScriptEngine e : engines) {
        e.close();
      }
    }
    System.out.println("# load after: " + loadAverage());
  }

  private static void report(List<String> names, List<List<Long>> cpu, List<List<Long>> wall) {
    int n = names.size();
    double untamed = median(cpu.get(1), 0, cpu.get(1).size());
    System.out.println(
        "| engine | executions | median guest CPU µs | p25 | p75 | contexts per CPU-s |"
            + " ratio to untamed | per fifth of the run | median wall µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---:|");
    for (int i = 0; i < n; i++) {
      List<Long> xs = cpu.get(i);
      int size = xs.size();
      double med = median(xs, 0, size);
      StringBuilder fifths = new StringBuilder();
      for (int f = 0; f < CHUNKS; f++) {
        int from = f * size / CHUNKS;
        int to = (f + 1) * size / CHUNKS;
        List<Long> u = cpu.get(1);
        int uFrom = f * u.size() / CHUNKS;
        int uTo = (f + 1) * u.size() / CHUNKS;
        fifths
            .append(f == 0 ? "" : " ")
            .append(String.format("%.3f", median(u, uFrom, uTo) / median(xs, from, to)));
      }
      System.out.printf(
          "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.3f | %s | %.0f |%n",
          names.get(i),
          size,
          med / 1e3,
          quantile(xs, 0.25) / 1e3,
          quantile(xs, 0.75) / 1e3,
          1e9 / med,
          untamed / med,
          fifths,
          median(wall.get(i), 0, wall.get(i).size()) / 1e3);
    }
    for (int i = 0; i < n; i++) {
      if (i != 1) {
        double r = untamed / median(cpu.get(i), 0, cpu.get(i).size());
        System.out.printf(
            "%s: %.0f fresh contexts per guest-CPU-second, untamed %.0f: taming costs %.1f %%%n",
            names.get(i),
            1e9 / median(cpu.get(i), 0, cpu.get(i).size()),
            1e9 / untamed,
            100 * (1 - r));
      }
    }
  }

  private static String readFile(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the variant prelude " + path + " failed", e);
    }
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

  /**
   * The engines' guest threads (all engines name theirs nsl-js-guest-N). Their pools are fixed, so
   * the set found after the warm-up stays; an execution runs on one of them, and only one runs at a
   * time, so the sum's change over an execution is that execution's CPU.
   */
  private static long[] guestThreadIds() {
    List<Long> ids = new ArrayList<>();
    for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
      if (t.getThreadName().startsWith("nsl-js-guest-")) {
        ids.add(t.getThreadId());
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("no nsl-js-guest- thread found after the warm-up");
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] threadCpu(long[] ids) {
    long[] cpu = new long[ids.length];
    for (int t = 0; t < ids.length; t++) {
      cpu[t] = Math.max(0, THREADS.getThreadCpuTime(ids[t]));
    }
    return cpu;
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

  private static double median(List<Long> xs, int from, int to) {
    long[] s = xs.subList(from, to).stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(s);
    int k = s.length;
    return k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2.0;
  }

  private static double quantile(List<Long> xs, double q) {
    long[] s = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
