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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How long a memory bomb runs before the counted budget stops it (decision 0710): wall and
 * process-CPU milliseconds per bomb, median of the measured runs after a warm-up of the same bombs.
 *
 * <p>Run with bench/jmh/memory-bombs.sh [warmupRounds=5] [measuredRounds=5] [only] [memoryBytes],
 * where {@code only} (optional) keeps the bombs whose name contains it (or one of its {@code
 * |}-separated parts), and {@code memoryBytes} (optional) gives each bomb that budget instead of
 * the default 128 MiB: a per-element bomb then stops as MEMORY_LIMIT instead of running into the
 * deadline, so its time per counted MiB can be compared between settings on a loaded machine.
 */
public final class MemoryBombTime {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private MemoryBombTime() {}

  static final String[][] BOMBS = {
    {"array push loop", "function main(){ const a = []; for (;;) a.push(1) }"},
    {"object graph", "function main(){ let o = null; for (;;) o = { next: o, pair: [1, 2] } }"},
    {"Map growth", "function main(){ const m = new Map(); for (let i = 0; ; i++) m.set(i, i) }"},
    {"typed arrays", "function main(){ const a = []; for (;;) a.push(new Float64Array(1e5)) }"},
    {"one typed array", "function main(){ return new Float64Array(2e7).length }"},
    {"repeat", "function main(){ return 'x'.repeat(2 ** 28).length }"},
    {"padStart", "function main(){ return ''.padStart(1e9, 'ab').length }"},
    {
      "strings in an array",
      "function main(){ const a = []; for (;;) a.push('y'.repeat(1000) + 'z') }"
    },
    {
      "JSON.stringify of a large graph",
      "function main(){ const s = 'x'.repeat(1 << 20); const a = []; for (let i = 0; i < 100; i++)"
          + " a.push(s); return JSON.stringify(a).length }"
    },
    {"s += s", "function main(){ let s = 'x'; for (;;) s += s }"},
    {"template doubling", "function main(){ let s = 'xy'; for (;;) s = `${s}${s}` }"},
    {"s += 8 chars", "function main(){ let s = ''; for (;;) s += 'abcdefgh' }"},
    {"new Array(2^25).fill", "function main(){ return new Array(2 ** 25).fill(0).length }"},
    {"closures", "function main(){ const a = []; for (let i = 0; ; i++) a.push(() => i) }"},
    {"Set growth", "function main(){ const s = new Set(); for (let i = 0; ; i++) s.add(i) }"},
    {
      "JSON.parse of 12 MiB text",
      "function main(){ return JSON.parse('[' + '{},'.repeat(1 << 22) + '{}]').length }"
    },
    {
      "join of 2^16 x 1 KiB",
      "function main(){ const s = 'y'.repeat(1024); return new Array(2 ** 16).fill(s).join('')"
          + ".length }"
    },
    {"a[i] = i (not counted)", "function main(){ const a = []; for (let i = 0; ; i++) a[i] = i }"},
  };

  public static void main(String[] args) {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String only = args.length > 2 ? args[2] : "";
    long memoryBytes = args.length > 3 ? Long.parseLong(args[3]) : ExecutionRequest.DEFAULT_MEMORY;
    String[][] bombs =
        java.util.Arrays.stream(BOMBS)
            .filter(b -> java.util.Arrays.stream(only.split("\\|")).anyMatch(b[0]::contains))
            .toArray(String[][]::new);
    System.out.println("# load before: " + RealmFloor.loadAverage());
    System.out.println(
        "# memory budget: "
            + (memoryBytes == ExecutionRequest.DEFAULT_MEMORY
                ? "default"
                : memoryBytes + " bytes"));
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of()),
            b -> {},
            FetchPolicy.denyAll());
    try (JavaScriptEngine engine = JavaScriptEngine.start(EngineConfig.defaults())) {
      for (int i = 0; i < warm; i++) {
        for (String[] b : bombs) {
          engine.execute(request(b[1], host, memoryBytes));
        }
      }
      System.out.println(
          "| bomb | status | gas used | wall ms (median) | process CPU ms (median) |");
      System.out.println("|---|---|---:|---:|---:|");
      for (String[] b : bombs) {
        long[] wall = new long[measured];
        long[] cpu = new long[measured];
        ExecutionResult last = null;
        for (int i = 0; i < measured; i++) {
          long c0 = OS.getProcessCpuTime();
          long w0 = System.nanoTime();
          last = engine.execute(request(b[1], host, memoryBytes));
          wall[i] = System.nanoTime() - w0;
          cpu[i] = OS.getProcessCpuTime() - c0;
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %.0f | %.0f |%n",
            b[0],
            last.status(),
            last.gasUsed(),
            wall[measured / 2] / 1e6,
            cpu[measured / 2] / 1e6);
      }
    }
    System.out.println("# load after: " + RealmFloor.loadAverage());
  }

  private static ExecutionRequest request(String code, HostServices host, long memoryBytes) {
    return new ExecutionRequest(
        "bench",
        "bench",
        "bomb",
        code,
        "null".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        100_000_000,
        Instant.EPOCH,
        host,
        memoryBytes);
  }
}
