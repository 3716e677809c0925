package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputValidatorTest {
  private final InputValidator validator = new InputValidator(64 * 1024, 64);

  private void invalid(String input, String schema, String expectedPart) {
    InputValidator.Invalid e =
        assertThrows(
            InputValidator.Invalid.class,
            () -> validator.validate(input.getBytes(StandardCharsets.UTF_8), Optional.of(schema)));
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
  }

  private void valid(String input, String schema) throws InputValidator.Invalid {
    validator.validate(input.getBytes(StandardCharsets.UTF_8), Optional.of(schema));
  }

  @Test
  void inputWithAByteOrderMarkIsInvalidAsTheFunctionsJsonParseWouldRefuseIt() {
    invalid("\ufeff{\"a\":1}", "{\"type\":\"object\"}", "byte order mark");
  }

  @Test
  void inputThatIsNotUtf8IsInvalidEvenWhereJacksonWouldGuessAnotherEncoding() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
    InputValidator.Invalid e =
        assertThrows(
            InputValidator.Invalid.class, () -> validator.validate(utf16, Optional.empty()));
    assertTrue(
        e.getMessage().contains("not UTF-8") || e.getMessage().contains("not valid JSON"),
        e.getMessage());
    byte[] latin1 = "\"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1);
    e =
        assertThrows(
            InputValidator.Invalid.class, () -> validator.validate(latin1, Optional.empty()));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  void schemaWhoseRefPointsAtItselfIsInvalidNotAStackOverflow() {
    invalid("{}", "{\"$ref\":\"#\"}", "refers to itself");
  }

  @Test
  void refCycleThroughDefsIsInvalid() {
    invalid(
        "1",
        "{\"$defs\":{\"a\":{\"allOf\":[{\"$ref\":\"#/$defs/b\"}]},\"b\":{\"$ref\":\"#/$defs/a\"}},"
            + "\"$ref\":\"#/$defs/a\"}",
        "refers to itself");
  }

  @Test
  void recursiveSchemaThatDescendsIntoTheInputStillWorks() throws InputValidator.Invalid {
    String tree =
        "{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}}}";
    valid("{\"kids\":[{\"kids\":[]},{}]}", tree);
    invalid("{\"kids\":[{\"kids\":[1]}]}", tree, "does not match");
  }

  @Test
  void backtrackingPatternWithAMatchingInputFinishes() throws InputValidator.Invalid {
    // (.*a){12}$ backtracks polynomially (degree 12) in java.util.regex on "aaa...!": 26 a's took
    // 6.6 s there, 40 would take hours. A linear-time engine answers at once.
    String schema = "{\"type\":\"string\",\"pattern\":\"(.*a){12}$\"}";
    invalid("\"" + "a".repeat(40) + "!\"", schema, "does not match");
    valid("\"" + "a".repeat(40) + "\"", schema);
  }

  @Test
  void backtrackingPatternPropertiesFinish() {
    String schema =
        "{\"type\":\"object\",\"patternProperties\":{\"(.*x){12}y\":{\"type\":\"integer\"}},"
            + "\"additionalProperties\":false}";
    invalid("{\"" + "x".repeat(40) + "\":1}", schema, "does not match");
  }

  @Test
  void patternFeaturesWithoutALinearTimeMatchAreRefused() {
    // Back-references and look-arounds need backtracking: the schema is refused, not run.
    invalid("\"aa\"", "{\"type\":\"string\",\"pattern\":\"^(a)\\\\1$\"}", "pattern");
    invalid("\"ab\"", "{\"type\":\"string\",\"pattern\":\"a(?=b)\"}", "pattern");
  }

  @Test
  void aRefusedSchemaIsRefusedAgainWithTheSameMessage() {
    // The refusal is kept with the schema: analysed (and logged by the validator) once.
    String schema = "{\"type\":\"string\",\"pattern\":\"a(?=b)\"}";
    String first =
        assertThrows(
                InputValidator.Invalid.class,
                () ->
                    validator.validate(
                        "\"ab\"".getBytes(StandardCharsets.UTF_8), Optional.of(schema)))
            .getMessage();
    invalid("\"cd\"", schema, first);
  }

  @Test
  void deeplyNestedSchemaIsRefused() {
    String deep = "{\"not\":".repeat(200) + "{}" + "}".repeat(200);
    invalid("1", deep, "nests deeper");
  }

  @Test
  void ordinaryPatternsStillMatch() throws InputValidator.Invalid {
    String schema = "{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}-\\\\d+$\"}";
    valid("\"NEO-42\"", schema);
    invalid("\"neo-42\"", schema, "does not match");
  }

  @Test
  void branchesThatEachDescendAreRefusedBeforeTheyMultiply() {
    // Both branches recurse into items: 2^depth checks. Depth 18 took 73 s in the validator.
    String schema =
        "{\"anyOf\":[{\"type\":\"array\",\"items\":{\"$ref\":\"#\"},\"maxItems\":0},"
            + "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}]}";
    invalid("[".repeat(30) + "1" + "]".repeat(30), schema, "subschemas to one value");
  }

  @Test
  void chainOfBranchesNamingTheNextTwiceIsRefused() {
    StringBuilder defs = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      defs.append("\"a")
          .append(i)
          .append("\":{\"anyOf\":[{\"$ref\":\"#/$defs/a")
          .append(i + 1)
          .append("\"},{\"$ref\":\"#/$defs/a")
          .append(i + 1)
          .append("\"}]},");
    }
    defs.append("\"a30\":{\"minimum\":5}");
    invalid("1", "{\"$defs\":{" + defs + "},\"$ref\":\"#/$defs/a0\"}", "subschemas to one value");
  }

  @Test
  void manyChecksOverALargeInputAreRefused() throws InputValidator.Invalid {
    String each = "{\"minimum\":0},".repeat(39) + "{\"minimum\":0}";
    String schema = "{\"type\":\"array\",\"items\":{\"allOf\":[" + each + "]}}";
    valid("[" + "1,".repeat(99) + "1]", schema);
    invalid("[" + "1,".repeat(1_999) + "1]", schema, "subschema checks");
  }

  @Test
  void largeInputWithAnOrdinarySchemaIsChecked() throws InputValidator.Invalid {
    String schema =
        "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\"],"
            + "\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}}";
    StringBuilder in = new StringBuilder("[");
    for (int i = 0; i < 1_500; i++) {
      in.append(i == 0 ? "" : ",")
          .append("{\"id\":")
          .append(i)
          .append(",\"name\":\"n\",\"tags\":[\"a\",\"b\"]}");
    }
    valid(in.append("]").toString(), schema);
  }
}
