package io.nsl.bench.worker;

import io.nsl.bench.worker.WorkerProtocol.Result;
import io.nsl.js.EngineConfig;
import io.nsl.js.ErrorKind;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Issue 5's side-by-side measurement: the in-process heap guard ({@code JavaScriptEngine} with its
 * {@code MemoryGuard}, in this JVM) against worker JVMs ({@link Supervisor} + {@link WorkerMain},
 * own {@code -Xmx}, {@code -XX:+ExitOnOutOfMemoryError}), in one run. Run by {@code
 * bench/memory-decision.sh}; prints Markdown tables on stdout, progress on stderr.
 *
 * <p>Order: worker JVMs first (so this JVM has not loaded GraalJS yet when its RSS is read as the
 * supervisor's), then one execution per worker (bombs only), then in-process. Knobs (system
 * properties): {@code md.warmupSeconds} (30), {@code md.runs} (300 per function), {@code
 * md.bombReps} (3), {@code md.bombs} (file names, comma-separated), {@code md.workers} (2), {@code
 * md.workerSlots} (2), {@code md.soloWorkers} (3), {@code md.workerXmx} (256m), {@code md.pings}
 * (1000), {@code md.inProcessSlots} (3).
 */
public final class MemoryDecisionBench {
  private static final long GAS = 100_000_000L;
  private static final int INNOCENT_STREAMS = 2;

  private final Path root;
  private final int warmupSeconds = Integer.getInteger("md.warmupSeconds", 30);
  private final int runs = Integer.getInteger("md.runs", 300);
  private final int bombReps = Integer.getInteger("md.bombReps", 3);
  private final int workers = Integer.getInteger("md.workers", 2);
  private final int workerSlots = Integer.getInteger("md.workerSlots", 2);
  private final int soloWorkers = Integer.getInteger("md.soloWorkers", 3);
  private final String workerXmx = System.getProperty("md.workerXmx", "256m");
  private final int pings = Integer.getInteger("md.pings", 1000);
  private final int inProcessSlots = Integer.getInteger("md.inProcessSlots", 3);
  private final Map<String, String> bombs = new LinkedHashMap<>();
  private final String trivial;
  private final String realistic;
  private final byte[] realisticInput;
  private final StringBuilder out = new StringBuilder();
  private final List<String> bombRows = new ArrayList<>();
  private final List<String> overheadRows = new ArrayList<>();
  private final List<String> memoryRows = new ArrayList<>();
  private final List<String> startRows = new ArrayList<>();
  private final List<String> warmUps = new ArrayList<>();

  /** One way to run an execution: in this JVM, or through the supervisor. */
  private interface Runner {
    Outcome run(String functionId, String code, byte[] input) throws InterruptedException;
  }

  /**
   * How a run ended, as the caller saw it: {@code nanos} is the caller's wall time, {@code
   * innerNanos} the time {@code JavaScriptEngine.execute} took (inside the worker, for workers).
   */
  private record Outcome(
      ErrorKind kind, String result, String error, long nanos, long innerNanos) {}

  private MemoryDecisionBench(Path root) throws IOException {
    this.root = root;
    this.trivial = Files.readString(root.resolve("bench/workloads/trivial.js"));
    this.realistic = Files.readString(root.resolve("bench/memory/realistic.js"));
    StringBuilder feed = new StringBuilder("{\"sources\":[");
    for (int i = 0; i < 10; i++) {
      feed.append(i == 0 ? "" : ",")
          .append("{\"name\":\"s")
          .append(i)
          .append("\",\"price\":")
          .append(100 + (i * 37 % 11) / 10.0)
          .append('}');
    }
    this.realisticInput = feed.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    String list =
        System.getProperty(
            "md.bombs",
            "plugin/src/test/resources/io/nsl/js/hostile/54-bomb-typed-arrays.js,"
                + "plugin/src/test/resources/io/nsl/js/hostile/53-bomb-array-buffers.js,"
                + "bench/memory/bomb-push-arrays.js,"
                + "bench/memory/bomb-big-chunks.js");
    for (String f : list.split(",")) {
      Path p = root.resolve(f.trim());
      bombs.put(p.getFileName().toString().replace(".js", ""), Files.readString(p));
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("nsl.root", ".")).toAbsolutePath();
    new MemoryDecisionBench(root).runAll();
  }

  private void runAll() throws Exception {
    long t0 = System.nanoTime();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    progress("load before: " + loadBefore);
    workerPhase();
    soloWorkerPhase();
    inProcessPhase();
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    line("# memory decision: in-process guard vs worker JVMs");
    line("");
    line("- load before: `" + loadBefore + "`, after: `" + loadAfter + "`");
    line(
        String.format(
            "- whole run: %.0f s; %d cores; in-process heap -Xmx%d m; workers -Xmx%s",
            secs(System.nanoTime() - t0),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            workerXmx));
    line(
        String.format(
            "- warm-up %d s per setup (2 callers), %d measured runs per function, %d runs per bomb,"
                + " %d innocent streams running the realistic function during each bomb",
            warmupSeconds, runs, bombReps, INNOCENT_STREAMS));
    line("- executions in the warm-up: " + String.join("; ", warmUps));
    line("");
    line("## Memory bombs");
    line("");
    line(
        "| approach | bomb | outcomes | time to stop (s, each run) | process survived |"
            + " innocent runs during the bomb: OK / all (failed as) | innocent OK runs p95 / max ms |"
            + " next ordinary run |");
    line("|---|---|---|---|---|---|---|---|");
    bombRows.forEach(this::line);
    line("");
    line("## Per-execution overhead (after warm-up, one caller, sequential)");
    line("");
    line(
        "| approach | function | median ms | p95 ms | CPU ms per execution (all processes) |"
            + " in-worker execute median ms (same runs) |");
    line("|---|---|---|---|---|---|");
    overheadRows.forEach(this::line);
    line("");
    line("## Resident memory (VmRSS)");
    line("");
    line("| approach | when | parent MB | workers MB (each) | total MB |");
    line("|---|---|---|---|---|");
    memoryRows.forEach(this::line);
    line("");
    line("## Start-up: the cost of each crash");
    line("");
    line("| what | n | median s | max s | of which engine start (median s) |");
    line("|---|---|---|---|---|");
    startRows.forEach(this::line);
    System.out.print(out);
    Files.writeString(root.resolve("bench/target/memory-decision.md"), out);
  }

  // ---------------------------------------------------------------- worker JVMs

  private List<String> workerCommand(int slots) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> c = new ArrayList<>(List.of(java));
    c.addAll(JitFlags.forRoot(root));
    c.addAll(
        List.of(
            "-Xmx" + workerXmx,
            "-Xss16m",
            "-XX:+ExitOnOutOfMemoryError",
            // ExitOnOutOfMemoryError's last words would otherwise land in the frame stream.
            "-XX:+DisplayVMOutputToStderr",
            "-DNSL_LOG_LEVEL=WARN",
            "-Dworker.concurrency=" + slots,
            "-cp",
            System.getProperty("java.class.path"),
            WorkerMain.class.getName()));
    return c;
  }

  private Runner via(Supervisor s) {
    return (fid, code, input) -> {
      long t = System.nanoTime();
      Result r = s.execute(fid, code, input, GAS, Map.of());
      long n = System.nanoTime() - t;
      return new Outcome(
          ErrorKind.fromCode(r.status()),
          r.resultJsonString(),
          r.errorMessage(),
          n,
          r.executeNanos());
    };
  }

  private void workerPhase() throws Exception {
    String name = "worker JVMs (" + workers + " × " + workerSlots + " slots)";
    progress("== " + name);
    Path logs = Files.createDirectories(root.resolve("bench/target/worker-logs"));
    try (Supervisor s = new Supervisor(workerCommand(workerSlots), workers, workerSlots, logs)) {
      s.awaitReady(Duration.ofMinutes(3));
      Runner r = via(s);
      LongSupplier cpu =
          () ->
              processCpuNanos()
                  + s.workerPids().stream().mapToLong(MemoryDecisionBench::procCpuNanos).sum();
      warmUp(name, r);
      memoryRow(name, "after warm-up", s.workerPids());
      overhead(name, r, "trivial", trivial, "null".getBytes(StandardCharsets.UTF_8), cpu, s);
      overhead(name, r, "realistic", realistic, realisticInput, cpu, s);
      long[] rtt = new long[pings];
      for (int i = 0; i < pings; i++) {
        rtt[i] = s.ping();
      }
      Arrays.sort(rtt);
      overheadRows.add(
          String.format(
              "| %s | one pipe round trip (ping: the floor of a host call served by the parent) |"
                  + " %.3f | %.3f | | |",
              name, ms(pct(rtt, 50)), ms(pct(rtt, 95))));
      for (Map.Entry<String, String> b : bombs.entrySet()) {
        bombRow(name, b.getKey(), r, b.getValue(), s);
      }
      s.awaitReady(Duration.ofMinutes(3));
      memoryRow(name, "after the bombs (restarted workers)", s.workerPids());
      startRows(s.starts());
    }
  }

  private void soloWorkerPhase() throws Exception {
    String name = "worker JVMs (" + soloWorkers + " × 1 slot)";
    progress("== " + name);
    Path logs = Files.createDirectories(root.resolve("bench/target/worker-logs-solo"));
    try (Supervisor s = new Supervisor(workerCommand(1), soloWorkers, 1, logs)) {
      s.awaitReady(Duration.ofMinutes(3));
      Runner r = via(s);
      Map.Entry<String, String> first = bombs.entrySet().iterator().next();
      bombRow(name, first.getKey(), r, first.getValue(), s);
      s.awaitReady(Duration.ofMinutes(3));
      memoryRow(name, "after the bombs, no warm-up", s.workerPids());
    }
  }

  private void startRows(List<Supervisor.Start> starts) {
    for (boolean restart : new boolean[] {false, true}) {
      long[] total =
          starts.stream()
              .filter(x -> x.restart() == restart)
              .mapToLong(Supervisor.Start::spawnToReadyNanos)
              .sorted()
              .toArray();
      long[] engine =
          starts.stream()
              .filter(x -> x.restart() == restart)
              .mapToLong(Supervisor.Start::engineStartNanos)
              .sorted()
              .toArray();
      if (total.length > 0) {
        startRows.add(
            String.format(
                "| worker JVM %s: spawn → ready (JVM start + engine start with its 30 warm-up runs) |"
                    + " %d | %.1f | %.1f | %.1f |",
                restart ? "restart after a crash (others busy)" : "first start (all at once)",
                total.length,
                secs(pct(total, 50)),
                secs(total[total.length - 1]),
                secs(pct(engine, 50))));
      }
    }
  }

  // ---------------------------------------------------------------- in-process

  private void inProcessPhase() throws Exception {
    String name = "in-process guard (" + inProcessSlots + " guest threads)";
    progress("== " + name);
    Map<String, InMemoryFunctionStateStore> stores = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    try (JavaScriptEngine engine =
        JavaScriptEngine.start(
            new EngineConfig(ExecutionLimits.defaults(), inProcessSlots, true, 30))) {
      long started = System.nanoTime() - t0;
      startRows.add(
          String.format(
              "| in-process: engine start in the running service JVM (no JVM start) | 1 | %.1f |"
                  + " %.1f | %.1f |",
              secs(started), secs(started), secs(started)));
      Runner r =
          (fid, code, input) -> {
            HostServices host =
                new HostServices(
                    stores.computeIfAbsent(fid, k -> new InMemoryFunctionStateStore(1 << 20)),
                    new MapSecretsView(Map.of()),
                    b -> Arrays.fill(b, (byte) 4),
                    FetchPolicy.denyAll());
            long t = System.nanoTime();
            ExecutionResult x =
                engine.execute(
                    new ExecutionRequest(
                        fid,
                        "owner",
                        "r",
                        code,
                        input,
                        Optional.empty(),
                        GAS,
                        Instant.EPOCH,
                        host));
            long n = System.nanoTime() - t;
            return new Outcome(x.status(), x.resultJsonString(), x.errorMessage(), n, n);
          };
      warmUp(name, r);
      memoryRow(name, "after warm-up", List.of());
      overhead(
          name,
          r,
          "trivial",
          trivial,
          "null".getBytes(StandardCharsets.UTF_8),
          MemoryDecisionBench::processCpuNanos,
          null);
      overhead(
          name,
          r,
          "realistic",
          realistic,
          realisticInput,
          MemoryDecisionBench::processCpuNanos,
          null);
      for (Map.Entry<String, String> b : bombs.entrySet()) {
        bombRow(name, b.getKey(), r, b.getValue(), null);
      }
      memoryRow(name, "after the bombs", List.of());
    }
  }

  // ---------------------------------------------------------------- the measurements

  private void warmUp(String name, Runner r) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
    AtomicBoolean failed = new AtomicBoolean();
    List<Thread> callers = new ArrayList<>();
    long[] count = new long[2];
    for (int c = 0; c < 2; c++) {
      int me = c;
      callers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (System.nanoTime() < end) {
                        for (int i = 0; i < 10; i++) {
                          check(
                              r.run("warm", trivial, "1".getBytes(StandardCharsets.UTF_8)),
                              "warm-up trivial");
                        }
                        check(r.run("warm-" + me, realistic, realisticInput), "warm-up realistic");
                        count[me] += 11;
                      }
                    } catch (InterruptedException | RuntimeException e) {
                      failed.set(true);
                      e.printStackTrace();
                    }
                  }));
    }
    for (Thread t : callers) {
      t.join();
    }
    if (failed.get()) {
      throw new IllegalStateException("an ordinary run failed during warm-up; see above");
    }
    warmUps.add(name + ": " + (count[0] + count[1]));
    progress("warm-up: " + (count[0] + count[1]) + " executions in " + warmupSeconds + " s");
  }

  private void overhead(
      String name, Runner r, String fn, String code, byte[] input, LongSupplier cpu, Supervisor s)
      throws InterruptedException {
    long[] lat = new long[runs];
    long[] inner = new long[runs];
    long cpu0 = cpu.getAsLong();
    for (int i = 0; i < runs; i++) {
      Outcome o = check(r.run("overhead-" + fn, code, input), fn);
      lat[i] = o.nanos();
      inner[i] = o.innerNanos();
    }
    long cpuUsed = cpu.getAsLong() - cpu0;
    Arrays.sort(lat);
    Arrays.sort(inner);
    String inWorker = s == null ? "" : String.format("%.3f", ms(pct(inner, 50)));
    overheadRows.add(
        String.format(
            "| %s | %s | %.3f | %.3f | %.3f | %s |",
            name, fn, ms(pct(lat, 50)), ms(pct(lat, 95)), ms(cpuUsed / runs), inWorker));
    progress(overheadRows.getLast());
  }

  private void bombRow(String name, String bomb, Runner r, String code, Supervisor s)
      throws InterruptedException {
    List<String> kinds = new ArrayList<>();
    List<String> times = new ArrayList<>();
    List<String> survived = new ArrayList<>();
    List<String> next = new ArrayList<>();
    long innocentOk = 0;
    long innocentAll = 0;
    Map<String, Integer> innocentFailed = new TreeMap<>();
    List<Long> innocentNanos = new ArrayList<>();
    for (int rep = 0; rep < bombReps; rep++) {
      if (s != null) {
        s.awaitReady(Duration.ofMinutes(3));
      }
      int deathsBefore = s == null ? 0 : s.deaths().size();
      AtomicBoolean stop = new AtomicBoolean();
      List<Outcome> innocents = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> streams = new ArrayList<>();
      for (int k = 0; k < INNOCENT_STREAMS; k++) {
        String fid = "innocent-" + k;
        streams.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        while (!stop.get()) {
                          innocents.add(r.run(fid, realistic, realisticInput));
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      Thread.sleep(300); // the innocents are running when the bomb arrives
      Outcome b = r.run("bomb", code, "null".getBytes(StandardCharsets.UTF_8));
      Outcome after = r.run("after", trivial, "1".getBytes(StandardCharsets.UTF_8));
      stop.set(true);
      for (Thread t : streams) {
        t.join();
      }
      kinds.add(b.kind().name());
      times.add(String.format("%.1f", secs(b.nanos())));
      if (s == null) {
        survived.add("yes");
      } else {
        List<Supervisor.Death> d = s.deaths().subList(deathsBefore, s.deaths().size());
        survived.add(
            d.isEmpty()
                ? "yes"
                : "worker died (exit "
                    + d.stream()
                        .map(x -> Integer.toString(x.exitCode()))
                        .collect(Collectors.joining(","))
                    + ")");
      }
      next.add(
          after.kind() == ErrorKind.OK
              ? String.format("OK %.0f ms", ms(after.nanos()))
              : after.kind().name());
      synchronized (innocents) {
        for (Outcome o : innocents) {
          innocentAll++;
          if (o.kind() == ErrorKind.OK) {
            innocentOk++;
            innocentNanos.add(o.nanos());
          } else {
            innocentFailed.merge(o.kind().name(), 1, Integer::sum);
          }
        }
      }
      progress(
          name
              + " "
              + bomb
              + " #"
              + rep
              + ": "
              + b.kind()
              + " in "
              + times.getLast()
              + " s, "
              + survived.getLast()
              + ", next "
              + next.getLast()
              + ", bomb says: "
              + b.error());
    }
    bombRows.add(
        String.format(
            "| %s | %s | %s | %s | %s | %d / %d%s | %s | %s |",
            name,
            bomb,
            summarise(kinds),
            String.join(", ", times),
            summarise(survived),
            innocentOk,
            innocentAll,
            innocentFailed.isEmpty() ? "" : " (" + innocentFailed + ")",
            tail(innocentNanos),
            String.join(", ", next)));
  }

  private void memoryRow(String name, String when, List<Long> workerPids) throws IOException {
    long parent = rssKb(ProcessHandle.current().pid());
    long[] w = workerPids.stream().mapToLong(MemoryDecisionBench::rssKbUnchecked).toArray();
    long total = parent + Arrays.stream(w).sum();
    memoryRows.add(
        String.format(
            "| %s | %s | %d | %s | %d |",
            name,
            when,
            parent >> 10,
            w.length == 0
                ? "—"
                : Arrays.stream(w)
                    .mapToObj(x -> Long.toString(x >> 10))
                    .collect(Collectors.joining(", ")),
            total >> 10));
    progress(memoryRows.getLast());
  }

  // ---------------------------------------------------------------- helpers

  private static Outcome check(Outcome o, String what) {
    if (o.kind() != ErrorKind.OK) {
      throw new IllegalStateException(what + " failed: " + o.kind() + " " + o.error());
    }
    return o;
  }

  private static String tail(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "—";
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format("%.0f / %.0f", ms(pct(sorted, 95)), ms(sorted[sorted.length - 1]));
  }

  private static String summarise(List<String> xs) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String x : xs) {
      counts.merge(x, 1L, Long::sum);
    }
    return counts.entrySet().stream()
        .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " ×" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a process from /proc/PID/stat, in nanoseconds (0 if it is gone). */
  static long procCpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After the comm field: state is f[0], so utime (field 14) is f[11] and stime f[12].
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException e) {
      return 0;
    }
  }

  static long rssKb(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  private static long rssKbUnchecked(long pid) {
    try {
      return rssKb(pid);
    } catch (IOException e) {
      return 0;
    }
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  private static void progress(String s) {
    System.err.println("# " + s);
  }
}
