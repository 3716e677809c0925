package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regex work is charged per match (decision 0712, seventh session): GasTable.REGEX_REPLACE_MATCH
 * for each match that replace and replaceAll replace with a global regex; GasTable.REGEX_MATCH for
 * each match of match with a global regex, each step of a matchAll iterator and each character
 * split by a regex. Each case is the gas of one statement: the same function run with the statement
 * (go: 1) and without it (go: 0).
 */
class RegexWorkGasTest {
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static ExecutionResult run(String code, String input) {
    ExecutionResult r =
        engine.execute(Requests.of(code, input, 100_000_000, Requests.host(Map.of())));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    return r;
  }

  /** Gas of `statement` after `setup`: one statement's own gas (1) and the work it is charged. */
  private static long gasOf(String setup, String statement) {
    String code =
        "function main(i){ " + setup + " let t = 0; if (i.go) t = " + statement + "; return 1 }";
    return run(code, "{\"go\":1}").gasUsed() - run(code, "{\"go\":0}").gasUsed();
  }

  private static final String AS = "const s = 'a'.repeat(4096);";
  private static final long N = 4096;

  private static long chars(long n) {
    return n / GasTable.CHARS_PER_GAS;
  }

  @Test
  void replaceWithAGlobalRegexCostsEachMatchOnTopOfItsCharacters() {
    long matches = N * GasTable.REGEX_REPLACE_MATCH;
    assertEquals(1 + chars(N) + matches, gasOf(AS, "s.replace(/a/g, '').length"));
    assertEquals(1 + chars(2 * N) + matches, gasOf(AS, "s.replace(/(a)/g, '$1').length"));
    assertEquals(1 + chars(2 * N) + matches, gasOf(AS, "s.replace(/a/g, '$&').length"));
    assertEquals(1 + chars(2 * N) + matches, gasOf(AS, "s.replaceAll(/a/g, 'b').length"));
    assertEquals(1 + chars(N) + matches, gasOf(AS, "s.replace(/a/gy, '').length"));
    // A function replacer: its calls are the function's code (an entry and a statement each).
    assertEquals(
        1 + chars(2 * N) + matches + 2 * N, gasOf(AS, "s.replace(/a/g, () => 'b').length"));
  }

  @Test
  void withoutAGlobalRegexReplaceCostsItsCharactersAsBefore() {
    assertEquals(1 + chars(N), gasOf(AS, "s.replaceAll('a', '').length"));
    assertEquals(1 + chars(2 * N - 1), gasOf(AS, "s.replace(/a/, '').length"));
    assertEquals(1 + chars(2 * N), gasOf(AS, "s.replace('b', '').length"));
  }

  @Test
  void emptyMatchesStepByCodePointWithTheUnicodeFlag() {
    // 1,024 code points in 2,048 code units: an empty match before each and one at the end.
    String setup = "const s = '\\u{1F600}'.repeat(1024);";
    long each = GasTable.REGEX_REPLACE_MATCH;
    assertEquals(1 + chars(4096) + 1025 * each, gasOf(setup, "s.replace(/(?:)/gu, '').length"));
    assertEquals(1 + chars(4096) + 2049 * each, gasOf(setup, "s.replace(/(?:)/g, '').length"));
  }

  @Test
  void matchWithAGlobalRegexCostsEachMatch() {
    long matches = N * GasTable.REGEX_MATCH;
    assertEquals(1 + chars(N) + matches, gasOf(AS, "s.match(/a/g).length"));
    // With an own property, the match result may come from the function's code: counted apart.
    assertEquals(
        1 + chars(N) + matches, gasOf(AS + " const re = /a/g; re.x = 1;", "s.match(re).length"));
    assertEquals(1 + chars(N), gasOf(AS, "s.match(/a/).length"));
    assertEquals(1 + chars(N), gasOf(AS, "s.match(/b/g) === null ? 0 : 1"));
  }

  @Test
  void splitByARegexCostsEachCharacterItTries() {
    // One part (an element: less than a gas) and N positions tried.
    assertEquals(1 + chars(N) + N * GasTable.REGEX_MATCH, gasOf(AS, "s.split(/,/).length"));
    assertEquals(1 + chars(N), gasOf(AS, "s.split(',').length"));
  }

  @Test
  void eachStepOfAMatchAllIteratorCostsAMatch() {
    // N steps with a match and a last one without; Array.from counts its N elements.
    assertEquals(
        1 + chars(N) + (N + 1) * GasTable.REGEX_MATCH + N / GasTable.ELEMENTS_PER_GAS,
        gasOf(AS, "Array.from(s.matchAll(/a/g)).length"));
  }

  @Test
  void subclassesStringObjectsAndDirectCallsAreCountedToo() {
    long matches = N * GasTable.REGEX_REPLACE_MATCH;
    assertEquals(
        1 + chars(N) + matches,
        gasOf(
            "class R extends RegExp {} const re = new R('a', 'g'); " + AS,
            "s.replace(re, '').length"));
    // A String object's characters are not counted (only a primitive's are), its matches are.
    assertEquals(
        1 + matches, gasOf(AS + " const o = new String(s);", "o.replace(/a/g, '').length"));
    assertEquals(1 + matches, gasOf(AS, "/a/g[Symbol.replace](s, '').length"));
  }

  @Test
  void theCountIsInvisibleToTheFunction() {
    // The count runs the original exec, not the one the function gave its regex, and puts
    // lastIndex back: the function sees the calls and the lastIndex the original makes.
    String code =
        "function main(){ const re = /a/g; let calls = 0;"
            + " Object.defineProperty(re, 'exec', { value(s) {"
            + " calls++; return RegExp.prototype.exec.call(this, s) } });"
            + " const r = 'aaa'.replace(re, 'b'); const m = 'aaa'.match(re).length;"
            + " const sticky = /a/y; sticky.lastIndex = 1; 'aaa'.replace(sticky, 'b');"
            + " return [r, m, calls, re.lastIndex, sticky.lastIndex] }";
    assertEquals("[\"bbb\",3,8,0,2]", run(code, "{}").resultJsonString());
  }
}
