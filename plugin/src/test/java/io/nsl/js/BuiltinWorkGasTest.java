package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Built-in work costs gas in proportion to what it touches (GasTable.CHARS_PER_GAS,
 * ELEMENTS_PER_GAS): the same function with a bigger argument costs exactly the difference.
 */
class BuiltinWorkGasTest {
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  // Gas apart from the input's bytes (1 gas each), so n's digits don't count.
  private static long gas(String code, long n) {
    String input = "{\"n\":" + n + "}";
    ExecutionResult r =
        engine.execute(Requests.of(code, input, 100_000_000, Requests.host(Map.of())));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    return r.gasUsed() - input.length() * GasTable.PER_BYTE;
  }

  @Test
  void repeatCostsOneGasPerSixteenCharactersBuilt() {
    // The result is the same ("1") whatever n, so only the repeat's work differs.
    String code = "function main(i){ return 'ab'.repeat(i.n).length > 0 ? 1 : 0 }";
    long chars = 2 * 16_000;
    assertEquals(chars / GasTable.CHARS_PER_GAS, gas(code, 16_000) - gas(code, 1));
  }

  @Test
  void joinCostsItsCharactersAndElements() {
    String code =
        "function main(i){ const a = new Array(i.n); return a.join('ab').length > 0 ? 1 : 0 }";
    // n holes joined by 'ab': 2(n-1) characters and n elements.
    long small = gas(code, 2);
    long big = gas(code, 40_002);
    long expected =
        (2L * 40_001) / GasTable.CHARS_PER_GAS
            + 40_002 / GasTable.ELEMENTS_PER_GAS
            - ((2L * 1) / GasTable.CHARS_PER_GAS + 2 / GasTable.ELEMENTS_PER_GAS);
    assertEquals(expected, big - small);
  }

  @Test
  void jsonStringifyOfABigValueIsNoLongerOneStatement() {
    String code =
        "function main(i){ const a = new Array(i.n).fill(7); return JSON.stringify(a).length > 0"
            + " ? 1 : 0 }";
    long small = gas(code, 1);
    long big = gas(code, 100_000);
    // "[7,7,...]" is 2n+1 characters; fill touches n elements.
    assertTrue(
        big - small >= (2L * 100_000) / GasTable.CHARS_PER_GAS, "gas grew by " + (big - small));
  }

  @Test
  void sortWithoutAComparatorCostsItsComparisons() {
    String code =
        "function main(i){ const a = []; for (let k = 0; k < 4096; k++) a.push(String((k * 7919) %"
            + " 1000)); if (i.n) a.sort(); return 1 }";
    // 4,096 elements, 4,096 * 13 comparisons counted (n * (floor(log2 n) + 1)), plus the statement.
    assertEquals(4096L * 13 / GasTable.ELEMENTS_PER_GAS + 1, gas(code, 1) - gas(code, 0));
  }
}
