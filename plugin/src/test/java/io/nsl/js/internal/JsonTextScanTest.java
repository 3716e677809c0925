package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.js.MemoryBudget;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JsonTextScanTest {
  /**
   * The one-pass count must answer exactly what the two scans it replaced answered, on any text
   * (JSON or not: unterminated strings, a trailing backslash, closing brackets first), or the
   * memory count and the nesting verdict of JSON.parse would change (GasDeterminismTest,
   * MemoryLimitDeterminismTest). jqwik prints the seed of a failing case.
   */
  @Property(tries = 2_000)
  void parseCountAgreesWithTheTwoScansItReplaced(
      @ForAll("jsonish") String text, @ForAll @IntRange(min = 0, max = 6) int limit) {
    long bytes = separateCount(text);
    boolean deeper = JsonTextScan.nestedDeeperThan(text, limit);
    assertEquals(deeper ? -1 - bytes : bytes, JsonTextScan.parseCount(text, limit), text);
    assertEquals(bytes, MemoryBudget.parsedJsonBytes(text), text);
  }

  /** The memory count's own scan as it was before the two were fused: this test's oracle. */
  private static long separateCount(String text) {
    long containers = 0;
    long separators = 0;
    long stringChars = 0;
    boolean inString = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '"') {
          inString = false;
        } else {
          stringChars++;
          if (c == '\\') {
            i++;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        containers++;
      } else if (c == ',' || c == ':') {
        separators++;
      }
    }
    return containers * MemoryBudget.OBJECT_BYTES
        + separators * MemoryBudget.ELEMENT_BYTES
        + stringChars * MemoryBudget.CHAR_BYTES;
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars("\"\\[]{},:a1 ").ofMaxLength(40);
  }

  @Test
  void nestingCountsBracketsOutsideStringsOnly() {
    assertTrue(JsonTextScan.nestedDeeperThan("[[[]]]", 2));
    assertFalse(JsonTextScan.nestedDeeperThan("[[[]]]", 3));
    assertFalse(JsonTextScan.nestedDeeperThan("[\"[[[[\"]", 1));
    // An escaped quote does not end the string, so its brackets stay inside it.
    assertFalse(JsonTextScan.nestedDeeperThan("[\"\\\"[[\"]", 1));
    assertEquals(-1 - 3 * 64, JsonTextScan.parseCount("[[[]]]", 2));
    assertEquals(3 * 64, JsonTextScan.parseCount("[[[]]]", 3));
  }

  @Test
  void aTooDeepTextStillReportsItsWholeCount() {
    // Deeper than the limit at the first brackets; the separators and characters after count too.
    String text = "[[[1]],\"ab\",{\"c\":2}]";
    assertEquals(-1 - MemoryBudget.parsedJsonBytes(text), JsonTextScan.parseCount(text, 1));
  }
}
