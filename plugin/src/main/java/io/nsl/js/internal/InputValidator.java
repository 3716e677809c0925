package io.nsl.js.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a request's input before the function sees it: size cap, JSON syntax, nesting depth cap,
 * and the function's JSON Schema (networknt validator, draft 2020-12 unless the schema names
 * another). Schemas may only use local {@code $ref}s: the validator must never fetch.
 *
 * <p>Threading: thread-safe.
 */
public final class InputValidator {
  private static final int SCHEMA_CACHE_MAX = 256;

  private final int maxBytes;
  private final int maxDepth;
  private final ObjectMapper mapper;
  private final JsonSchemaFactory schemas =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final Map<String, JsonSchema> schemaCache = new ConcurrentHashMap<>();

  /** The input is not acceptable; the message says why (it names no secret). */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  public InputValidator(int maxBytes, int maxDepth) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
            .build();
    this.mapper = new ObjectMapper(f).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public void validate(byte[] input, Optional<String> schema) throws Invalid {
    if (input.length > maxBytes) {
      throw new Invalid(
          "the input is " + input.length + " bytes; the cap is " + maxBytes + " bytes");
    }
    JsonNode node;
    try {
      node = mapper.readTree(input);
    } catch (StreamConstraintsException e) {
      throw new Invalid("the input nests deeper than " + maxDepth + " levels");
    } catch (IOException e) {
      throw new Invalid("the input is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new Invalid("the input is empty; send JSON (for no input, send null)");
    }
    if (schema.isPresent()) {
      JsonSchema s = compile(schema.get());
      Set<ValidationMessage> errors = s.validate(node);
      if (!errors.isEmpty()) {
        throw new Invalid(
            "the input does not match the function's input schema: "
                + errors.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .limit(5)
                    .collect(Collectors.joining("; ")));
      }
    }
  }

  private JsonSchema compile(String schemaJson) throws Invalid {
    JsonSchema cached = schemaCache.get(schemaJson);
    if (cached != null) {
      return cached;
    }
    JsonNode schemaNode;
    try {
      schemaNode = new ObjectMapper().readTree(schemaJson);
    } catch (IOException e) {
      throw new Invalid(
          "the function's input schema is not valid JSON: " + firstLine(e.getMessage()));
    }
    String remote = findRemoteRef(schemaNode);
    if (remote != null) {
      throw new Invalid(
          "the function's input schema uses $ref '"
              + remote
              + "'; only local references (starting with #) are allowed");
    }
    JsonSchema s;
    try {
      s = schemas.getSchema(schemaNode);
    } catch (RuntimeException e) {
      throw new Invalid("the function's input schema is invalid: " + firstLine(e.getMessage()));
    }
    if (schemaCache.size() >= SCHEMA_CACHE_MAX) {
      schemaCache.clear();
    }
    schemaCache.put(schemaJson, s);
    return s;
  }

  private static String findRemoteRef(JsonNode n) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if ((e.getKey().equals("$ref") || e.getKey().equals("$dynamicRef"))
            && e.getValue().isTextual()
            && !e.getValue().asText().startsWith("#")) {
          return e.getValue().asText();
        }
        String inner = findRemoteRef(e.getValue());
        if (inner != null) {
          return inner;
        }
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        String inner = findRemoteRef(c);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
