package io.nsl.js.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An upper bound on the work of checking an input against a schema, computed without running it. A
 * schema can make the validator's work grow exponentially with the input's depth ({@code anyOf} of
 * two branches that both recurse into {@code items}: 2^depth checks) or with the schema's own size
 * (a chain of {@code anyOf}s that each name the next one twice); the validator has no deadline of
 * its own, so the bound is checked before it runs.
 *
 * <p>{@link #perLocation(int)} bounds how many subschemas are applied to any one value at a given
 * depth of the input; {@link #checks(JsonNode)} adds them up over an actual input. Pure: the same
 * schema and input give the same number on every node. Immutable and thread-safe.
 */
final class SchemaWork {
  private static final long SATURATED = Long.MAX_VALUE / 4;

  private final long[] perDepth;

  private SchemaWork(long[] perDepth) {
    this.perDepth = perDepth;
  }

  /**
   * @param childrenFirst every subschema, each after the ones it applies in place ({@link
   *     RefCycles.Acyclic})
   */
  static SchemaWork of(SchemaIndex index, List<JsonNode> childrenFirst, int maxInputDepth) {
    long[] perDepth = new long[maxInputDepth + 1];
    Map<JsonNode, Long> previous = null;
    for (int d = 0; d <= maxInputDepth; d++) {
      // apps(s, d): subschemas applied to one value d levels below a value checked against s.
      Map<JsonNode, Long> apps = new IdentityHashMap<>();
      for (JsonNode s : childrenFirst) {
        long n = d == 0 ? 1 : fromChildren(index, s, previous);
        for (JsonNode t : index.inPlace(s)) {
          n = add(n, apps.getOrDefault(t, 0L));
        }
        apps.put(s, n);
      }
      perDepth[d] = apps.getOrDefault(index.root, index.root.isObject() ? 0L : 1L);
      previous = apps;
    }
    return new SchemaWork(perDepth);
  }

  private static long fromChildren(SchemaIndex index, JsonNode s, Map<JsonNode, Long> below) {
    long n = 0;
    for (List<JsonNode> group : index.toChildren(s)) {
      long most = 0;
      for (JsonNode c : group) {
        most = Math.max(most, below.getOrDefault(c, 0L));
      }
      n = add(n, most);
    }
    return n;
  }

  /** The most subschemas applied to one value at {@code depth} (0 = the input itself). */
  long perLocation(int depth) {
    return depth < perDepth.length ? perDepth[depth] : 0;
  }

  /** An upper bound on the subschema checks for {@code input}: per value, by its depth. */
  long checks(JsonNode input) {
    return checks(input, 0);
  }

  private long checks(JsonNode n, int depth) {
    // The input's depth is capped before this runs, so the recursion is shallow.
    long total = perLocation(depth);
    if (n.isContainerNode()) {
      for (JsonNode c : n) {
        total = add(total, checks(c, depth + 1));
      }
    }
    return total;
  }

  private static long add(long a, long b) {
    return Math.min(SATURATED, a + b);
  }
}
