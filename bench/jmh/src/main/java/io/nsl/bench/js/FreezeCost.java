package io.nsl.bench.js;

import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * What freezing each core intrinsic costs in a fresh GraalJS context (the prelude freezes ~110 of
 * them per execution, docs/functions.md "Frozen intrinsics"): for each, {@code Object.freeze} of
 * the object and of its prototype, timed around one eval, in every context of a long run on a
 * shared engine; the second half of the run is reported, slowest first. Run with
 * bench/jmh/freeze-cost.sh [contexts].
 */
public final class FreezeCost {
  private static final String[] OBJECTS = {
    "Object",
    "Function",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Symbol",
    "BigInt",
    "Date",
    "RegExp",
    "Error",
    "TypeError",
    "Promise",
    "Map",
    "Set",
    "WeakMap",
    "ArrayBuffer",
    "DataView",
    "Object.getPrototypeOf(Int8Array)",
    "Int8Array",
    "Float64Array",
    "Math",
    "JSON",
    "Reflect",
    "Intl",
    "Intl.NumberFormat",
    "Intl.DateTimeFormat",
    "Intl.Collator",
    "Intl.Locale",
    "Intl.Segmenter",
    "Iterator",
    "Object.getPrototypeOf(globalThis)"
  };

  private FreezeCost() {}

  public static void main(String[] args) {
    int contexts = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    Map<String, Source> freeze = new LinkedHashMap<>();
    for (String o : OBJECTS) {
      freeze.put(
          o,
          Source.create(
              "js",
              "{ const c = "
                  + o
                  + "; Object.freeze(c); if (c.prototype) Object.freeze(c.prototype) }"));
    }
    Map<String, long[]> nanos = new LinkedHashMap<>();
    freeze.keySet().forEach(o -> nanos.put(o, new long[1]));
    int measured = 0;
    try (Engine engine =
        Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
      for (int r = 0; r < contexts; r++) {
        boolean measure = r >= contexts / 2;
        try (Context c = Context.newBuilder("js").engine(engine).build()) {
          c.eval("js", "1");
          for (var e : freeze.entrySet()) {
            long t0 = System.nanoTime();
            c.eval(e.getValue());
            if (measure) {
              nanos.get(e.getKey())[0] += System.nanoTime() - t0;
            }
          }
        }
        if (measure) {
          measured++;
        }
      }
    }
    System.out.println("| object (and its prototype) | µs per context |");
    System.out.println("|---|---:|");
    int n = measured;
    nanos.entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(
            e -> System.out.printf("| `%s` | %.1f |%n", e.getKey(), e.getValue()[0] / 1e3 / n));
  }
}
