package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls of the function's own code nest at most maxCallDepth deep, counted, not by the stack. */
class CallDepthLimitTest {
  static final int LIMIT = 50;
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine =
        JavaScriptEngine.start(
            EngineConfig.defaults().withLimits(ExecutionLimits.defaults().withMaxCallDepth(LIMIT)));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static ExecutionResult run(String code) {
    return engine.execute(Requests.of(code, "null"));
  }

  // main is one level; f(k) adds k + 1 more.
  private static final String NEST = "function f(k){ return k === 0 ? 0 : 1 + f(k - 1) }\n";

  @Test
  void callsNestExactlyUpToTheLimit() {
    ExecutionResult ok = run(NEST + "function main(){ return f(" + (LIMIT - 2) + ") }");
    assertEquals(ErrorKind.OK, ok.status(), ok.errorMessage());
    assertEquals(String.valueOf(LIMIT - 2), ok.resultJsonString());

    ExecutionResult deep = run(NEST + "function main(){ return f(" + (LIMIT - 1) + ") }");
    assertEquals(ErrorKind.RUNTIME_ERROR, deep.status());
    assertTrue(deep.errorMessage().contains("deeper than " + LIMIT), deep.errorMessage());
  }

  @Test
  void catchingTheLimitDoesNotResumeTheRun() {
    ExecutionResult r =
        run(NEST + "function main(){ try { return f(1000) } catch (e) { return 'caught' } }");
    assertEquals(ErrorKind.RUNTIME_ERROR, r.status());
    assertTrue(r.gasUsed() < Requests.GAS, "the limit is not a gas charge: " + r.gasUsed());
  }

  @Test
  void theLimitIsReachedThroughBuiltInCallbacksAndAccessorsToo() {
    ExecutionResult viaMap =
        run("function f(){ return [0].map(f) }\nfunction main(){ return f() }");
    assertEquals(ErrorKind.RUNTIME_ERROR, viaMap.status());
    assertTrue(viaMap.errorMessage().contains("deeper than " + LIMIT), viaMap.errorMessage());
    ExecutionResult viaGetter =
        run("const o = { get x(){ return this.x } };\nfunction main(){ return o.x }");
    assertEquals(ErrorKind.RUNTIME_ERROR, viaGetter.status());
    assertTrue(viaGetter.errorMessage().contains("deeper than " + LIMIT), viaGetter.errorMessage());
  }

  @Test
  void returnedYieldedAndAwaitedCallsGiveTheirLevelBack() {
    ExecutionResult loop =
        run(
            NEST
                + "function main(){ let s = 0; for (let i = 0; i < 5000; i++) s += f(10); return s }");
    assertEquals("50000", loop.resultJsonString(), loop.errorMessage());
    ExecutionResult gen =
        run(
            "function* g(){ for (let i = 0; i < 5000; i++) yield i }\n"
                + "function main(){ let n = 0; for (const x of g()) n++; return n }");
    assertEquals("5000", gen.resultJsonString(), gen.errorMessage());
    ExecutionResult async =
        run(
            "async function one(){ return 1 }\n"
                + "async function main(){ let s = 0; for (let i = 0; i < 5000; i++) s += await one();"
                + " return s }");
    assertEquals("5000", async.resultJsonString(), async.errorMessage());
    ExecutionResult thrown =
        run(
            "function t(){ throw new Error('x') }\n"
                + "function main(){ let n = 0; for (let i = 0; i < 5000; i++) { try { t() } catch (e)"
                + " { n++ } } return n }");
    assertEquals("5000", thrown.resultJsonString(), thrown.errorMessage());
  }

  @Test
  void anAsyncCallNestsTwoLevels() {
    String down = "async function down(n){ return n === 0 ? 0 : 1 + await down(n - 1) }\n";
    // main's call and body are 2 levels; down(k) adds 2 (k + 1).
    ExecutionResult ok = run(down + "async function main(){ return await down(" + 22 + ") }");
    assertEquals("22", ok.resultJsonString(), ok.errorMessage());
    ExecutionResult deep = run(down + "async function main(){ return await down(" + 24 + ") }");
    assertEquals(ErrorKind.RUNTIME_ERROR, deep.status());
  }

  @Test
  void aForgedStackOverflowErrorIsAnOrdinaryError() {
    ExecutionResult r =
        run(
            "function main(){ try { throw new RangeError('Maximum call stack size exceeded') }"
                + " catch (e) { return 'caught' } }");
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("\"caught\"", r.resultJsonString());
  }
}
