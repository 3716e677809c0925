package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Standard JavaScript, measured: NSL's pinned selection of test262 (resources/test262, revision and
 * selection in its REVISION file) runs through the production execution path ({@link
 * JavaScriptEngine#execute}: prelude, frozen intrinsics, gas, one fresh context per run on one
 * engine) and on plain GraalJS (the same jars, a default context), sloppy and strict where test262
 * asks for both. {@code expectations.txt} lists every test that passes on plain GraalJS and fails
 * in the sandbox, with its reason. The suite fails when such a test is not listed, and when a
 * listed one passes in the sandbox (or no longer passes on plain GraalJS), so the list stays true.
 * It prints the table docs/functions.md carries and writes it to target/test262-table.md.
 *
 * <p>Runs go to one thread per core ({@code -Dtest262.threads=N} to change it); each run is a fresh
 * context on both sides, so the order they finish in changes nothing.
 *
 * <p>{@code -Dtest262.record=true} rewrites expectations.txt from this run instead (a reason is
 * guessed from the sandbox's message; check every guess before committing).
 */
class Test262Test {
  /** The areas of the table, by path prefix (as vendor.py picked them). */
  private static final Map<String, String> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put("test/built-ins/Array/", "Array");
    AREAS.put("test/built-ins/TypedArray/", "TypedArray");
    AREAS.put("test/built-ins/TypedArrayConstructors/", "TypedArray");
    AREAS.put("test/built-ins/JSON/", "JSON");
    AREAS.put("test/built-ins/Date/", "Date");
    AREAS.put("test/built-ins/Math/", "Math");
    AREAS.put("test/built-ins/Promise/", "Promise");
    AREAS.put("test/built-ins/Object/", "Object");
    AREAS.put("test/built-ins/String/", "String");
    AREAS.put("test/built-ins/RegExp/", "RegExp");
    AREAS.put("test/built-ins/BigInt/", "BigInt");
    AREAS.put("test/built-ins/Map/", "Map/Set");
    AREAS.put("test/built-ins/Set/", "Map/Set");
    AREAS.put("test/built-ins/Proxy/", "Proxy/Reflect");
    AREAS.put("test/built-ins/Reflect/", "Proxy/Reflect");
    AREAS.put("test/built-ins/Symbol/", "Symbol");
    AREAS.put("test/language/expressions/", "language/expressions");
    AREAS.put("test/language/statements/", "language/statements");
  }

  /** Why the sandbox may fail a test plain GraalJS passes. */
  enum Reason {
    FROZEN_INTRINSICS("frozen-intrinsics", "by design: the core intrinsics are frozen"),
    REMOVED_GLOBAL("removed-global", "by design: a global NSL removes (print, WeakRef, ...)"),
    DETERMINISM("determinism", "by design: a deterministic sandbox (gas, no timers)"),
    GAS_ARRAY_LIKE(
        "gas-array-like",
        "by design: an Array.prototype method on an array-like is charged its whole length before"
            + " it runs, so a search that stops early over a huge length runs out of gas"),
    SANDBOX_POLICY("sandbox-policy", "GraalJS gap: the CONSTRAINED sandbox policy lacks it");

    final String code;
    final String meaning;

    Reason(String code, String meaning) {
      this.code = code;
      this.meaning = meaning;
    }

    static Reason of(String code) {
      for (Reason r : values()) {
        if (r.code.equals(code)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "unknown reason '" + code + "' in expectations.txt; use one of " + List.of(values()));
    }
  }

  /**
   * Stands in for the host hooks test262 expects ($262, $DONE); the same for both engines. Async
   * tests end in $DONE, which settles the promise main returns.
   */
  private static final String SHIM =
      "var $NSL_done; var $NSL_async = new Promise(function (ok, fail) { $NSL_done = function (e)"
          + " { if (e === undefined) { ok('ok'); } else { fail(e); } }; });\n"
          + "function $DONE(e) { $NSL_done(e); }\n"
          + "var $262 = { global: globalThis, evalScript: function (s) { return (0, eval)(s); },"
          + " detachArrayBuffer: function (b) { b.transfer(); } };\n";

  private static final Pattern META = Pattern.compile("(?s)/\\*---(.*?)---\\*/");
  private static final Pattern NEGATIVE =
      Pattern.compile("(?m)^negative:\\s*\\n\\s+phase:\\s*(\\w+)\\s*\\n\\s+type:\\s*(\\w+)");

  record Run(
      String path, String mode, String code, boolean async, String negPhase, String negType) {
    String key() {
      return path + " " + mode;
    }
  }

  @Test
  void sandboxDeviatesFromPlainGraalJsOnlyWhereListed() throws IOException, URISyntaxException {
    Path root = Path.of(Test262Test.class.getResource("/test262/REVISION").toURI()).getParent();
    List<Run> runs = load(root);
    Map<String, Reason> expected = readExpectations(root.resolve("expectations.txt"));
    boolean record = Boolean.getBoolean("test262.record");

    // Every run is independent (a fresh context on each side), so runs go to a pool of threads,
    // one per core: the sandbox's guest threads and plain GraalJS's contexts keep both cores busy
    // where one thread left the second to the JIT alone. Results are collected by run key and the
    // table is made in the runs' order, so it does not depend on the scheduling.
    int threads = Integer.getInteger("test262.threads", Runtime.getRuntime().availableProcessors());
    Map<String, String> sandboxFailures = new ConcurrentHashMap<>();
    Map<String, Boolean> plainPass = new ConcurrentHashMap<>();
    long wall0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    // The deadline only stops a run that hangs; it is no timing claim. The heaviest files (typed
    // arrays' copyWithin with a detaching valueOf, a 10,000-element array per constructor) took
    // 10-20 s on a loaded 2-core machine and ran past 30 s at load 30.
    try (JavaScriptEngine sandbox =
            JavaScriptEngine.start(
                EngineConfig.defaults()
                    .withLimits(ExecutionLimits.defaults().withTimeout(Duration.ofSeconds(120))));
        // Plain GraalJS runs interpreted: the same semantics, without compiling a thousand
        // scripts that each run once.
        Engine plain =
            Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .allowExperimentalOptions(true)
                .option("engine.Compilation", "false")
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
      AtomicInteger done = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (Run r : runs) {
        futures.add(
            pool.submit(
                () -> {
                  String failure = runInSandbox(sandbox, r);
                  if (failure != null) {
                    sandboxFailures.put(r.key(), failure);
                  }
                  plainPass.put(r.key(), runOnPlain(plain, r) == null);
                  int n = done.incrementAndGet();
                  if (n % 250 == 0) {
                    System.out.printf(
                        "test262: %d of %d runs, %d s%n",
                        n, runs.size(), (System.nanoTime() - wall0) / 1_000_000_000L);
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new AssertionError("a test262 run failed in the runner itself", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while running test262", e);
        }
      }
    }

    List<String> problems = new ArrayList<>();
    Map<String, Reason> found = new TreeMap<>();
    for (Run r : runs) {
      boolean sandboxOk = !sandboxFailures.containsKey(r.key());
      boolean plainOk = plainPass.get(r.key());
      Reason listed = expected.get(r.key());
      if (plainOk && !sandboxOk) {
        found.put(r.key(), listed != null ? listed : guess(sandboxFailures.get(r.key())));
        if (listed == null) {
          problems.add(
              r.key()
                  + ": passes on plain GraalJS, fails in the sandbox, not listed: "
                  + sandboxFailures.get(r.key()));
        }
      } else if (listed != null) {
        problems.add(
            r.key()
                + ": listed as "
                + listed.code
                + " but "
                + (sandboxOk ? "passes in the sandbox" : "fails on plain GraalJS too")
                + "; remove it from expectations.txt");
      }
    }
    for (String k : expected.keySet()) {
      if (!plainPass.containsKey(k)) {
        problems.add(k + ": listed in expectations.txt but not in the selection");
      }
    }
    String table = table(runs, sandboxFailures, plainPass, found);
    System.out.println(table);
    System.out.printf(
        "test262: %d runs on %d thread(s): %.1f s wall, %.1f s of process CPU (JIT included),"
            + " %.1f s of process CPU since the JVM started; load %s%n",
        runs.size(),
        threads,
        (System.nanoTime() - wall0) / 1e9,
        (processCpuNanos() - cpu0) / 1e9,
        processCpuNanos() / 1e9,
        loadAverage());
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "test262-table.md"), table);
    if (record) {
      writeExpectations(root, found, sandboxFailures);
      return;
    }
    assertTrue(
        problems.isEmpty(),
        problems.size() + " test262 problem(s):\n" + String.join("\n", problems));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  // ---- loading -------------------------------------------------------------------------------

  private static List<Run> load(Path root) throws IOException {
    Map<String, String> harness = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root.resolve("test"))) {
      files = s.filter(p -> p.toString().endsWith(".js")).sorted().toList();
    }
    List<Run> runs = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      String rel = root.relativize(f).toString().replace('\\', '/');
      Matcher mm = META.matcher(text);
      String meta = mm.find() ? mm.group(1) : "";
      List<String> flags = listed(meta, "flags");
      boolean async = flags.contains("async");
      boolean raw = flags.contains("raw");
      String negPhase = null;
      String negType = null;
      Matcher neg = NEGATIVE.matcher(meta);
      if (neg.find()) {
        negPhase = neg.group(1);
        negType = neg.group(2);
      }
      StringBuilder body = new StringBuilder();
      if (!raw) {
        body.append(SHIM);
        for (String h : includes(meta, async)) {
          body.append(harness.computeIfAbsent(h, n -> readHarness(root, n))).append('\n');
        }
      }
      body.append(text);
      body.append("\nfunction main() { return ").append(async ? "$NSL_async" : "'ok'");
      body.append("; }\n");
      boolean strictOnly = flags.contains("onlyStrict");
      boolean sloppyOnly = flags.contains("noStrict") || raw;
      if (!strictOnly) {
        runs.add(new Run(rel, "sloppy", body.toString(), async, negPhase, negType));
      }
      if (!sloppyOnly) {
        runs.add(new Run(rel, "strict", "'use strict';\n" + body, async, negPhase, negType));
      }
    }
    assertTrue(runs.size() > 1000, "only " + runs.size() + " test262 runs were found");
    return runs;
  }

  private static List<String> includes(String meta, boolean async) {
    List<String> out = new ArrayList<>(List.of("assert.js", "sta.js"));
    for (String i : listed(meta, "includes")) {
      // $DONE comes from the shim; doneprintHandle.js would print.
      if (!i.equals("doneprintHandle.js") && !out.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private static List<String> listed(String meta, String key) {
    Matcher inline = Pattern.compile("(?m)^\\s*" + key + ":\\s*\\[(.*?)\\]").matcher(meta);
    List<String> out = new ArrayList<>();
    if (inline.find()) {
      for (String s : inline.group(1).split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    }
    Matcher block =
        Pattern.compile("(?m)^\\s*" + key + ":\\s*\\n((?:\\s+-\\s*.*\\n)+)").matcher(meta);
    if (block.find()) {
      for (String line : block.group(1).split("\n")) {
        String t = line.strip();
        if (t.startsWith("-")) {
          out.add(t.substring(1).strip());
        }
      }
    }
    return out;
  }

  private static String readHarness(Path root, String name) {
    try {
      return Files.readString(root.resolve("harness").resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("test262 harness file " + name + " is missing", e);
    }
  }

  // ---- running -------------------------------------------------------------------------------

  /** null when the test passes in the sandbox, else what went wrong. */
  private static String runInSandbox(JavaScriptEngine sandbox, Run r) {
    ExecutionResult res =
        sandbox.execute(
            Requests.of(r.code(), "null", sandbox.limits().maxGasLimit(), Requests.host(Map.of())));
    String msg = res.status() + ": " + res.errorMessage();
    if (r.negPhase() != null) {
      boolean early = r.negPhase().equals("parse") || r.negPhase().equals("resolution");
      if (early) {
        return res.status() == ErrorKind.SYNTAX_ERROR ? null : "expected a SyntaxError; " + msg;
      }
      boolean thrown =
          res.status() == ErrorKind.RUNTIME_ERROR
              && (res.errorMessage().startsWith(r.negType() + ":")
                  || res.errorMessage()
                      .startsWith("the script threw at top level: " + r.negType()));
      return thrown ? null : "expected a " + r.negType() + "; " + msg;
    }
    return res.status() == ErrorKind.OK ? null : msg;
  }

  /** null when the test passes on plain GraalJS, else what went wrong. */
  private static String runOnPlain(Engine plain, Run r) {
    try (Context ctx = Context.newBuilder("js").engine(plain).timeZone(ZoneOffset.UTC).build()) {
      try {
        ctx.eval(Source.newBuilder("js", r.code(), "function.js").buildLiteral());
        Value result = ctx.getBindings("js").getMember("main").execute();
        if (r.async()) {
          Value state =
              ctx.eval(
                      "js",
                      "(function (p) { var s = {v: 'pending'}; p.then(function () { s.v = 'ok'; },"
                          + " function (e) { s.v = 'rejected: ' + e; }); return s; })")
                  .execute(result);
          String v = state.getMember("v").asString();
          return r.negPhase() == null && v.equals("ok") ? null : v;
        }
        return r.negPhase() == null ? null : "no " + r.negType() + " was thrown";
      } catch (PolyglotException e) {
        if (r.negPhase() == null) {
          return String.valueOf(e.getMessage());
        }
        boolean early = r.negPhase().equals("parse") || r.negPhase().equals("resolution");
        if (early) {
          return e.isSyntaxError() ? null : "expected a SyntaxError: " + e.getMessage();
        }
        return String.valueOf(e.getMessage()).startsWith(r.negType()) ? null : e.getMessage();
      }
    }
  }

  // ---- expectations and the table ------------------------------------------------------------

  private static Map<String, Reason> readExpectations(Path file) throws IOException {
    Map<String, Reason> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.contains("#") ? line.substring(0, line.indexOf('#')).strip() : line.strip();
      if (t.isEmpty()) {
        continue;
      }
      String[] parts = t.split("\\s+");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "expectations.txt: '" + line + "' is not 'path mode reason'");
      }
      out.put(parts[0] + " " + parts[1], Reason.of(parts[2]));
    }
    return out;
  }

  private static Reason guess(String failure) {
    String m = failure == null ? "" : failure;
    if (m.contains("is not defined")) {
      return Reason.REMOVED_GLOBAL;
    }
    return Reason.FROZEN_INTRINSICS;
  }

  private static void writeExpectations(
      Path root, Map<String, Reason> found, Map<String, String> failures) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# test262 runs that pass on plain GraalJS and fail in the NSL sandbox: path mode")
        .append(" reason.\n# Reasons: ");
    for (Reason r : Reason.values()) {
      sb.append(r.code).append(" (").append(r.meaning).append("); ");
    }
    sb.append("\n# Test262Test fails on an unlisted deviation and on a listed run that passes.\n");
    for (Map.Entry<String, Reason> e : found.entrySet()) {
      String why = failures.get(e.getKey()).replace('\n', ' ');
      sb.append(e.getKey())
          .append(' ')
          .append(e.getValue().code)
          .append("  # ")
          .append(why, 0, Math.min(why.length(), 140))
          .append('\n');
    }
    Path src = Path.of("src/test/resources/test262/expectations.txt");
    Files.writeString(Files.exists(src.getParent()) ? src : root.resolve("expectations.txt"), sb);
  }

  private static String area(String path) {
    for (Map.Entry<String, String> e : AREAS.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return "other";
  }

  private static String table(
      List<Run> runs,
      Map<String, String> sandboxFailures,
      Map<String, Boolean> plainPass,
      Map<String, Reason> deviations) {
    Map<String, int[]> rows = new LinkedHashMap<>();
    Map<String, Map<Reason, Integer>> reasons = new LinkedHashMap<>();
    for (String a : AREAS.values()) {
      rows.putIfAbsent(a, new int[3]);
      reasons.putIfAbsent(a, new TreeMap<>());
    }
    int[] total = new int[3];
    Map<Reason, Integer> totalReasons = new TreeMap<>();
    for (Run r : runs) {
      String a = area(r.path());
      int[] row = rows.computeIfAbsent(a, k -> new int[3]);
      boolean s = !sandboxFailures.containsKey(r.key());
      boolean p = plainPass.get(r.key());
      for (int[] x : List.of(row, total)) {
        x[0]++;
        x[1] += s ? 1 : 0;
        x[2] += p ? 1 : 0;
      }
      Reason d = deviations.get(r.key());
      if (d != null) {
        reasons.computeIfAbsent(a, k -> new TreeMap<>()).merge(d, 1, Integer::sum);
        totalReasons.merge(d, 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| area | runs | pass in the sandbox | pass on plain GraalJS | deviations by reason |\n");
    sb.append("|---|---:|---:|---:|---|\n");
    for (Map.Entry<String, int[]> e : rows.entrySet()) {
      sb.append(row(e.getKey(), e.getValue(), reasons.get(e.getKey())));
    }
    sb.append(row("**all**", total, totalReasons));
    return sb.toString();
  }

  private static String row(String area, int[] n, Map<Reason, Integer> reasons) {
    StringBuilder why = new StringBuilder();
    for (Map.Entry<Reason, Integer> e : reasons.entrySet()) {
      why.append(why.isEmpty() ? "" : ", ")
          .append(e.getKey().code)
          .append(' ')
          .append(e.getValue());
    }
    return String.format(
        "| %s | %d | %d (%.1f %%) | %d (%.1f %%) | %s |%n",
        area,
        n[0],
        n[1],
        100.0 * n[1] / n[0],
        n[2],
        100.0 * n[2] / n[0],
        why.isEmpty() ? "none" : why);
  }
}
