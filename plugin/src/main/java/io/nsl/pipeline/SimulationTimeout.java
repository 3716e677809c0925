package io.nsl.pipeline;

import io.nsl.js.ExecutionLimits;
import io.nsl.pipeline.Simulation.InvalidSimulationException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulation's wall-clock deadline, the one definition behind {@code ./nsl function simulate
 * --timeout} and {@code POST /v1/simulate}'s {@code timeout}: its default, its bound and its text
 * form, a whole number of milliseconds, seconds or minutes ("50ms", "10s", "2m"). A unit is
 * required, so "10" is never read as the wrong one. Pure.
 */
public final class SimulationTimeout {
  /**
   * The longest deadline: enough to watch a slow function finish on a loaded machine, short enough
   * that a typo ("600m") does not hang a terminal or a CI job for a day.
   */
  public static final Duration MAX = Duration.ofHours(1);

  /**
   * The default: the production executor's deadline, read from {@link ExecutionLimits#defaults()}
   * (the one place it is set), so it cannot drift from production.
   */
  public static final Duration DEFAULT = ExecutionLimits.defaults().timeout();

  private static final Pattern DURATION =
      Pattern.compile("([0-9]+)\\s*(ms|s|m)", Pattern.CASE_INSENSITIVE);

  private SimulationTimeout() {}

  /**
   * {@code text} as a deadline.
   *
   * @param name what the caller calls it ({@code --timeout}, {@code timeout}), first in a message
   * @throws InvalidSimulationException naming {@code name} and the value, for anything but a whole
   *     number with a unit, for zero, and for more than {@link #MAX}
   */
  public static Duration parse(String name, String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new InvalidSimulationException(
          name + " '" + text + "' is not a duration: give a whole number of ms, s or m, like 30s");
    }
    long millisPerUnit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "m" -> 60_000;
          case "s" -> 1_000;
          default -> 1;
        };
    BigInteger millis = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(millisPerUnit));
    if (millis.signum() == 0) {
      throw new InvalidSimulationException(name + " '" + text + "' must be more than 0");
    }
    if (millis.compareTo(BigInteger.valueOf(MAX.toMillis())) > 0) {
      throw new InvalidSimulationException(
          name + " '" + text + "' is more than " + format(MAX) + ", the most allowed");
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  /** {@code d} in the largest unit that keeps it whole, as {@link #parse} reads it back. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  /**
   * Empty when {@code d} is a deadline {@link #parse} could give; else what is wrong with it.
   * Checked by {@link Simulation.Input}, so no caller can run past {@link #MAX}.
   */
  static Optional<String> problem(Duration d) {
    if (d == null) {
      return Optional.of("the timeout is required");
    }
    if (d.isNegative() || d.isZero() || d.compareTo(MAX) > 0) {
      return Optional.of(
          "the timeout must be more than 0 and at most " + format(MAX) + ", got " + d);
    }
    return Optional.empty();
  }
}
