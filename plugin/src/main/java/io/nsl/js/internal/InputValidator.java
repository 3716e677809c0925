package io.nsl.js.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
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
 * <p>Bounded whatever the schema and input: the schema nests at most {@link #MAX_SCHEMA_DEPTH}
 * levels, a {@code $ref} cycle that never descends into the input (which would recurse without end)
 * is refused before validation ({@link RefCycles}), and {@code pattern}s run on a linear-time
 * engine ({@link LinearRegexFactory}). A stack overflow that still happens is reported as an
 * invalid schema, never thrown to the caller's thread.
 *
 * <p>Threading: thread-safe.
 */
public final class InputValidator {
  private static final int SCHEMA_CACHE_MAX = 256;

  /** Deepest nesting of objects and arrays in a schema. */
  public static final int MAX_SCHEMA_DEPTH = 32;

  private final int maxBytes;
  private final int maxDepth;
  private final ObjectMapper mapper;
  private final ObjectMapper schemaMapper =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_SCHEMA_DEPTH).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final JsonSchemaFactory schemas =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final SchemaValidatorsConfig schemaConfig =
      SchemaValidatorsConfig.builder().regularExpressionFactory(new LinearRegexFactory()).build();
  private final Map<String, Compiled> schemaCache = new ConcurrentHashMap<>();

  /**
   * The most subschema checks one input may need (an upper bound computed by {@link SchemaWork}
   * before the validator runs). Checks that fail cost the validator tens of microseconds each (it
   * builds a message for each), so this keeps a check under about a second.
   */
  public static final long MAX_SCHEMA_CHECKS = 50_000;

  /** A usable schema, or why it is not (kept too, so a bad schema is analysed and logged once). */
  private record Compiled(JsonSchema schema, SchemaWork work, String refusal) {}

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
    // The function parses the input as UTF-8 text (JSON.parse): validate that same text, not what
    // Jackson would make of the bytes (it skips a byte order mark and detects UTF-16 and UTF-32),
    // or an input accepted here fails in the function, charged.
    String text;
    try {
      text =
          java.nio.charset.StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(input))
              .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new Invalid("the input is not UTF-8; send JSON as UTF-8 text");
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      throw new Invalid(
          "the input starts with a byte order mark (U+FEFF), which JSON.parse refuses; send UTF-8"
              + " without one");
    }
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (StreamConstraintsException e) {
      throw new Invalid("the input nests deeper than " + maxDepth + " levels");
    } catch (IOException e) {
      throw new Invalid("the input is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new Invalid("the input is empty; send JSON (for no input, send null)");
    }
    if (schema.isPresent()) {
      Compiled c = compile(schema.get());
      long checks = c.work().checks(node);
      if (checks > MAX_SCHEMA_CHECKS) {
        throw new Invalid(
            "checking this input against the function's input schema could take up to "
                + tooMany(checks)
                + " subschema checks; the cap is "
                + MAX_SCHEMA_CHECKS
                + " (anyOf/oneOf branches that each descend into the input multiply: make"
                + " the branches exclusive with a discriminating keyword, or send a smaller input)");
      }
      Set<ValidationMessage> errors;
      try {
        errors = c.schema().validate(node);
      } catch (StackOverflowError e) {
        // RefCycles should have refused any schema that recurses without end; this is the
        // backstop, so that no schema can end the caller's thread.
        throw new Invalid(
            "checking the input against the function's input schema recursed too deeply; "
                + "simplify the schema's $refs");
      } catch (RuntimeException e) {
        throw new Invalid("the function's input schema is invalid: " + firstLine(e.getMessage()));
      }
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

  private Compiled compile(String schemaJson) throws Invalid {
    Compiled cached = schemaCache.get(schemaJson);
    if (cached == null) {
      try {
        cached = load(schemaJson);
      } catch (Invalid e) {
        cached = new Compiled(null, null, e.getMessage());
      }
      if (schemaCache.size() >= SCHEMA_CACHE_MAX) {
        schemaCache.clear();
      }
      schemaCache.put(schemaJson, cached);
    }
    if (cached.refusal() != null) {
      throw new Invalid(cached.refusal());
    }
    return cached;
  }

  private Compiled load(String schemaJson) throws Invalid {
    JsonNode schemaNode;
    try {
      schemaNode = schemaMapper.readTree(schemaJson);
    } catch (StreamConstraintsException e) {
      throw new Invalid(
          "the function's input schema nests deeper than "
              + MAX_SCHEMA_DEPTH
              + " levels; flatten it (use $defs and $ref)");
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
    SchemaIndex index = new SchemaIndex(schemaNode);
    SchemaWork work =
        switch (RefCycles.check(index)) {
          case RefCycles.Cycle c ->
              throw new Invalid(
                  "the function's input schema refers to itself without descending into the"
                      + " input ("
                      + c.description()
                      + "), so checking any input would never end; break the cycle");
          case RefCycles.Acyclic a -> SchemaWork.of(index, a.childrenFirst(), maxDepth);
        };
    // Before the validator loads it: loading follows the same branches and can multiply too.
    for (int d = 0; d <= maxDepth; d++) {
      if (work.perLocation(d) > MAX_SCHEMA_CHECKS) {
        throw new Invalid(
            "the function's input schema can apply "
                + tooMany(work.perLocation(d))
                + " subschemas to one value "
                + d
                + " levels deep in the input; the cap is "
                + MAX_SCHEMA_CHECKS
                + " (anyOf/oneOf/allOf branches that name the same subschemas, or that each"
                + " descend into the input, multiply: make the branches exclusive)");
      }
    }
    JsonSchema s;
    try {
      s = schemas.getSchema(schemaNode, schemaConfig);
      // Load every $ref now, so a bad pattern anywhere is refused here, not halfway through.
      s.initializeValidators();
    } catch (StackOverflowError e) {
      throw new Invalid(
          "the function's input schema recursed too deeply while loading; simplify its $refs");
    } catch (RuntimeException e) {
      throw new Invalid("the function's input schema is invalid: " + firstLine(e.getMessage()));
    }
    return new Compiled(s, work, null);
  }

  private static String tooMany(long n) {
    return n >= Long.MAX_VALUE / 4 ? "more than 10^18" : String.valueOf(n);
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
