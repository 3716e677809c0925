package io.nsl.js.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the schemas that would apply themselves to the same part of the input again: a cycle of
 * in-place applicators ({@code $ref}, {@code allOf}, {@code not}, {@code if}/{@code then}, ...)
 * that never passes through a keyword that descends into the input ({@code properties}, {@code
 * items}, ...). Validating against such a schema recurses until the thread's stack runs out.
 * Recursion that descends (a tree schema whose {@code items} refer back to {@code #}) is fine: the
 * input's depth bounds it. Pure and thread-safe.
 */
final class RefCycles {
  private RefCycles() {}

  /** The schema's in-place graph, or the cycle that makes it unusable. */
  sealed interface Result {}

  /** No cycle: every subschema, each after all the subschemas it applies in place. */
  record Acyclic(List<JsonNode> childrenFirst) implements Result {}

  /** {@code description} names one subschema on the cycle. */
  record Cycle(String description) implements Result {}

  static Result check(SchemaIndex index) {
    Map<JsonNode, List<JsonNode>> edges = new IdentityHashMap<>();
    for (JsonNode schema : index.pointers.keySet()) {
      edges.put(schema, index.inPlace(schema));
    }
    List<JsonNode> order = new ArrayList<>();
    // Iterative depth-first search (a recursive one could itself overflow on a long chain).
    Map<JsonNode, Integer> colour = new IdentityHashMap<>(); // 1 = on the path, 2 = done
    for (JsonNode start : index.pointers.keySet()) {
      if (colour.containsKey(start)) {
        continue;
      }
      Deque<Frame> path = new ArrayDeque<>();
      path.push(new Frame(start, edges.get(start).iterator()));
      colour.put(start, 1);
      while (!path.isEmpty()) {
        Frame top = path.peek();
        if (!top.next.hasNext()) {
          colour.put(top.node, 2);
          order.add(top.node);
          path.pop();
          continue;
        }
        JsonNode n = top.next.next();
        Integer c = colour.get(n);
        if (c == null) {
          colour.put(n, 1);
          path.push(new Frame(n, edges.getOrDefault(n, List.of()).iterator()));
        } else if (c == 1) {
          return new Cycle("'" + index.pointers.get(n) + "' leads back to itself");
        }
      }
    }
    return new Acyclic(List.copyOf(order));
  }

  private record Frame(JsonNode node, Iterator<JsonNode> next) {}
}
