package io.nsl.cli;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration given on the command line ({@code simulate --timeout}): a whole number of
 * milliseconds, seconds or minutes ("50ms", "10s", "2m"). A unit is required, so "10" is never read
 * as the wrong one. Pure.
 */
final class DurationArgument {
  private static final Pattern DURATION =
      Pattern.compile("([0-9]+)\\s*(ms|s|m)", Pattern.CASE_INSENSITIVE);

  private DurationArgument() {}

  /**
   * {@code text} as a duration.
   *
   * @throws CliInputException naming the option and the value, for anything but a whole number with
   *     a unit, for zero, and for more than {@code max}
   */
  static Duration parse(String option, String text, Duration max) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new CliInputException(
          option
              + " '"
              + text
              + "' is not a duration: give a whole number of ms, s or m, like 30s");
    }
    long millisPerUnit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "m" -> 60_000;
          case "s" -> 1_000;
          default -> 1;
        };
    BigInteger millis = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(millisPerUnit));
    if (millis.signum() == 0) {
      throw new CliInputException(option + " '" + text + "' must be more than 0");
    }
    if (millis.compareTo(BigInteger.valueOf(max.toMillis())) > 0) {
      throw new CliInputException(
          option + " '" + text + "' is more than " + format(max) + ", the most allowed");
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  /** {@code d} in the largest unit that keeps it whole, as {@link #parse} reads it back. */
  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
