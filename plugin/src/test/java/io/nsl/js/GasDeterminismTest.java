package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same code and input use the same gas on two fresh engines, and on repeated runs. */
class GasDeterminismTest {
  static final String[] FUNCTIONS = {
    "function fib(n){ return n < 2 ? n : fib(n - 1) + fib(n - 2) }\nfunction main(i){ return fib(i.n) }",
    "function main(i){ const a = []; for (let k = 0; k < 5000; k++) a.push((k * 7919) % 1000);"
        + " a.sort((x, y) => x - y); return a[i.n] }",
    "function main(i){ const o = JSON.parse(JSON.stringify({xs: new Array(2000).fill(i)}));"
        + " return o.xs.length }",
    "async function main(i){ let s = 0; for (let k = 0; k < 100; k++) s += await Promise.resolve(k);"
        + " log('sum', s); storage.put('s', String(s)); return [s, storage.get('s'), crypto.sha256('x')] }",
    "function main(i){ let s = ''; for (let k = 0; k < 300; k++) s += String.fromCharCode(65 + k % 26);"
        + " return s.replace(/[AEIOU]/g, '').length + i.n }",
    "function main(){ for(;;){} }",
    "function main(){ throw new Error('boom') }",
    // How deep a stack goes depends on the JIT's state; the call-depth limit does not.
    "let d = 0; function f(){ d++; f() } function main(){ try { f() } catch (e) {} return d }",
    // Stores charged by the holes they leave (decision 0712): downwards, scattered into new
    // Array(n), past the end then inside the span.
    "function main(i){ const a = []; for (let k = 300; k > 0; k--) a[k * 40] = k;"
        + " const b = new Array(9000); for (let k = 0; k < 300; k++) b[(k * 7919) % 9000] = k;"
        + " const c = [1]; c[c.length + 50] = 2; c[20] = 3; c[200] = 4;"
        + " return a.length + b.length + c.length + i.n }",
    // Seventh session: arrays first seen at a probed length (Array(n), a length defined, one
    // filled by a built-in, one grown by pushes) and first stores into empty lengths.
    "function main(i){ const a = Array(30000); for (let k = 0; k < 30; k++) a[k * 1000] = k;"
        + " const b = []; Object.defineProperty(b, 'length', {value: 50000}); b[49999] = 1;"
        + " b[40000] = 2; const c = Array.from({length: 3000}, () => 0); c[1500] = 1;"
        + " const d = []; for (let k = 0; k < 2000; k++) d.push(k); d[7] = 0; d[d.length] = 1;"
        + " const e = Array(5000); e[e.length] = 1; const f = []; Reflect.set(f, 'length', 9000);"
        + " f[100] = 1; f[8000] = 2; return a.length + b.length + c[1500] + d.length + e.length"
        + " + f.length + i.n }",
    // Regex work charged per match (decision 0712, seventh session): replace with $1, match /g,
    // split by a regex, matchAll, empty matches by code point, a subclass with its own exec.
    "class R extends RegExp { exec(s) { return super.exec(s) } }"
        + " function main(i){ const s = 'ab,\\u{1F600}'.repeat(500);"
        + " let t = s.replace(/(b)/g, '$1$1').length + s.match(/a/g).length + s.split(/,/).length;"
        + " for (const m of s.matchAll(/b/g)) t++;"
        + " t += s.replace(/(?:)/gu, '-').length + s.replace(new R('a', 'g'), 'x').length;"
        + " return t + i.n }",
  };

  private static List<ExecutionResult> runAll(JavaScriptEngine engine) {
    List<ExecutionResult> out = new ArrayList<>();
    for (String code : FUNCTIONS) {
      out.add(engine.execute(Requests.of(code, "{\"n\":20}", 2_000_000, Requests.host(Map.of()))));
    }
    return out;
  }

  @Test
  void gasIsTheSameOnTwoFreshEnginesAndAcrossRuns() {
    List<ExecutionResult> first;
    List<ExecutionResult> again;
    try (JavaScriptEngine a = JavaScriptEngine.start(EngineConfig.defaults())) {
      first = runAll(a);
      again = runAll(a);
    }
    List<ExecutionResult> second;
    try (JavaScriptEngine b = JavaScriptEngine.start(EngineConfig.defaults())) {
      second = runAll(b);
    }
    for (int i = 0; i < FUNCTIONS.length; i++) {
      assertTrue(first.get(i).gasUsed() > GasTable.EXECUTION_BASE, "function " + i + " used gas");
      assertEquals(first.get(i).status(), second.get(i).status(), "function " + i);
      assertEquals(
          first.get(i).gasUsed(),
          second.get(i).gasUsed(),
          "gas of function " + i + " on two engines");
      assertEquals(
          first.get(i).gasUsed(),
          again.get(i).gasUsed(),
          "gas of function " + i + " on a warm engine");
      assertEquals(first.get(i).resultJsonString(), second.get(i).resultJsonString());
    }
    assertEquals(ErrorKind.GAS_EXHAUSTED, first.get(5).status());
    assertEquals(2_000_000, first.get(5).gasUsed());
    assertEquals(ErrorKind.RUNTIME_ERROR, first.get(7).status());
  }

  @Test
  void deepRecursionUsesTheSameGasWhileTheJitWarmsUp() {
    String code = FUNCTIONS[7];
    try (JavaScriptEngine e = JavaScriptEngine.start(EngineConfig.defaults())) {
      ExecutionResult first = e.execute(Requests.of(code, "null"));
      for (int i = 0; i < 40; i++) {
        ExecutionResult r = e.execute(Requests.of(code, "null"));
        assertEquals(first.status(), r.status(), "run " + i + ": " + r.errorMessage());
        assertEquals(first.gasUsed(), r.gasUsed(), "gas of run " + i);
      }
      assertEquals(ErrorKind.RUNTIME_ERROR, first.status());
      assertTrue(
          first.errorMessage().contains("deeper than " + ExecutionLimits.MAX_CALL_DEPTH),
          first.errorMessage());
    }
  }
}
