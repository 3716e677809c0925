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
 * Work that syntax does in one statement (issue 17 item 3, decision 0712): spread, rest, object
 * spread, destructuring with a rest element, string comparisons, Set/Map construction, BigInt
 * arithmetic. As in {@link BuiltinWorkFamiliesGasTest}, each case runs with and without the
 * statement under test, at n and 2n: the extra gas for n more things must be at least what
 * GasTable's rates make of them.
 */
class SyntaxWorkGasTest {
  static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static long gas(String code, long n) {
    String input = "{\"n\":" + n + "}";
    ExecutionResult r =
        engine.execute(Requests.of(code, input, 100_000_000, Requests.host(Map.of())));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    return r.gasUsed() - input.length() * GasTable.PER_BYTE;
  }

  static Stream<Arguments> cases() {
    String arr = "const a = new Array(i.n).fill(65); if (!i.go) return 0;";
    String obj = "const o = {}; for (let k = 0; k < i.n; k++) o['k' + k] = k; if (!i.go) return 0;";
    String str =
        "const s = 'ab'.repeat(i.n); const u = 'a'.concat('b', 'ab'.repeat(i.n - 1));"
            + " if (!i.go) return 0;";
    String big = "const x = (1n << BigInt(i.n * 64)) - 1n; if (!i.go) return 0;";
    long perElement = 1; // per n, in elements
    long n = 20_000;
    long elements = n / GasTable.ELEMENTS_PER_GAS;
    return Stream.of(
        // name, code, the gas n more things must cost at least
        Arguments.of("array spread", main(arr + "return [...a].length"), elements * perElement),
        Arguments.of(
            "spread call into a rest parameter",
            "function f(...r){ return r.length }\n" + main(arr + "return f(...a)"),
            elements),
        Arguments.of(
            "spread call into arguments",
            "function g(){ return arguments.length }\n" + main(arr + "return g(...a)"),
            elements),
        Arguments.of(
            "object spread", main(obj + "return ({ ...o }).k0"), n * GasTable.PROPERTY_DEFINED),
        Arguments.of("new Set(a)", main(arr + "return new Set(a).size"), elements),
        Arguments.of(
            "new Float64Array(a)", main(arr + "return new Float64Array(a).length"), elements),
        Arguments.of(
            "new Map(entries)",
            main(
                "const e = new Array(i.n).fill([1, 2]); if (!i.go) return 0; return new Map(e).size"),
            elements),
        Arguments.of(
            "array destructuring rest",
            main(arr + "const [x, ...r] = a; return r.length"),
            elements),
        Arguments.of(
            "array rest in an assignment",
            main(arr + "let x, r; [x, ...r] = a; return r.length"),
            elements),
        Arguments.of(
            "object destructuring rest",
            main(obj + "const { k0, ...r } = o; return r.k1"),
            n * GasTable.PROPERTY_DEFINED),
        Arguments.of(
            "object rest in a parameter",
            "function f({ k0, ...r }){ return r.k1 }\n" + main(obj + "return f(o)"),
            n * GasTable.PROPERTY_DEFINED),
        // Two equal strings of n characters, made apart so that they are not the same string.
        Arguments.of(
            "=== of equal long strings",
            main(str + "return s === u"),
            2 * n / GasTable.CHARS_PER_GAS),
        Arguments.of(
            "< of long strings", main(str + "return s < u"), 2 * n / GasTable.CHARS_PER_GAS),
        Arguments.of(
            "switch case of long strings",
            main(str + "switch (s) { case u: return 1 } return 0"),
            2 * n / GasTable.CHARS_PER_GAS),
        // x has 64n bits; x * x has 128n, x + x 64n + 1.
        Arguments.of(
            "BigInt multiply",
            main(big + "return Number((x * x) & 1n)"),
            2 * n * 64 / GasTable.BIGINT_BITS_PER_GAS),
        // Each store lands 99 past the end: 99 holes, a quarter gas each, rounded up.
        Arguments.of(
            "indexed store past the end",
            main(
                "const a = []; if (!i.go) return 0;"
                    + " for (let k = 0; k < i.n; k++) a[k * 100] = k; return a.length"),
            n * 25),
        // Each store lands 99 below the lowest element stored (the first past the end, charged
        // the capped 5,000 at n and 2n alike): 99 holes, past the 16 free, a quarter gas each.
        Arguments.of(
            "indexed store downwards",
            main(
                "const a = []; if (!i.go) return 0;"
                    + " for (let k = i.n; k > 0; k--) a[k * 100] = k; return a.length"),
            n * SyntaxWork.spanGas(99)),
        // The same 99 holes after the highest element, inside the length new Array(n) set.
        Arguments.of(
            "indexed store inside new Array(n)",
            main(
                "const a = new Array(i.n * 100); if (!i.go) return 0;"
                    + " for (let k = 0; k < i.n; k++) a[k * 100] = k; return a.length"),
            n * SyntaxWork.spanGas(99)),
        // Seventh session: the same 99 holes inside a length no allocation site of the code saw,
        // probed at the first store (no element at either end).
        Arguments.of(
            "indexed store inside Array(n) called without new",
            main(
                "const a = Array(i.n * 100); if (!i.go) return 0;"
                    + " for (let k = 0; k < i.n; k++) a[k * 100] = k; return a.length"),
            n * SyntaxWork.spanGas(99)),
        Arguments.of(
            "indexed store inside a length set by Reflect.set",
            main(
                "const a = []; Reflect.set(a, 'length', i.n * 100); if (!i.go) return 0;"
                    + " for (let k = 0; k < i.n; k++) a[k * 100] = k; return a.length"),
            n * SyntaxWork.spanGas(99)),
        // One store into each of n / 100 more empty lengths of 2,000: each allocates 2,000.
        Arguments.of(
            "first store into an empty length",
            main(
                "if (!i.go) return 0; let t = 0; for (let k = 0; k < i.n / 100; k++)"
                    + " { const a = Array(2000); a[0] = k; t += a.length } return t"),
            n / 100 * SyntaxWork.elementsGas(2000)),
        Arguments.of(
            "BigInt add",
            main(big + "return Number((x + x) & 1n)"),
            n * 64 / GasTable.BIGINT_BITS_PER_GAS));
  }

  private static String main(String body) {
    return "function main(i){ " + body + " }";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gasGrowsWithWhatTheSyntaxTouches(String name, String code, long want) {
    long n = 20_000;
    long at1 = gas(withGo(code, 1), n) - gas(withGo(code, 0), n);
    long at2 = gas(withGo(code, 1), 2 * n) - gas(withGo(code, 0), 2 * n);
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

  private static String withGo(String code, int go) {
    return code.replace("i.go", String.valueOf(go));
  }
}
