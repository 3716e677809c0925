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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time per unit of gas, workload by workload (issue 17 item 3): is any kind of work much
 * cheaper in gas than the rest? Each workload is a function whose work grows with {@code input.n};
 * it runs at n and at 2n, alternating, and the marginal cost is (CPU(2n) - CPU(n)) / (gas(2n) -
 * gas(n)), in process CPU nanoseconds (all threads, as decision 0024 asks), so the fixed cost of a
 * context and the 1,000 gas it is charged cancel out. Prints a Markdown table and the worst and
 * average ns per gas.
 *
 * <p>Run with bench/jmh/cpu-per-gas.sh [warmupSeconds=60] [secondsPerWorkload=4] [repeats=3]: each
 * repeat measures every workload once, and the median of the repeats is reported. {@code
 * -Dnsl.bench.only=TEXT} (in JAVA_OPTS) keeps the workloads whose name contains TEXT.
 */
public final class CpuPerGas {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuPerGas() {}

  /** name -> {code, n}. Each body's work is proportional to n. */
  static Map<String, String[]> workloads() {
    Map<String, String[]> w = new LinkedHashMap<>();
    w.put(
        "statements (arithmetic loop)",
        new String[] {
          "function main(i){ let s = 0; for (let k = 0; k < i.n; k++) s = (s + k * 7) % 1013; return s }",
          "200000"
        });
    w.put(
        "calls (fib)",
        new String[] {
          "function f(n){ return n < 2 ? n : f(n - 1) + f(n - 2) }\nfunction main(i){ let s = 0; for (let k = 0; k < i.n; k++) s += f(12); return s }",
          "200"
        });
    w.put(
        "string +",
        new String[] {
          "function main(i){ let s = ''; for (let k = 0; k < i.n; k++) s += 'ab'; return s.length }",
          "100000"
        });
    w.put(
        "repeat",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < 20; k++) t += 'abc'.repeat(i.n).length; return t }",
          "100000"
        });
    w.put(
        "padStart",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < 20; k++) t += 'x'.padStart(i.n, 'ab').length; return t }",
          "200000"
        });
    w.put(
        "join",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill('abc'); let t = 0; for (let k = 0; k < 10; k++) t += a.join(',').length; return t }",
          "50000"
        });
    w.put(
        "split",
        new String[] {
          "function main(i){ const s = 'ab,'.repeat(i.n); let t = 0; for (let k = 0; k < 5; k++) t += s.split(',').length; return t }",
          "50000"
        });
    w.put(
        "replace regex /g",
        new String[] {
          "function main(i){ const s = 'hello world '.repeat(i.n); return s.replace(/o/g, '0').length }",
          "20000"
        });
    // The many-match shapes of hostile 227 and 228 (decision 0712, seventh session): a match per
    // character, so the per-match work is all there is.
    w.put(
        "replace regex /g, a match per character",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); return s.replace(/a/g, '').length }",
          "20000"
        });
    w.put(
        "replace regex /g with $1",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); return s.replace(/(a)/g, '$1').length }",
          "20000"
        });
    w.put(
        "match regex /g",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); return s.match(/a/g).length }", "20000"
        });
    w.put(
        "split by a regex, no match",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); return s.split(/,/).length }", "20000"
        });
    w.put(
        "matchAll spread [...s.matchAll(/a/g)]",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); return [...s.matchAll(/a/g)].length }",
          "20000"
        });
    w.put(
        "indexOf (scan)",
        new String[] {
          "function main(i){ const s = 'a'.repeat(i.n); let t = 0; for (let k = 0; k < 50; k++) t += s.indexOf('b'); return t }",
          "100000"
        });
    w.put(
        "regex test",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); let t = 0; for (let k = 0; k < 20; k++) t += /c/.test(s) ? 1 : 0; return t }",
          "50000"
        });
    w.put(
        "JSON.stringify",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push({id: k, name: 'item', tags: ['a', 'b']}); let t = 0; for (let k = 0; k < 5; k++) t += JSON.stringify(a).length; return t }",
          "5000"
        });
    w.put(
        "JSON.parse",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push({id: k, name: 'item', tags: ['a', 'b']}); const s = JSON.stringify(a); let t = 0; for (let k = 0; k < 5; k++) t += JSON.parse(s).length; return t }",
          "5000"
        });
    w.put(
        "sort, default order",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push('k' + ((k * 7919) % 100003)); a.sort(); return a[0] }",
          "4000"
        });
    w.put(
        "sort, comparator",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push((k * 7919) % 100003); a.sort((x, y) => x - y); return a[0] }",
          "4000"
        });
    w.put(
        "array slice/concat",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += a.slice().concat(a).length; return t }",
          "20000"
        });
    w.put(
        "array indexOf",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 50; k++) t += a.indexOf(2); return t }",
          "20000"
        });
    w.put(
        "typed array fill/set",
        new String[] {
          "function main(i){ const a = new Float64Array(i.n); const b = new Float64Array(i.n); let t = 0; for (let k = 0; k < 50; k++) { a.fill(k); b.set(a); t += b[0] } return t }",
          "20000"
        });
    w.put(
        "Map set/get",
        new String[] {
          "function main(i){ const m = new Map(); for (let k = 0; k < i.n; k++) m.set(k, k); let t = 0; for (let k = 0; k < i.n; k++) t += m.get(k); return t }",
          "20000"
        });
    w.put(
        "push",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push(k); return a.length }",
          "100000"
        });
    w.put(
        "crypto.sha256",
        new String[] {
          "function main(i){ const s = 'x'.repeat(i.n); let t = 0; for (let k = 0; k < 10; k++) t += crypto.sha256(s).length; return t }",
          "20000"
        });
    w.put(
        "Object.entries",
        new String[] {
          "function main(i){ const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; let t = 0; for (let k = 0; k < 20; k++) t += Object.entries(o).length; return t }",
          "5000"
        });
    w.put(
        "Object.assign",
        new String[] {
          "function main(i){ const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; let t = 0; for (let k = 0; k < 20; k++) t += Object.assign({}, o).k0; return t }",
          "5000"
        });
    w.put(
        "Function.prototype.apply (Math.max)",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += Math.max.apply(null, a); return t }",
          "20000"
        });
    w.put(
        "spread call (Math.max(...a))",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += Math.max(...a); return t }",
          "20000"
        });
    w.put(
        "spread into own function",
        new String[] {
          "function f(...r){ return r.length }\nfunction main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += f(...a); return t }",
          "20000"
        });
    w.put(
        "array spread [...a]",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += [...a].length; return t }",
          "20000"
        });
    w.put(
        "new Set(a)",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push(k); let t = 0; for (let k = 0; k < 5; k++) t += new Set(a).size; return t }",
          "20000"
        });
    w.put(
        "regex exec, long input",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); let t = 0; for (let k = 0; k < 20; k++) t += /c/.exec(s) === null ? 1 : 0; return t }",
          "50000"
        });
    w.put(
        "regex matchAll",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); let t = 0; for (const m of s.matchAll(/a/g)) t++; return t }",
          "20000"
        });
    w.put(
        "array includes",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 50; k++) t += a.includes(2) ? 1 : 0; return t }",
          "20000"
        });
    w.put(
        "typed array slice",
        new String[] {
          "function main(i){ const a = new Float64Array(i.n); let t = 0; for (let k = 0; k < 50; k++) t += a.slice().length; return t }",
          "20000"
        });
    w.put(
        "new Float64Array(a)",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) t += new Float64Array(a).length; return t }",
          "20000"
        });
    w.put(
        "crypto.hmacSha256",
        new String[] {
          "function main(i){ const s = 'x'.repeat(i.n); let t = 0; for (let k = 0; k < 10; k++) t += crypto.hmacSha256('key', s).length; return t }",
          "20000"
        });
    w.put(
        "encodeURIComponent",
        new String[] {
          "function main(i){ const s = 'a b'.repeat(i.n); let t = 0; for (let k = 0; k < 10; k++) t += encodeURIComponent(s).length; return t }",
          "20000"
        });
    w.put(
        "localeCompare, long strings",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); const u = 'ab'.repeat(i.n); let t = 0; for (let k = 0; k < 10; k++) t += s.localeCompare(u); return t }",
          "20000"
        });
    w.put(
        "=== on long strings",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); const u = 'a'.concat('b'.concat('ab'.repeat(i.n - 1))); let t = 0; for (let k = 0; k < 50; k++) t += s === u ? 1 : 0; return t }",
          "50000"
        });
    w.put(
        "< on long strings",
        new String[] {
          "function main(i){ const s = 'ab'.repeat(i.n); const u = 'a'.concat('b'.concat('ab'.repeat(i.n - 1))); let t = 0; for (let k = 0; k < 50; k++) t += s < u ? 1 : 0; return t }",
          "50000"
        });
    w.put(
        "array rest [x, ...r] = a",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(1); let t = 0; for (let k = 0; k < 20; k++) { const [x, ...r] = a; t += x + r.length } return t }",
          "20000"
        });
    w.put(
        "object rest {k0, ...r} = o",
        new String[] {
          "function main(i){ const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; let t = 0; for (let k = 0; k < 20; k++) { const {k0, ...r} = o; t += k0 + r.k1 } return t }",
          "5000"
        });
    w.put(
        "indexed store, sparse (a[k * 1000] = k)",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a[k * 1000] = k; return a.length }",
          "50000"
        });
    w.put(
        "indexed store past the end by its length (b[b.length + 999] = k)",
        new String[] {
          "function main(i){ const b = [0]; for (let k = 0; k < i.n; k++) b[b.length + 999] = k; return b.length }",
          "20000"
        });
    w.put(
        "indexed store, sparse downwards (a[k * 1000] = k, k falling)",
        new String[] {
          "function main(i){ const a = []; for (let k = i.n; k > 0; k--) a[k * 1000] = k; return a.length }",
          "20000"
        });
    w.put(
        "indexed store, sparse inside new Array(n)",
        new String[] {
          "function main(i){ const a = new Array(i.n * 1000); for (let k = 0; k < i.n; k++) a[k * 1000] = k; return a.length }",
          "20000"
        });
    w.put(
        "indexed store, sparse inside new Array(n) downwards",
        new String[] {
          "function main(i){ const a = new Array(i.n * 1000); for (let k = i.n; k > 0; k--) a[k * 1000 - 1] = k; return a.length }",
          "20000"
        });
    w.put(
        "indexed store after a.length += 999",
        new String[] {
          "function main(i){ const a = [0]; for (let k = 0; k < i.n; k++) { a.length += 999; a[a.length - 1] = k } return a.length }",
          "20000"
        });
    w.put(
        "indexed store, scattered into new Array(n).fill(0)",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(0); let h = 0; for (let k = 0; k < i.n; k++) { h = (h * 31 + 7) % i.n; a[h] = k } return a[0] }",
          "100000"
        });
    w.put(
        "indexed store, sparse inside Array(n) called without new",
        new String[] {
          "function main(i){ const a = Array(i.n * 1000); for (let k = 0; k < i.n; k++) a[k * 1000] = k; return a.length }",
          "20000"
        });
    w.put(
        "indexed store, sparse after Object.defineProperty(a, 'length')",
        new String[] {
          "function main(i){ const a = []; Object.defineProperty(a, 'length', {value: i.n * 1000}); for (let k = 0; k < i.n; k++) a[k * 1000] = k; return a.length }",
          "20000"
        });
    w.put(
        "indexed store after Reflect.defineProperty grows the length by 999",
        new String[] {
          "function main(i){ const a = [0]; for (let k = 0; k < i.n; k++) { Reflect.defineProperty(a, 'length', {value: a.length + 999}); a[a.length - 1] = k } return a.length }",
          "20000"
        });
    w.put(
        "first store into Array(4999)",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < i.n; k++) { const a = Array(4999); a[0] = k; t += a.length } return t }",
          "1000"
        });
    w.put(
        "first store into new Array(4999)",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < i.n; k++) { const a = new Array(4999); a[5] = k; t += a.length } return t }",
          "1000"
        });
    w.put(
        "indexed store, shuffle of an array built by push",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a.push(k); let s = 7; for (let k = a.length - 1; k > 0; k--) { s = (s * 1103515245 + 12345) % 2147483648; const j = s % (k + 1); const t = a[k]; a[k] = a[j]; a[j] = t } return a[0] }",
          "50000"
        });
    w.put(
        "indexed store, dense (a[k] = k)",
        new String[] {
          "function main(i){ const a = []; for (let k = 0; k < i.n; k++) a[k] = k; return a.length }",
          "100000"
        });
    w.put(
        "property added (o['k' + k] = k)",
        new String[] {
          "function main(i){ const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; return o.k1 }",
          "50000"
        });
    w.put(
        "String(array)",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill('abc'); let t = 0; for (let k = 0; k < 10; k++) t += String(a).length; return t }",
          "50000"
        });
    w.put(
        "BigInt multiply",
        new String[] {
          "function main(i){ const x = (1n << BigInt(i.n)) - 1n; let t = 0n; for (let k = 0; k < 10; k++) t += (x * x) & 1n; return Number(t) }",
          "100000"
        });
    w.put(
        "Object.keys (not wrapped)",
        new String[] {
          "function main(i){ const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; let t = 0; for (let k = 0; k < 20; k++) t += Object.keys(o).length; return t }",
          "5000"
        });
    w.put(
        "Array.from (not wrapped)",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < 20; k++) t += Array.from({length: i.n}, () => 1).length; return t }",
          "5000"
        });
    w.put(
        "String.fromCharCode.apply (not wrapped)",
        new String[] {
          "function main(i){ const a = new Array(i.n).fill(65); let t = 0; for (let k = 0; k < 20; k++) t += String.fromCharCode.apply(null, a).length; return t }",
          "20000"
        });
    // Array.prototype methods called on array-likes: a large length, few or no elements.
    w.put(
        "array-like indexOf",
        new String[] {
          "function main(i){ const o = {length: i.n, 0: 1}; let t = 0; for (let k = 0; k < 20; k++) t += Array.prototype.indexOf.call(o, 2); return t }",
          "100000"
        });
    w.put(
        "array-like fill",
        new String[] {
          "function main(i){ let t = 0; for (let k = 0; k < 10; k++) { const o = {length: i.n}; Array.prototype.fill.call(o, k); t += o[0]; } return t }",
          "20000"
        });
    w.put(
        "array-like forEach (no elements)",
        new String[] {
          "function main(i){ const o = {length: i.n}; let t = 0; for (let k = 0; k < 20; k++) { Array.prototype.forEach.call(o, (x) => { t++; }); } return t }",
          "100000"
        });
    return w;
  }

  private static ExecutionRequest request(String code, long n, HostServices host) {
    return new ExecutionRequest(
        "bench",
        "bench",
        "cpu-per-gas",
        code,
        ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        100_000_000,
        Instant.EPOCH,
        host);
  }

  private static ExecutionResult run(JavaScriptEngine engine, ExecutionRequest r, String name) {
    ExecutionResult res = engine.execute(r);
    if (!res.ok()) {
      throw new IllegalStateException(name + " failed: " + res.status() + " " + res.errorMessage());
    }
    return res;
  }

  public static void main(String[] args) {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    double per = args.length > 1 ? Double.parseDouble(args[1]) : 4;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.println("# load before: " + RealmFloor.loadAverage());
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> {},
            FetchPolicy.denyAll());
    Map<String, String[]> w = workloads();
    // -Dnsl.bench.only=TEXT keeps the workloads whose name contains TEXT (a quick look at a few).
    String only = System.getProperty("nsl.bench.only");
    if (only != null) {
      w.keySet().removeIf(name -> !name.contains(only));
    }
    // A deadline far past any workload: on a loaded machine (load 38 on 2 cores) the engine's own
    // warm-up ran into the default 10 s, and the bench measures CPU, not wall time.
    EngineConfig config =
        EngineConfig.defaults()
            .withLimits(
                io.nsl.js.ExecutionLimits.defaults().withTimeout(java.time.Duration.ofMinutes(5)));
    try (JavaScriptEngine engine = JavaScriptEngine.start(config)) {
      long end = System.nanoTime() + (long) (warm * 1e9);
      while (System.nanoTime() < end) {
        for (Map.Entry<String, String[]> e : w.entrySet()) {
          long n = Long.parseLong(e.getValue()[1]);
          run(engine, request(e.getValue()[0], n, host), e.getKey());
          run(engine, request(e.getValue()[0], 2 * n, host), e.getKey());
        }
      }
      // Repeats go round every workload in turn, so a burst of load on the shared machine hits one
      // reading of many workloads rather than every reading of one; the median is reported.
      Map<String, List<Double>> readings = new LinkedHashMap<>();
      Map<String, long[]> gas = new LinkedHashMap<>();
      for (int rep = 0; rep < repeats; rep++) {
        for (Map.Entry<String, String[]> e : w.entrySet()) {
          long n = Long.parseLong(e.getValue()[1]);
          ExecutionRequest small = request(e.getValue()[0], n, host);
          ExecutionRequest big = request(e.getValue()[0], 2 * n, host);
          long cpuSmall = 0;
          long cpuBig = 0;
          long gasSmall = 0;
          long gasBig = 0;
          long stop = System.nanoTime() + (long) (per * 1e9);
          int rounds = 0;
          while (System.nanoTime() < stop || rounds < 3) {
            long t0 = OS.getProcessCpuTime();
            gasSmall = run(engine, small, e.getKey()).gasUsed();
            long t1 = OS.getProcessCpuTime();
            gasBig = run(engine, big, e.getKey()).gasUsed();
            long t2 = OS.getProcessCpuTime();
            cpuSmall += t1 - t0;
            cpuBig += t2 - t1;
            rounds++;
          }
          readings
              .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add((double) (cpuBig - cpuSmall) / rounds / (gasBig - gasSmall));
          gas.put(e.getKey(), new long[] {gasSmall, gasBig});
        }
      }
      System.out.println(
          "| workload | n | gas at n | gas at 2n | marginal ns of CPU per gas (median of "
              + repeats
              + ") | lowest | highest |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      List<Double> all = new ArrayList<>();
      String worstName = "";
      double worst = 0;
      for (Map.Entry<String, String[]> e : w.entrySet()) {
        List<Double> r = new ArrayList<>(readings.get(e.getKey()));
        r.sort(null);
        double nsPerGas =
            r.size() % 2 == 1
                ? r.get(r.size() / 2)
                : (r.get(r.size() / 2 - 1) + r.get(r.size() / 2)) / 2;
        all.add(nsPerGas);
        if (nsPerGas > worst) {
          worst = nsPerGas;
          worstName = e.getKey();
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %d | %.2f | %.2f | %.2f |%n",
            e.getKey(),
            e.getValue()[1],
            gas.get(e.getKey())[0],
            gas.get(e.getKey())[1],
            nsPerGas,
            r.get(0),
            r.get(r.size() - 1));
      }
      double avg = all.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      System.out.printf(
          Locale.ROOT,
          "# worst: %s at %.2f ns/gas; average over %d workloads: %.2f ns/gas; worst / average:"
              + " %.1fx%n",
          worstName,
          worst,
          all.size(),
          avg,
          worst / avg);
    }
    System.out.println("# load after: " + RealmFloor.loadAverage());
  }
}
