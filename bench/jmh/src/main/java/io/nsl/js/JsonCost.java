package io.nsl.js;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * Where json_100k's time goes (issue 17, item 9): the same workloads, all ways in one run, taking
 * turns execution by execution (A B C D, then D A B C, ...), each execution costed in CPU time:
 *
 * <ul>
 *   <li>{@code node}: Node {@code vm}, a fresh context per run, in a child process
 *       (bench/node-vs/vm-once.js) that runs one workload per request and answers its process CPU;
 *   <li>{@code graaljs}: plain GraalJS with the same jars: a fresh context per run on a shared
 *       engine with the options production sets, no sandbox, no prelude, no gas instrument; the
 *       calling thread's CPU;
 *   <li>{@code nsl}: the production path ({@link JavaScriptEngine#execute}: fresh context, prelude,
 *       frozen intrinsics, gas, memory count, result), the guest thread's CPU;
 *   <li>{@code nsl-unwrapped}: the same with GraalJS's own {@code JSON.parse} and {@code
 *       JSON.stringify} put back at the end of the prelude (no gas or memory counted for JSON, no
 *       nesting check): what NSL's JSON wrapping costs is the difference to {@code nsl};
 *   <li>one engine per variant prelude file given (e.g. the prelude of an earlier commit, for a
 *       before/after in one run).
 * </ul>
 *
 * The answers of every way must agree with Node's. Reported per workload and way: the median CPU
 * per execution, executions per CPU-second and the ratio to Node (Node's median over the way's). In
 * package {@code io.nsl.js} only to reach {@link JavaScriptEngine#startWithPrelude}. Run with
 * bench/jmh/json-cost.sh [warmupCpuSeconds=60] [measureCpuSeconds=60] [variantPrelude.js ...].
 */
public final class JsonCost {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String FREEZE_ANCHOR = "  const others = [Math, JSON,";
  private static final String UNWRAP =
      "  Object.defineProperty(JSON, 'parse', { value: JSONparse, writable: true,"
          + " enumerable: false, configurable: true });\n"
          + "  Object.defineProperty(JSON, 'stringify', { value: JSONstringify, writable: true,"
          + " enumerable: false, configurable: true });\n";

  private JsonCost() {}

  /** One way of running a workload once; answers the result text and its CPU time. */
  private interface Way extends AutoCloseable {
    String name();

    long[] once(String workload);

    @Override
    void close();
  }

  public static void main(String[] args) throws IOException {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 60;
    if (warm < 0 || measure <= 0) {
      throw new IllegalArgumentException(
          "usage: JsonCost [warmupCpuSeconds >= 0] [measureCpuSeconds > 0] [variantPrelude.js ...]");
    }
    Path root = Path.of(System.getProperty("nsl.root", "."));
    List<String> workloads =
        List.of(
            System.getProperty(
                    "bench.workloads", "json_100k,json_100k_parse,json_100k_stringify,trivial")
                .split(","));
    Map<String, String> code = new java.util.LinkedHashMap<>();
    for (String w : workloads) {
      code.put(w, Files.readString(root.resolve("bench/workloads/" + w + ".js")));
    }
    String prelude = EngineHandle.readPrelude();
    if (prelude.indexOf(FREEZE_ANCHOR) < 0
        || prelude.indexOf(FREEZE_ANCHOR) != prelude.lastIndexOf(FREEZE_ANCHOR)) {
      throw new IllegalStateException(
          "the prelude has no single '" + FREEZE_ANCHOR.trim() + "' line; update JsonCost");
    }
    String unwrapped = prelude.replace(FREEZE_ANCHOR, UNWRAP + FREEZE_ANCHOR);
    System.out.println("# load before: " + loadAverage());
    List<Way> ways = new ArrayList<>();
    try {
      ways.add(new NodeWay(root));
      ways.add(new PlainWay(code));
      ways.add(new NslWay("nsl", JavaScriptEngine.start(EngineConfig.defaults()), code));
      ways.add(
          new NslWay(
              "nsl-unwrapped",
              JavaScriptEngine.startWithPrelude(EngineConfig.defaults(), unwrapped),
              code));
      for (int i = 2; i < args.length; i++) {
        ways.add(
            new NslWay(
                Path.of(args[i]).getFileName().toString(),
                JavaScriptEngine.startWithPrelude(
                    EngineConfig.defaults(), Files.readString(Path.of(args[i]))),
                code));
      }
      int n = ways.size();
      List<String> names = ways.stream().map(Way::name).toList();
      System.out.printf(
          "# %s on %s: warm-up %.0f s of this JVM's CPU, then %.0f s measured; turns execution by"
              + " execution%n",
          String.join(", ", names), String.join(", ", workloads), warm, measure);
      Map<String, String> want = new java.util.HashMap<>();
      for (String w : workloads) {
        want.put(w, new String(((NodeWay) ways.get(0)).answer(w)));
      }
      long warmEnd = OS.getProcessCpuTime() + (long) (warm * 1e9);
      for (int c = 0; OS.getProcessCpuTime() < warmEnd; c++) {
        for (String w : workloads) {
          for (int j = 0; j < n; j++) {
            ways.get((c + j) % n).once(w);
          }
        }
      }
      for (Way way : ways) {
        if (way instanceof NslWay nsl) {
          nsl.findGuestThreads();
        }
      }
      // cpu[workload][way]
      List<List<List<Long>>> cpu = new ArrayList<>();
      for (int i = 0; i < workloads.size(); i++) {
        List<List<Long>> perWay = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          perWay.add(new ArrayList<>());
        }
        cpu.add(perWay);
      }
      long end = OS.getProcessCpuTime() + (long) (measure * 1e9);
      for (int c = 0; OS.getProcessCpuTime() < end; c++) {
        for (int i = 0; i < workloads.size(); i++) {
          String w = workloads.get(i);
          for (int j = 0; j < n; j++) {
            int k = (c + j) % n;
            long[] r = ways.get(k).once(w);
            cpu.get(i).get(k).add(r[0]);
          }
        }
      }
      for (int i = 0; i < workloads.size(); i++) {
        for (Way way : ways) {
          String got = ((Answering) way).lastAnswer(workloads.get(i));
          if (!want.get(workloads.get(i)).equals(got)) {
            throw new IllegalStateException(
                way.name()
                    + " answered "
                    + got
                    + " to "
                    + workloads.get(i)
                    + ", Node "
                    + want.get(workloads.get(i)));
          }
        }
      }
      report(workloads, names, cpu);
    } finally {
      for (Way w : ways) {
        w.close();
      }
    }
    System.out.println("# load after: " + loadAverage());
  }

  private interface Answering {
    String lastAnswer(String workload);
  }

  private static void report(
      List<String> workloads, List<String> names, List<List<List<Long>>> cpu) {
    System.out.println(
        "| workload | way | executions | median CPU µs | p25 | p75 | per CPU-second | / Node |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < workloads.size(); i++) {
      double node = median(cpu.get(i).get(0));
      for (int j = 0; j < names.size(); j++) {
        List<Long> xs = cpu.get(i).get(j);
        double med = median(xs);
        System.out.printf(
            "| %s | %s | %d | %.0f | %.0f | %.0f | %.1f | %.2fx |%n",
            workloads.get(i),
            names.get(j),
            xs.size(),
            med / 1e3,
            quantile(xs, 0.25) / 1e3,
            quantile(xs, 0.75) / 1e3,
            1e9 / med,
            node / med);
      }
    }
  }

  /** Node {@code vm} in a child process (bench/node-vs/vm-once.js). */
  private static final class NodeWay implements Way, Answering {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Map<String, String> last = new java.util.HashMap<>();

    NodeWay(Path root) throws IOException {
      process =
          new ProcessBuilder("node", root.resolve("bench/node-vs/vm-once.js").toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
      return "node";
    }

    String answer(String workload) {
      once(workload);
      return last.get(workload);
    }

    @Override
    public long[] once(String workload) {
      try {
        in.write(workload + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
          throw new IllegalStateException("node exited; see its error output above");
        }
        String[] f = line.split(" ");
        last.put(workload, f[0]);
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
      } catch (IOException e) {
        throw new UncheckedIOException("talking to node failed", e);
      }
    }

    @Override
    public String lastAnswer(String workload) {
      return last.get(workload);
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  /** Plain GraalJS: same jars and engine options, no sandbox, no prelude, no gas instrument. */
  private static final class PlainWay implements Way, Answering {
    private final Engine engine;
    private final Map<String, Source> sources = new java.util.HashMap<>();
    private final Map<String, String> last = new java.util.HashMap<>();

    PlainWay(Map<String, String> code) {
      engine =
          Engine.newBuilder("js")
              .out(OutputStream.nullOutputStream())
              .err(OutputStream.nullOutputStream())
              .option("engine.WarnInterpreterOnly", "false")
              .option("js.load", "false")
              .option("js.print", "false")
              .option("js.console", "false")
              .option("js.graal-builtin", "false")
              .build();
      code.forEach(
          (w, text) ->
              sources.put(
                  w,
                  Source.newBuilder("js", text + "\n;JSON.stringify(main(null));", w + ".js")
                      .cached(true)
                      .buildLiteral()));
    }

    @Override
    public String name() {
      return "graaljs";
    }

    @Override
    public long[] once(String workload) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      try (Context c = Context.newBuilder("js").engine(engine).build()) {
        last.put(workload, c.eval(sources.get(workload)).asString());
      }
      return new long[] {THREADS.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0};
    }

    @Override
    public String lastAnswer(String workload) {
      return last.get(workload);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** The production path on an engine with the given prelude. */
  private static final class NslWay implements Way, Answering {
    private final String name;
    private final JavaScriptEngine engine;
    private final Map<String, ExecutionRequest> requests = new java.util.HashMap<>();
    private final Map<String, String> last = new java.util.HashMap<>();
    private long[] guests = new long[0];

    NslWay(String name, JavaScriptEngine engine, Map<String, String> code) {
      this.name = name;
      this.engine = engine;
      code.forEach((w, text) -> requests.put(w, request(text)));
    }

    /**
     * The guest threads of every engine in this JVM (all name theirs nsl-js-guest-N); their pools
     * are fixed, and one execution runs at a time, on one of them, so the sum's change over an
     * execution is its CPU.
     */
    void findGuestThreads() {
      List<Long> ids = new ArrayList<>();
      for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
        if (t.getThreadName().startsWith("nsl-js-guest-")) {
          ids.add(t.getThreadId());
        }
      }
      guests = ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long[] once(String workload) {
      long c0 = guestCpu();
      long w0 = System.nanoTime();
      ExecutionResult r = engine.execute(requests.get(workload));
      long wall = System.nanoTime() - w0;
      long cpu = guestCpu() - c0;
      if (!r.ok()) {
        throw new IllegalStateException(name + " failed " + workload + ": " + r);
      }
      last.put(workload, r.resultJsonString());
      return new long[] {cpu, wall};
    }

    private long guestCpu() {
      long sum = 0;
      for (long id : guests) {
        long c = THREADS.getThreadCpuTime(id);
        if (c > 0) {
          sum += c;
        }
      }
      return sum;
    }

    @Override
    public String lastAnswer(String workload) {
      return last.get(workload);
    }

    @Override
    public void close() {
      engine.close();
    }
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
        "null".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        100_000_000,
        Instant.EPOCH,
        host);
  }

  private static double median(List<Long> xs) {
    long[] s = xs.stream().mapToLong(Long::longValue).toArray();
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
