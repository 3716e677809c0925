package io.nsl.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body as a JSON object, read strictly: one object, no duplicate keys, no trailing data,
 * nesting at most 64 deep, no field the endpoint does not know, and every field of the type it
 * documents. Each refusal is an {@link ApiFailure} naming the field.
 */
final class JsonBody {
  static final ObjectMapper STRICT =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(64).build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /** Parses {@code body} and checks that it has only {@code allowed} fields. */
  static JsonBody parse(byte[] body, Set<String> allowed) {
    if (body.length == 0) {
      throw new ApiFailure(
          ErrorStatus.BAD_JSON, "the request needs a JSON object body; it was empty");
    }
    JsonNode n;
    try {
      n = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new ApiFailure(
          ErrorStatus.BAD_JSON,
          "the body is not valid JSON"
              + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "")
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiFailure(ErrorStatus.BAD_JSON, "the body could not be read as JSON");
    }
    if (n == null || !n.isObject()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "the body must be a JSON object, got " + (n == null ? "nothing" : n.getNodeType()));
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ApiFailure(
            ErrorStatus.UNKNOWN_FIELD,
            "unknown field '" + f + "'; this endpoint accepts " + new TreeSet<>(allowed));
      }
    }
    return new JsonBody((ObjectNode) n);
  }

  String requiredString(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new ApiFailure(ErrorStatus.MISSING_FIELD, "field '" + field + "' is required");
    }
    if (!v.isTextual()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
    }
    return v.asText();
  }

  /** An optional field that must be an array of strings when present. */
  Optional<java.util.List<String>> optionalStringList(String field, int maxItems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '"
              + field
              + "' must be an array of strings, got "
              + v.getNodeType().name().toLowerCase());
    }
    if (v.size() > maxItems) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '" + field + "' has " + v.size() + " entries; at most " + maxItems + " allowed");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new ApiFailure(
            ErrorStatus.WRONG_TYPE,
            "field '"
                + field
                + "' must hold only strings, got "
                + e.getNodeType().name().toLowerCase());
      }
      out.add(e.asText());
    }
    return Optional.of(java.util.List.copyOf(out));
  }

  /** An optional field that must be an integer (within a long) when present. */
  java.util.OptionalLong optionalLong(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return java.util.OptionalLong.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '"
              + field
              + "' must be an integer, got "
              + (v.isNumber() ? v.asText() : v.getNodeType().name().toLowerCase()));
    }
    return java.util.OptionalLong.of(v.longValue());
  }

  /** An optional field that must be a JSON object when present; returned as JSON text. */
  Optional<String> optionalObjectAsText(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '"
              + field
              + "' must be a JSON object (a JSON Schema), got "
              + v.getNodeType().name().toLowerCase());
    }
    return Optional.of(v.toString());
  }

  /** A field of any JSON type, or empty when absent. */
  Optional<JsonNode> optional(String field) {
    return Optional.ofNullable(node.get(field));
  }

  /** An optional whole number in {@code min..max}; {@code dflt} when absent or null. */
  long optionalLong(String field, long dflt, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '"
              + field
              + "' must be a whole number, got "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '" + field + "' must be " + min + ".." + max + ", got " + n);
    }
    return n;
  }

  /** An optional JSON object of string values (empty map when absent), at most {@code max}. */
  java.util.Map<String, String> optionalStringMap(String field, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return java.util.Map.of();
    }
    if (!v.isObject()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field '"
              + field
              + "' must be a JSON object of name -> string, got "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (v.size() > max) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '" + field + "' has " + v.size() + " entries; at most " + max + " allowed");
    }
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (var e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw new ApiFailure(
            ErrorStatus.WRONG_TYPE,
            "field '" + field + "': the value of '" + e.getKey() + "' must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
