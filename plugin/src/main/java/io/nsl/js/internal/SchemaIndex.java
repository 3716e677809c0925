package io.nsl.js.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subschemas of one JSON Schema: each schema object's JSON pointer and resource ({@code $id}),
 * the anchors of each resource, and the edges between subschemas. Local references only ({@code #},
 * {@code #/json/pointer}, {@code #anchor}), each resolved in the resource that contains it. Built
 * once per schema; not thread-safe while building, read-only after.
 */
final class SchemaIndex {
  /** Applied to the same part of the input. */
  private static final Set<String> IN_PLACE_ONE = Set.of("not", "if", "then", "else");

  private static final Set<String> IN_PLACE_MANY = Set.of("allOf", "anyOf", "oneOf");
  private static final Set<String> IN_PLACE_MAP = Set.of("dependentSchemas", "dependencies");
  private static final Set<String> REFS = Set.of("$ref", "$dynamicRef", "$recursiveRef");

  /** Keywords whose values are data, not schemas: a "$ref" inside them is not a reference. */
  private static final Set<String> DATA = Set.of("const", "enum", "default", "examples");

  /** Applied to one child (one property or element) of the input, at most one per keyword. */
  private static final Set<String> CHILD_ONE =
      Set.of(
          "additionalProperties",
          "unevaluatedProperties",
          "propertyNames",
          "additionalItems",
          "unevaluatedItems",
          "contains");

  final JsonNode root;
  final Map<JsonNode, String> pointers = new IdentityHashMap<>();
  final Map<JsonNode, JsonNode> resourceOf = new IdentityHashMap<>();
  final Map<JsonNode, Map<String, JsonNode>> anchors = new IdentityHashMap<>();

  private void walk(JsonNode n, JsonNode resource, String pointer) {
    // Depth is bounded by the schema's nesting cap, so plain recursion is safe here.
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), resource, pointer + "/" + i);
      }
      return;
    }
    if (!n.isObject()) {
      return;
    }
    if (n.path("$id").isTextual() && n != resource) {
      resource = n;
    }
    pointers.put(n, pointer);
    resourceOf.put(n, resource);
    for (String anchorKey : List.of("$anchor", "$dynamicAnchor")) {
      if (n.path(anchorKey).isTextual()) {
        anchors.computeIfAbsent(resource, r -> new HashMap<>()).put(n.get(anchorKey).asText(), n);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!DATA.contains(e.getKey())) {
        walk(e.getValue(), resource, pointer + "/" + escape(e.getKey()));
      }
    }
  }

  SchemaIndex(JsonNode root) {
    this.root = root;
    walk(root, root, "#");
  }

  /** The subschemas applied to the same part of the input as {@code schema} (with repeats). */
  List<JsonNode> inPlace(JsonNode schema) {
    List<JsonNode> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (REFS.contains(k) && v.isTextual()) {
        JsonNode target = resolve(schema, v.asText());
        if (target != null) {
          out.add(target);
        }
      } else if (IN_PLACE_ONE.contains(k) && v.isObject()) {
        out.add(v);
      } else if ((IN_PLACE_MANY.contains(k) && v.isArray())
          || (IN_PLACE_MAP.contains(k) && v.isObject())) {
        v.forEach(c -> addIfSchema(out, c));
      }
    }
    return out;
  }

  /**
   * The subschemas {@code schema} applies to its input's children, as groups: at most one schema of
   * a group applies to any one child ({@code properties} by name, {@code prefixItems} by position),
   * while every group may apply to the same child.
   */
  List<List<JsonNode>> toChildren(JsonNode schema) {
    List<List<JsonNode>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (CHILD_ONE.contains(k) || (k.equals("items") && v.isObject())) {
        List<JsonNode> one = new ArrayList<>();
        addIfSchema(one, v);
        out.add(one);
      } else if (k.equals("properties") && v.isObject()
          || (k.equals("prefixItems") || k.equals("items")) && v.isArray()) {
        List<JsonNode> group = new ArrayList<>();
        v.forEach(c -> addIfSchema(group, c));
        out.add(group);
      } else if (k.equals("patternProperties") && v.isObject()) {
        // Several patterns may match one name: each is its own group.
        v.forEach(c -> out.add(isSchema(c) ? List.of(c) : List.of()));
      }
    }
    return out;
  }

  private static void addIfSchema(List<JsonNode> out, JsonNode n) {
    if (isSchema(n)) {
      out.add(n);
    }
  }

  private static boolean isSchema(JsonNode n) {
    return n.isObject();
  }

  JsonNode resolve(JsonNode from, String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    JsonNode resource = resourceOf.get(from);
    String fragment = decode(ref.substring(1));
    if (fragment.isEmpty()) {
      return resource;
    }
    if (fragment.startsWith("/")) {
      JsonNode target;
      try {
        target = resource.at(fragment);
      } catch (IllegalArgumentException e) {
        return null;
      }
      return target.isObject() ? target : null;
    }
    return anchors.getOrDefault(resource, Map.of()).get(fragment);
  }

  /** Percent-decodes a URI fragment (UTF-8); a malformed escape is left as it is. */
  private static String decode(String fragment) {
    if (fragment.indexOf('%') < 0) {
      return fragment;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      if (c == '%' && hex(fragment, i + 1)) {
        out.write(Integer.parseInt(fragment, i + 1, i + 3, 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static boolean hex(String s, int at) {
    return at + 1 < s.length()
        && Character.digit(s.charAt(at), 16) >= 0
        && Character.digit(s.charAt(at + 1), 16) >= 0;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
