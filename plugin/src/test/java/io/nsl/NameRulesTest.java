package io.nsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link NameRules} against the shared table testdata/name-cases.json, which the gateway contract's
 * TestFunctionIDRuleMatchesSharedTable checks too.
 */
public class NameRulesTest {
  /** One case of the table. */
  public record Case(String kind, String value, boolean valid, String why) {
    @Override
    public String toString() {
      return kind + " " + (value.length() > 20 ? value.substring(0, 20) + "..." : value);
    }
  }

  /** The table's cases of one kind (functionId, storageKey, secretName). */
  public static List<Case> cases(String kind) throws IOException {
    JsonNode root =
        new ObjectMapper()
            .readTree(ProjectRoot.find().resolve("testdata/name-cases.json").toFile());
    List<Case> out = new ArrayList<>();
    for (JsonNode c : root.get(kind)) {
      String v = c.get("value").asText().repeat(c.path("repeat").asInt(1));
      out.add(new Case(kind, v, c.get("valid").asBoolean(), c.path("why").asText("")));
    }
    return out;
  }

  private static void check(String kind, Function<String, Optional<String>> rule)
      throws IOException {
    List<Case> cases = cases(kind);
    assertFalse(cases.isEmpty(), "no " + kind + " cases");
    for (Case c : cases) {
      Optional<String> problem = rule.apply(c.value());
      assertEquals(c.valid(), problem.isEmpty(), c + " (" + c.why() + "): " + problem);
    }
  }

  @Test
  void functionIdsFollowTheSharedTable() throws IOException {
    check("functionId", NameRules::functionIdProblem);
  }

  @Test
  void storageKeysFollowTheSharedTable() throws IOException {
    check("storageKey", NameRules::storageKeyProblem);
  }

  @Test
  void secretNamesFollowTheSharedTable() throws IOException {
    check("secretName", NameRules::secretNameProblem);
  }

  @Test
  void messagesNameTheBadCharacterAndItsPosition() {
    assertEquals(
        Optional.of(
            "function id 'Price-Feed' has 'P' (U+0050) at position 0; function ids use a-z 0-9 . _"
                + " - (lower case) and start with a letter or digit"),
        NameRules.functionIdProblem("Price-Feed"));
    assertEquals(
        Optional.of(
            "a storage key has a lone surrogate U+D800 at position 1; keys are stored as UTF-8,"
                + " which has no encoding for it"),
        NameRules.storageKeyProblem("a\ud800"));
  }
}
