package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.nsl.ProjectRoot;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** docs/openapi.yaml, and checks of real answers against it. */
final class OpenApiDoc {
  static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  final JsonNode doc;

  OpenApiDoc() {
    try {
      doc =
          new ObjectMapper(new YAMLFactory())
              .readTree(ProjectRoot.find().resolve("docs/openapi.yaml").toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** "METHOD /template" for every documented operation. */
  Set<String> operations() {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      var p = it.next();
      p.getValue()
          .fieldNames()
          .forEachRemaining(
              m -> {
                if (METHODS.contains(m)) {
                  out.add(m.toUpperCase() + " " + p.getKey());
                }
              });
    }
    return out;
  }

  /** Fails unless {@code status} is documented for the operation and the body fits its schema. */
  void assertConforms(String operation, Dev.Answer a) {
    String[] mp = operation.split(" ", 2);
    JsonNode op = doc.path("paths").path(mp[1]).path(mp[0].toLowerCase());
    assertTrue(!op.isMissingNode(), "undocumented operation " + operation);
    JsonNode resp = op.path("responses").path(Integer.toString(a.status()));
    if (resp.isMissingNode()) {
      fail(
          operation
              + " answered "
              + a.status()
              + " which docs/openapi.yaml does not list: "
              + a.text());
    }
    resp = resolve(resp);
    JsonNode content = resp.path("content");
    if (content.has("application/json")) {
      assertNotNull(a.json(), operation + " " + a.status() + " must answer JSON: " + a.text());
      JsonNode schema = inline(content.path("application/json").path("schema"));
      var errors =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(schema)
              .validate(a.json());
      assertTrue(
          errors.isEmpty(),
          operation
              + " "
              + a.status()
              + " body does not fit the schema: "
              + errors
              + "\n"
              + a.text());
    }
  }

  /** Validates an error answer against the Error schema whatever the operation. */
  void assertError(Dev.Answer a) {
    assertNotNull(a.json(), "error answers are JSON: " + a.text());
    JsonNode schema = inline(doc.path("components").path("schemas").path("Error"));
    var errors =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(schema)
            .validate(a.json());
    assertTrue(
        errors.isEmpty(), "error body does not fit the Error schema: " + errors + "\n" + a.text());
  }

  private JsonNode resolve(JsonNode n) {
    while (n.has("$ref")) {
      n = at(n.path("$ref").asText());
    }
    return n;
  }

  private JsonNode at(String ref) {
    return doc.at(ref.substring(1));
  }

  /** The schema with every $ref replaced by its target (the document has no cycles). */
  JsonNode inline(JsonNode n) {
    if (n.isObject()) {
      if (n.has("$ref")) {
        return inline(at(n.path("$ref").asText()));
      }
      ObjectNode out = ApiFixture.JSON.createObjectNode();
      n.fields().forEachRemaining(e -> out.set(e.getKey(), inline(e.getValue())));
      return out;
    }
    if (n.isArray()) {
      var out = ApiFixture.JSON.createArrayNode();
      n.forEach(x -> out.add(inline(x)));
      return out;
    }
    return n;
  }
}
