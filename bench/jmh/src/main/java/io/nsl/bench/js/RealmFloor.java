package io.nsl.bench.js;

import io.nsl.js.ExecutionRequest;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import io.nsl.js.internal.GasMeterService;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The floor under "trivial executions per core": what one fresh GraalJS context costs before NSL
 * adds anything, next to what NSL's whole execution costs, in one JVM run. Three ways, each warmed
 * then measured (process CPU of all threads, and the calling thread's CPU split by phase):
 *
 * <ol>
 *   <li>{@code bare}: default engine and context on a shared engine, eval a cached "1", call a
 *       cached {@code main}, close;
 *   <li>{@code constrained}: the same under SandboxPolicy.CONSTRAINED with NSL's engine options and
 *       the gas instrument installed;
 *   <li>{@code nsl}: {@code JavaScriptEngine.execute} of the trivial function (prelude, frozen
 *       intrinsics, guest-thread hand-off, deadline timer, result).
 * </ol>
 *
 * Run with bench/jmh/realm-floor.sh [warmupSeconds] [measureSeconds] [ways, e.g. bare,nsl].
 */
public final class RealmFloor {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private RealmFloor() {}

  private static long threadCpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  public static void main(String[] args) {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    System.out.println("# load before: " + loadAverage());
    System.out.println(
        "| way | build µs | first eval (realm init) µs | main µs | close µs | process CPU µs/op |"
            + " ops per CPU-second |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    // A third argument picks the ways to run (e.g. "nsl" alone, for a profile of it).
    java.util.List<String> ways =
        java.util.List.of((args.length > 2 ? args[2] : "bare,constrained,nsl").split(","));
    if (ways.contains("bare")) {
      contexts("bare", false, warm, measure);
    }
    if (ways.contains("constrained")) {
      contexts("constrained", true, warm, measure);
    }
    if (ways.contains("nsl")) {
      nsl(warm, measure);
    }
    System.out.println("# load after: " + loadAverage());
  }

  private static void contexts(String way, boolean constrained, double warm, double measure) {
    Engine.Builder eb = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false");
    if (constrained) {
      eb.sandbox(SandboxPolicy.CONSTRAINED)
          .out(OutputStream.nullOutputStream())
          .err(OutputStream.nullOutputStream())
          .option("js.load", "false")
          .option("js.print", "false")
          .option("js.console", "false")
          .option("js.graal-builtin", "false");
    }
    try (Engine engine = eb.build()) {
      if (constrained
          && engine.getInstruments().get("nsl-gas").lookup(GasMeterService.class) == null) {
        throw new IllegalStateException("the gas instrument did not install");
      }
      Source one = Source.newBuilder("js", "1", "one.js").cached(true).buildLiteral();
      Source user =
          Source.newBuilder("js", "function main(input){ return input }", "user.js")
              .cached(true)
              .buildLiteral();
      long[] phase = new long[4];
      long n = 0;
      long cpu0 = 0;
      long end = 0;
      for (int round = 0; round < 2; round++) {
        java.util.Arrays.fill(phase, 0);
        n = 0;
        cpu0 = OS.getProcessCpuTime();
        end = System.nanoTime() + (long) ((round == 0 ? warm : measure) * 1e9);
        while (System.nanoTime() < end) {
          long t0 = threadCpu();
          Context c = context(engine, constrained);
          long t1 = threadCpu();
          c.eval(one);
          long t2 = threadCpu();
          c.eval(user);
          if (c.getBindings("js").getMember("main").execute(5).asInt() != 5) {
            throw new IllegalStateException("main returned the wrong value");
          }
          long t3 = threadCpu();
          c.close(true);
          long t4 = threadCpu();
          phase[0] += t1 - t0;
          phase[1] += t2 - t1;
          phase[2] += t3 - t2;
          phase[3] += t4 - t3;
          n++;
        }
      }
      row(way, phase, n, OS.getProcessCpuTime() - cpu0);
    }
  }

  private static Context context(Engine engine, boolean constrained) {
    Context.Builder cb = Context.newBuilder("js").engine(engine);
    if (constrained) {
      cb.sandbox(SandboxPolicy.CONSTRAINED)
          .allowHostAccess(HostAccess.CONSTRAINED)
          .allowPolyglotAccess(PolyglotAccess.NONE)
          .allowIO(IOAccess.NONE)
          .allowCreateThread(false)
          .allowNativeAccess(false)
          .allowCreateProcess(false)
          .allowEnvironmentAccess(EnvironmentAccess.NONE)
          .allowHostClassLookup(name -> false)
          .in(InputStream.nullInputStream())
          .out(OutputStream.nullOutputStream())
          .err(OutputStream.nullOutputStream())
          .timeZone(ZoneOffset.UTC);
    }
    return cb.build();
  }

  private static void nsl(double warm, double measure) {
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> java.util.Arrays.fill(b, (byte) 7),
            FetchPolicy.denyAll());
    ExecutionRequest req =
        new ExecutionRequest(
            "bench",
            "NOwner",
            "req",
            "function main(input) { return input; }",
            "5".getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            1_000_000,
            Instant.EPOCH,
            host);
    try (JavaScriptEngine engine = JavaScriptEngine.start(io.nsl.js.EngineConfig.defaults())) {
      long n = 0;
      long cpu0 = 0;
      for (int round = 0; round < 2; round++) {
        n = 0;
        cpu0 = OS.getProcessCpuTime();
        long end = System.nanoTime() + (long) ((round == 0 ? warm : measure) * 1e9);
        while (System.nanoTime() < end) {
          if (!"5".equals(engine.execute(req).resultJsonString())) {
            throw new IllegalStateException("the trivial function returned the wrong value");
          }
          n++;
        }
      }
      long cpu = OS.getProcessCpuTime() - cpu0;
      System.out.printf(
          "| nsl (JavaScriptEngine.execute) | | | | | %.1f | %.0f |%n",
          cpu / 1e3 / n, n / (cpu / 1e9));
    }
  }

  private static void row(String way, long[] phase, long n, long processCpu) {
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f |%n",
        way,
        phase[0] / 1e3 / n,
        phase[1] / 1e3 / n,
        phase[2] / 1e3 / n,
        phase[3] / 1e3 / n,
        processCpu / 1e3 / n,
        n / (processCpu / 1e9));
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
