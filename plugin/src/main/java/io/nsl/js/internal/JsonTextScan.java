package io.nsl.js.internal;

import io.nsl.js.MemoryBudget;

/**
 * The prelude's look at JSON text before {@code JSON.parse} and after {@code JSON.stringify}: how
 * deep arrays and objects nest (brackets inside strings do not count), and what the parse counts
 * into the memory budget ({@link MemoryBudget#parsedJsonBytes}). Both follow one state machine (a
 * {@code "} outside a string opens one, inside closes it; a {@code \} inside skips the next
 * character), so {@link #parseCount} does both in one pass over the text, with one crossing from
 * the guest and one conversion of the text: the same answers as the two scans it replaces
 * (JsonTextScanTest checks that on random text). Pure: no I/O, no state.
 */
public final class JsonTextScan {
  private JsonTextScan() {}

  /**
   * Whether {@code text} nests arrays and objects deeper than {@code limit}; stops at the first.
   */
  public static boolean nestedDeeperThan(CharSequence text, int limit) {
    int level = 0;
    boolean inString = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++level > limit) {
          return true;
        }
      } else if (c == ']' || c == '}') {
        level--;
      }
    }
    return false;
  }

  /**
   * What {@code JSON.parse(text)} counts, {@link MemoryBudget#parsedJsonBytes}, if the text nests
   * no deeper than {@code nestingLimit}; {@code -1 - that count} if it nests deeper (the prelude
   * counts the bytes either way, then refuses the parse). One pass.
   */
  public static long parseCount(CharSequence text, int nestingLimit) {
    long containers = 0;
    long separators = 0;
    long stringChars = 0;
    int level = 0;
    boolean deeper = false;
    boolean inString = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '"') {
          inString = false;
        } else {
          stringChars++;
          if (c == '\\') {
            i++; // an escape is one character however it is written
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        containers++;
        if (++level > nestingLimit) {
          deeper = true;
        }
      } else if (c == '}' || c == ']') {
        level--;
      } else if (c == ',' || c == ':') {
        separators++;
      }
    }
    long bytes =
        containers * MemoryBudget.OBJECT_BYTES
            + separators * MemoryBudget.ELEMENT_BYTES
            + stringChars * MemoryBudget.CHAR_BYTES;
    return deeper ? -1 - bytes : bytes;
  }
}
