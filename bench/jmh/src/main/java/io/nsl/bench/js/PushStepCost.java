package io.nsl.bench.js;

import io.nsl.js.EngineConfig;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * What one element of a {@code push} bomb costs once compiled (decision 0710, "Fifth session"): n
 * single-argument pushes in a loop, in a fresh context each call, on plain GraalJS (no sandbox, no
 * instrument, no prelude), on plain GraalJS with a four-line counting wrapper like the prelude's,
 * and through {@link JavaScriptEngine#execute} (CONSTRAINED sandbox, gas and memory instrument, the
 * prelude's wrapper). Each way runs the same source again and again ("same": compiled after the
 * first calls) and a new source each call ("fresh": what an attacker's new upload meets). The ways
 * alternate round by round, so the machine's load falls on all of them alike. Reported: CPU
 * nanoseconds per push of the thread that ran it, median and range of the measured rounds.
 *
 * <p>Run: bench/jmh/push-step-cost.sh [warmCpuSeconds=60] [rounds=5] [n=1000000].
 */
public final class PushStepCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String LOOP =
      "function main(input){ const n = input.n; const a = []; for (let i = 0; i < n; i++)"
          + " a.push(1); return a.length }";
  // The prelude's single-argument push wrapper, in spirit: count inline, flush every 64 KiB to a
  // (here JS) sink, call the original with .call.
  private static final String WRAPPER =
      "(function(){ const P = Array.prototype.push; let bytes = 0; let flushed = 0;"
          + " Object.defineProperty(Array.prototype, 'push', { value: function push(item) {"
          + " if (arguments.length === 1) { bytes += 8; if (bytes >= 65536) { flushed += bytes;"
          + " bytes = 0 } return P.call(this, item) } return Reflect.apply(P, this, arguments) },"
          + " writable: true, configurable: true }) })();\n";

  private static int uploads;

  private PushStepCost() {}

  public static void main(String[] args) {
    double warmCpuSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    System.out.println("# load before: " + RealmFloor.loadAverage());
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> {},
            FetchPolicy.denyAll());
    try (Engine plain =
            Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
        JavaScriptEngine nsl = JavaScriptEngine.start(EngineConfig.defaults())) {
      Source same = Source.create("js", LOOP);
      Source sameWrapped = Source.create("js", WRAPPER + LOOP);
      String input = "{\"n\":" + n + "}";
      Map<String, LongSupplier> ways = new LinkedHashMap<>();
      ways.put("plain GraalJS, same source", () -> plain(plain, same, n));
      ways.put("plain GraalJS + JS wrapper, same source", () -> plain(plain, sameWrapped, n));
      ways.put("NSL engine, same source", () -> nsl(nsl, LOOP, input, host));
      ways.put(
          "plain GraalJS, fresh source", () -> plain(plain, Source.create("js", fresh(LOOP)), n));
      ways.put(
          "plain GraalJS + JS wrapper, fresh source",
          () -> plain(plain, Source.create("js", WRAPPER + fresh(LOOP)), n));
      ways.put("NSL engine, fresh source", () -> nsl(nsl, fresh(LOOP), input, host));
      long cpu0 = processCpu();
      int warmRounds = 0;
      while (processCpu() - cpu0 < (long) (warmCpuSeconds * 1e9)) {
        ways.values().forEach(LongSupplier::getAsLong);
        warmRounds++;
      }
      System.out.printf(
          Locale.ROOT,
          "# warm-up: %d rounds of every way, %.1f s of process CPU; load now: %s%n",
          warmRounds,
          (processCpu() - cpu0) / 1e9,
          RealmFloor.loadAverage());
      Map<String, List<Long>> cpu = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, LongSupplier> w : ways.entrySet()) {
          cpu.computeIfAbsent(w.getKey(), k -> new ArrayList<>()).add(w.getValue().getAsLong());
        }
      }
      System.out.println("| way | CPU ns per push (median) | min | max |");
      System.out.println("|---|---:|---:|---:|");
      for (Map.Entry<String, List<Long>> e : cpu.entrySet()) {
        long[] v = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f |%n",
            e.getKey(),
            v[v.length / 2] / (double) n,
            v[0] / (double) n,
            v[v.length - 1] / (double) n);
      }
    }
    System.out.println("# load after: " + RealmFloor.loadAverage());
  }

  /** CPU nanoseconds of this thread for one call of main(n) in a fresh context. */
  private static long plain(Engine engine, Source source, int n) {
    long c0 = THREADS.getCurrentThreadCpuTime();
    try (Context c = Context.newBuilder("js").engine(engine).build()) {
      c.eval(source);
      int got =
          c.getBindings("js").getMember("main").execute(c.eval("js", "({n: " + n + "})")).asInt();
      if (got != n) {
        throw new IllegalStateException("pushed " + got + " of " + n);
      }
    }
    return THREADS.getCurrentThreadCpuTime() - c0;
  }

  /** CPU nanoseconds of the guest threads for one execution through the service's engine. */
  private static long nsl(JavaScriptEngine engine, String code, String input, HostServices host) {
    long c0 = guestCpu();
    ExecutionResult r =
        engine.execute(
            new ExecutionRequest(
                "bench",
                "bench",
                "push",
                code,
                input.getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                100_000_000,
                Instant.EPOCH,
                host,
                ExecutionRequest.DEFAULT_MEMORY));
    if (!r.ok()) {
      throw new IllegalStateException("the push loop failed: " + r);
    }
    return guestCpu() - c0;
  }

  private static long guestCpu() {
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    long sum = 0;
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && infos[i].getThreadName().startsWith("nsl-js-guest")) {
        sum += Math.max(0, THREADS.getThreadCpuTime(ids[i]));
      }
    }
    return sum;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String fresh(String code) {
    uploads++;
    return "// upload " + uploads + "\n" + code;
  }
}
