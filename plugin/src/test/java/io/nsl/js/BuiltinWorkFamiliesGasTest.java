package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The patterns the CPU-per-gas bench found cheap to charge and expensive to run (issue 17 item 3):
 * one statement that lists, copies or scans n things. Each is run at n and 2n, and the extra gas
 * must be at least what GasTable's rates make of the extra n things: gas grows with the size, not
 * with the statement count.
 */
class BuiltinWorkFamiliesGasTest {
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

  // The setup (an object or array of n things) is built outside the counted part by a loop whose
  // own gas is the same at n and 2n apart from its statements: each case sets `i.n` things up with
  // fill or repeat (charged too, so it is subtracted as `setup`) and then touches them `reps`
  // times with the built-in under test.
  static Stream<Arguments> cases() {
    String obj = "const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; if (!i.go) return 0;";
    String arr = "const a = new Array(i.n).fill(65); if (!i.go) return 0;";
    String str = "const s = 'a b'.repeat(i.n); if (!i.go) return 0;";
    // An array-like of length n with no elements: the built-in visits n indexes (decision 0712,
    // eighth session), whether the length is a data property or a getter's.
    String like = "const o = {length: i.n}; if (!i.go) return 0;";
    String getter = "const o = {get length() { return i.n; }}; if (!i.go) return 0;";
    int property = (int) (GasTable.PROPERTY_DEFINED * GasTable.ELEMENTS_PER_GAS);
    return Stream.of(
        // name, body, elements per n per rep, characters per n per rep
        Arguments.of("Object.keys", obj + "return Object.keys(o).length", 1, 0),
        Arguments.of("Object.values", obj + "return Object.values(o).length", 1, 0),
        Arguments.of("Object.entries", obj + "return Object.entries(o).length", 2, 0),
        Arguments.of(
            "Object.getOwnPropertyNames",
            obj + "return Object.getOwnPropertyNames(o).length",
            1,
            0),
        Arguments.of("Reflect.ownKeys", obj + "return Reflect.ownKeys(o).length", 1, 0),
        // A property a built-in defines costs GasTable.PROPERTY_DEFINED, as an assignment would.
        Arguments.of("Object.assign", obj + "return Object.assign({}, o).k0", property, 0),
        Arguments.of(
            "Object.fromEntries",
            obj + "return Object.fromEntries(Object.entries(o)).k0",
            2 + property,
            0),
        Arguments.of("Array.from", arr + "return Array.from(a).length", 1, 0),
        Arguments.of("Function.prototype.apply", arr + "return Math.max.apply(null, a)", 1, 0),
        Arguments.of("Reflect.apply", arr + "return Reflect.apply(Math.min, null, a)", 1, 0),
        Arguments.of("spread into Math.max", arr + "return Math.max(...a)", 1, 0),
        Arguments.of(
            "spread into String.fromCharCode",
            arr + "return String.fromCharCode(...a).length",
            0,
            1),
        Arguments.of("Array.of", arr + "return Array.of(...a).length", 1, 0),
        Arguments.of("RegExp test", str + "return /c/.test(s) ? 1 : 0", 0, 3),
        Arguments.of("encodeURIComponent", str + "return encodeURIComponent(s).length", 0, 3),
        Arguments.of("localeCompare", str + "return s.localeCompare(s + '')", 0, 6),
        Arguments.of(
            "indexOf on an array-like", like + "return Array.prototype.indexOf.call(o, 1)", 1, 0),
        Arguments.of(
            "join('') on an array-like",
            like + "return Array.prototype.join.call(o, '').length",
            1,
            0),
        Arguments.of(
            "fill on an array-like",
            like + "return Array.prototype.fill.call(o, 1)[0]",
            property,
            0),
        Arguments.of(
            "forEach on an array-like",
            like + "let t = 0; Array.prototype.forEach.call(o, () => t++); return t",
            1,
            0),
        Arguments.of(
            "reduce on a getter's length",
            getter + "return Array.prototype.reduce.call(o, (a) => a, 0)",
            1,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gasGrowsWithWhatTheBuiltinTouches(
      String name, String body, int elementsPerN, int charsPerN) {
    String code = "function main(i){ " + body + " }";
    long n = 20_000;
    // Without the built-in (go: 0) and with it, at n and 2n: the built-in's own gas at 2n minus
    // its gas at n is what it charged for n more things.
    long at1 = gas(withGo(code, 1), n) - gas(withGo(code, 0), n);
    long at2 = gas(withGo(code, 1), 2 * n) - gas(withGo(code, 0), 2 * n);
    long want =
        n * elementsPerN / GasTable.ELEMENTS_PER_GAS + n * charsPerN / GasTable.CHARS_PER_GAS;
    // Rounding of the counts into gas: at most one gas per kind either way.
    assertTrue(
        at2 - at1 >= want - 2,
        name
            + ": "
            + n
            + " more things should cost at least "
            + want
            + " gas, cost "
            + (at2 - at1));
  }

  // The one observable cost of counting an array-like: the prelude reads its length before the
  // built-in does (docs/functions.md, "Array-likes"). A real array's length is not read through
  // anything the function can see.
  @org.junit.jupiter.api.Test
  void anArrayLikesLengthGetterRunsOnceMoreAndARealArraysIsUnseen() {
    String code =
        "function main(i){ let reads = 0; const o = {get length() { reads++; return 3; }};"
            + " Array.prototype.indexOf.call(o, 1); Array.prototype.forEach.call(o, () => 0);"
            + " const a = [1, 2, 3];"
            + " return [reads, a.indexOf(3), a.map((x) => x * 2).length, Array.prototype.map.call('ab', (c) => c).length] }";
    ExecutionResult r =
        engine.execute(Requests.of(code, "{}", 100_000_000, Requests.host(Map.of())));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("[4,2,3,2]", r.resultJsonString());
  }

  private static String withGo(String code, int go) {
    return code.replace("i.go", String.valueOf(go));
  }
}
