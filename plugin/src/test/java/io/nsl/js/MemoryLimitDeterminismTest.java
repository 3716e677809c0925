package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memory bombs stop with MEMORY_LIMIT at the same point on two fresh engines and on a warm one: the
 * same gas used and the same counted bytes in the message (decision 0710).
 */
class MemoryLimitDeterminismTest {
  static final String[] BOMBS = {
    "function main(){ const a = []; for (;;) a.push(1) }",
    "function main(){ let o = null; for (;;) o = { next: o, pair: [1, 2] } }",
    "function main(){ const m = new Map(); for (let i = 0; ; i++) m.set(i, i) }",
    "function main(){ const a = []; for (;;) a.push(new Float64Array(1e5)) }",
    "function main(){ const a = []; for (;;) a.push('y'.repeat(1000) + 'z') }",
    "function main(){ const s = 'x'.repeat(1 << 16); const a = [];"
        + " for (;;) a.push(JSON.stringify([s, s])) }",
    "function main(){ const a = []; for (let i = 0; ; i++) a.push(String(i).padStart(64, '0')) }",
    "function main(){ return 'x'.repeat(2 ** 28).length }",
    "function main(){ let s = 'x'; for (;;) s += s }",
    "function main(){ let s = 'xy'; for (;;) s = `${s}${s}` }",
    "function main(){ return JSON.parse('[' + '{},'.repeat(1 << 17) + '{}]').length }",
    // Per-element bombs through the hot wrappers (hostile 157, 156, 187, 189, 190).
    "function main(){ const s = new Set(); for (let i = 0; ; i++) s.add(i) }",
    "function main(){ const a = []; for (let i = 0; ; i++) a.push(() => i) }",
    "function main(){ const a = []; for (;;) a.push(1, 2, 3, 4, 5, 6, 7, 8) }",
    "class M extends Map { get size() { return 0 } }\n"
        + "function main(){ const m = new M(); for (let i = 0; ; i++) m.set(i, i) }",
    "function main(){ const o = { length: 0 }; for (;;) Array.prototype.push.call(o, 1) }",
    // One store into each of many empty lengths kept alive (hostile 234).
    "function main(){ const keep = []; for (let k = 0; ; k++) { const a = Array(20000);"
        + " a[0] = k; keep.push(a) } }",
  };

  // 4 MiB, not the default 128: at a load of 30 on 2 cores the 16 M pushes of the default budget
  // outlived even the 120 s deadline below (TIMEOUT); the count is the same, it stops sooner.
  private static final long BUDGET_BYTES = 4L << 20;

  // The budget, not the clock, must stop every bomb; on a loaded 2-core machine 16 M pushes can
  // take
  // longer than the default 10 s, so the deadline here is generous.
  private static JavaScriptEngine start() {
    return JavaScriptEngine.start(
        EngineConfig.defaults()
            .withLimits(ExecutionLimits.defaults().withTimeout(java.time.Duration.ofSeconds(120))));
  }

  private static List<ExecutionResult> runAll(JavaScriptEngine engine) {
    List<ExecutionResult> out = new ArrayList<>();
    for (String code : BOMBS) {
      out.add(
          engine.execute(
              Requests.of(code, "null", 100_000_000, Requests.host(Map.of()), BUDGET_BYTES)));
    }
    return out;
  }

  @Test
  void bombsStopAtTheSamePointOnTwoFreshEnginesAndAWarmOne() {
    List<ExecutionResult> first;
    List<ExecutionResult> again;
    try (JavaScriptEngine a = start()) {
      first = runAll(a);
      again = runAll(a);
    }
    List<ExecutionResult> second;
    try (JavaScriptEngine b = start()) {
      second = runAll(b);
    }
    for (int i = 0; i < BOMBS.length; i++) {
      ExecutionResult f = first.get(i);
      assertEquals(ErrorKind.MEMORY_LIMIT, f.status(), "bomb " + i + ": " + f.errorMessage());
      for (ExecutionResult other : List.of(second.get(i), again.get(i))) {
        assertEquals(f.status(), other.status(), "bomb " + i);
        assertEquals(f.gasUsed(), other.gasUsed(), "gas of bomb " + i);
        assertEquals(f.errorMessage(), other.errorMessage(), "stop point of bomb " + i);
      }
    }
  }

  @Test
  void aFunctionMaySetASmallerBudgetButNotOneAboveTheOperatorsLimit() {
    String code = "function main(){ return new Array(100000).fill(0).length }";
    try (JavaScriptEngine e = JavaScriptEngine.start(EngineConfig.defaults())) {
      ExecutionResult roomy = e.execute(Requests.withMemory(code, ExecutionRequest.DEFAULT_MEMORY));
      assertEquals(ErrorKind.OK, roomy.status(), roomy.errorMessage());
      ExecutionResult tight = e.execute(Requests.withMemory(code, 400_000));
      assertEquals(ErrorKind.MEMORY_LIMIT, tight.status(), tight.errorMessage());
      ExecutionResult tooBig =
          e.execute(Requests.withMemory(code, ExecutionLimits.DEFAULT_MEMORY_BYTES + 1));
      assertEquals(ErrorKind.INVALID_INPUT, tooBig.status());
      assertEquals(0, tooBig.gasUsed());
      assertEquals(
          "the function's memory budget of 134217729 bytes is above this operator's limit of"
              + " 134217728 bytes",
          tooBig.errorMessage());
    }
  }
}
