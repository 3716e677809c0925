package io.nsl.js.internal;

import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values in text with {@code [REDACTED]}. Catches accidental logging of a value,
 * not deliberate exfiltration (a function can always transform a secret before logging it).
 */
public final class Scrubber {
  public static final String REDACTED = "[REDACTED]";

  private Scrubber() {}

  /** {@code text} with every occurrence of every non-empty value replaced, longest value first. */
  public static String scrub(String text, List<String> values) {
    if (values.isEmpty() || text.isEmpty()) {
      return text;
    }
    List<String> ordered =
        values.stream()
            .filter(v -> !v.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    String out = text;
    for (String v : ordered) {
      out = out.replace(v, REDACTED);
    }
    return out;
  }
}
