package io.nsl.js;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks that a change to the prelude charges exactly what the prelude it replaces charged: runs
 * every hostile corpus case (but those expecting TIMEOUT) and a list of JSON cases on an engine
 * with the prelude as built and on one with the given earlier prelude, and compares status, gas
 * used, result and error message; for the JSON cases also the memory count (the smallest memory
 * budget the run passes, found by bisection). Prints every difference; exits 1 if there is one.
 *
 * <p>In package {@code io.nsl.js} only to reach {@link JavaScriptEngine#startWithPrelude}. Run with
 * bench/jmh/charge-parity.sh earlierPrelude.js (e.g. {@code git show
 * HEAD~1:plugin/src/main/resources/io/nsl/js/internal/prelude.js > /tmp/old.js}).
 */
public final class ChargeParity {
  private static final String[] JSON_CASES = {
    "function main(){ return JSON.parse(JSON.stringify({a:[1,2,{b:'x[y]{z}'}],c:'q\\\"r'})) }",
    "function main(){ const t = '['.repeat(1000) + ']'.repeat(1000); return JSON.parse(t).length }",
    "function main(){ const t = '['.repeat(1001) + ']'.repeat(1001); return JSON.parse(t).length }",
    "function main(){ const t = '['.repeat(1001) + ']'.repeat(1001);"
        + " try { JSON.parse(t) } catch (e) { return String(e) } }",
    "function main(){ return JSON.parse('[' + '{\"k\":\"v\"},'.repeat(50000) + '{}]').length }",
    "function main(){ return JSON.parse('[' + '{},'.repeat(1 << 17) + '{}]').length }",
    "function main(){ return JSON.parse('\"' + 'x'.repeat(300000) + '\"').length }",
    "function main(){ return JSON.parse({ toString(){ return '[1,[2,[3]]]' } }) }",
    "function main(){ return JSON.parse(12345) }",
    "function main(){ try { JSON.parse('{\"a\": [1, 2,') } catch (e) { return e.name } }",
    "function main(){ return JSON.parse('{\"a\":{\"b\":[1,2,3]}}', (k, v) => typeof v === 'number'"
        + " ? v * 2 : v) }",
    "function main(){ let n = 0; const t = JSON.stringify(Array.from({length: 200}, (_, i) =>"
        + " ({i, s: 'v' + i}))); for (let k = 0; k < 50; k++) n += JSON.parse(t).length; return n }",
    "function main(){ const t = '\"' + '\\\\\"['.repeat(2000) + '\"'; return JSON.parse(t).length }",
    "function main(){ const t = '['.repeat(1500) + ']'.repeat(1500) + '\"' + 'y'.repeat(9999) +"
        + " '\"'; try { return JSON.parse(t) } catch (e) { return e.name } }",
    "function main(){ const o = {}; let p = o; for (let i = 0; i < 1200; i++) { p.a = {}; p = p.a }"
        + " try { return JSON.stringify(o).length } catch (e) { return e.name } }",
    "function main(){ return JSON.stringify(JSON.parse(JSON.stringify({xs: new Array(2000)"
        + ".fill(7)}))).length }",
  };

  /** As HostileCorpusTest reads a case's header lines. */
  private static final java.util.regex.Pattern HEADER =
      java.util.regex.Pattern.compile("// ([a-z]+): (.*)");

  private ChargeParity() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: ChargeParity earlierPrelude.js [hostileDir] [caseNameRegex]");
    }
    Path hostile =
        Path.of(
            args.length > 1
                ? args[1]
                : System.getProperty("nsl.root", ".")
                    + "/plugin/src/test/resources/io/nsl/js/hostile");
    List<String> diffs = new ArrayList<>();
    int cases = 0;
    // Gas, memory and result limits must be what stops a case, not the clock: on a loaded machine
    // the default 10 s deadline stops some of the corpus's loops and bombs first (as in
    // HostileCorpusTest's patient engine).
    EngineConfig config =
        EngineConfig.defaults()
            .withLimits(ExecutionLimits.defaults().withTimeout(java.time.Duration.ofSeconds(120)));
    java.util.regex.Pattern only =
        java.util.regex.Pattern.compile(args.length > 2 ? args[2] : ".*");
    try (JavaScriptEngine now = JavaScriptEngine.start(config);
        JavaScriptEngine before =
            JavaScriptEngine.startWithPrelude(config, Files.readString(Path.of(args[0])))) {
      List<Path> files;
      try (Stream<Path> s = Files.list(hostile)) {
        files = s.filter(p -> p.toString().endsWith(".js")).sorted().toList();
      }
      for (Path f : files) {
        String code = Files.readString(f);
        Map<String, String> h = headers(code);
        if ("TIMEOUT".equals(h.get("expect")) || !only.matcher(f.getFileName().toString()).find()) {
          continue;
        }
        long gas = Long.parseLong(h.getOrDefault("gas", "10000000"));
        long memory = Long.parseLong(h.getOrDefault("memory", "0"));
        String input = h.getOrDefault("input", "null");
        cases++;
        compare(
            f.getFileName().toString(),
            now.execute(request(code, input, gas, memory)),
            before.execute(request(code, input, gas, memory)),
            diffs);
      }
      for (int i = 0; i < JSON_CASES.length; i++) {
        String code = JSON_CASES[i];
        if (!only.matcher("json case " + i).find()) {
          continue;
        }
        cases++;
        String name = "json case " + i;
        for (long gas : new long[] {10_000_000, 3_000, 700}) {
          compare(
              name + " gas " + gas,
              now.execute(request(code, "null", gas, 0)),
              before.execute(request(code, "null", gas, 0)),
              diffs);
        }
        long a = memoryCount(now, code);
        long b = memoryCount(before, code);
        System.out.printf("%s: memory count %d (earlier prelude %d)%n", name, a, b);
        if (a != b) {
          diffs.add(name + ": memory count " + a + " vs " + b + " before");
        }
      }
    }
    System.out.println(cases + " cases compared, " + diffs.size() + " differences");
    diffs.forEach(System.out::println);
    System.exit(diffs.isEmpty() ? 0 : 1);
  }

  /** The smallest memory budget the run passes (its memory count), up to the default 128 MiB. */
  private static long memoryCount(JavaScriptEngine engine, String code) {
    long lo = 1;
    long hi = ExecutionLimits.DEFAULT_MEMORY_BYTES;
    if (engine.execute(request(code, "null", 10_000_000, hi)).status() == ErrorKind.MEMORY_LIMIT) {
      return -1;
    }
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (engine.execute(request(code, "null", 10_000_000, mid)).status()
          == ErrorKind.MEMORY_LIMIT) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void compare(
      String name, ExecutionResult now, ExecutionResult before, List<String> diffs) {
    if (now.status() != before.status()
        || now.gasUsed() != before.gasUsed()
        || !Arrays.equals(now.resultJson(), before.resultJson())
        || !now.errorMessage().equals(before.errorMessage())) {
      diffs.add(name + ": " + show(now) + " vs before " + show(before));
    }
  }

  private static String show(ExecutionResult r) {
    return r.status() + " gas " + r.gasUsed() + " " + r.resultJsonString() + " " + r.errorMessage();
  }

  private static Map<String, String> headers(String code) {
    Map<String, String> h = new HashMap<>();
    for (String line : code.split("\n")) {
      if (!line.startsWith("// ")) {
        break;
      }
      java.util.regex.Matcher m = HEADER.matcher(line);
      if (m.matches()) {
        h.put(m.group(1), m.group(2).trim());
      }
    }
    return h;
  }

  private static ExecutionRequest request(String code, String input, long gas, long memory) {
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(64 * 1024),
            new MapSecretsView(Map.of()),
            b -> Arrays.fill(b, (byte) 0x2a),
            FetchPolicy.denyAll());
    return new ExecutionRequest(
        "fn-1",
        "NOwner",
        "req-1",
        code,
        input.getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        gas,
        Instant.parse("2026-01-01T00:00:00Z"),
        host,
        memory);
  }
}
