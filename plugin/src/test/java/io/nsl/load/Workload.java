package io.nsl.load;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the functions of the workers report do (bench/workers/run.sh, {@code WORKLOAD}).
 *
 * <ul>
 *   <li>{@code double}: copies of examples/functions/double.js, a few milliseconds of JavaScript
 *       and a secret read; on this machine the workers' CPU is the limit.
 *   <li>{@code latency} or {@code latency:MIN-MAX}: the common oracle case, a function that {@code
 *       fetch}es an HTTP endpoint (bench/workers/quote.js) which answers after MIN to MAX ms (200
 *       to 500 by default), spread evenly and fixed per request value, so every run of the report
 *       waits the same. A run holds its executor thread (and its function's lock) for the whole
 *       wait while using almost no CPU: the limit is the runs a worker has in flight.
 * </ul>
 *
 * @param name {@code double} or {@code latency}
 * @param minDelayMs shortest answer of the endpoint (0 for {@code double}, which fetches nothing)
 * @param maxDelayMs longest answer of the endpoint
 */
public record Workload(String name, int minDelayMs, int maxDelayMs) {
  /** The longest delay a range may ask for: below the fetch timeout's default of 5 s. */
  public static final int MAX_DELAY_MS = 4_000;

  public static final Workload DOUBLE = new Workload("double", 0, 0);
  public static final Workload LATENCY = new Workload("latency", 200, 500);

  private static final Pattern LATENCY_RANGE = Pattern.compile("latency:(\\d{1,9})-(\\d{1,9})");

  public Workload {
    if (!name.equals("double") && !name.equals("latency")) {
      throw new IllegalArgumentException(
          "workload '" + name + "' is unknown: use double, latency or latency:MIN-MAX (ms)");
    }
    if (name.equals("double") && (minDelayMs != 0 || maxDelayMs != 0)) {
      throw new IllegalArgumentException("the double workload fetches nothing: its delays are 0");
    }
    if (name.equals("latency") && (minDelayMs < 1 || minDelayMs > maxDelayMs)) {
      throw new IllegalArgumentException(
          "latency:"
              + minDelayMs
              + "-"
              + maxDelayMs
              + " is not a range of delays: MIN must be at least 1 ms and at most MAX");
    }
    if (maxDelayMs > MAX_DELAY_MS) {
      throw new IllegalArgumentException(
          "latency:"
              + minDelayMs
              + "-"
              + maxDelayMs
              + " waits longer than "
              + MAX_DELAY_MS
              + " ms: a function's fetch times out at 5 s (fetch.timeoutMs)");
    }
  }

  /** {@code double}, {@code latency} (200–500 ms) or {@code latency:MIN-MAX} (ms). */
  public static Workload parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("double")) {
      return DOUBLE;
    }
    if (t.equals("latency")) {
      return LATENCY;
    }
    Matcher m = LATENCY_RANGE.matcher(t);
    if (m.matches()) {
      return new Workload("latency", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    throw new IllegalArgumentException(
        "workload '"
            + text
            + "' is unknown: use double, latency or latency:MIN-MAX (ms, e.g. latency:200-500)");
  }

  public boolean fetches() {
    return name.equals("latency");
  }

  /**
   * How many functions the requests are spread over when the report is not told: 6 for {@code
   * double} (as before); 30 for {@code latency}, where each function's lock is held for a whole
   * fetch (decision 1010) and 3 workers of 2 executor threads keep 6 runs in flight: with the
   * requests sent round-robin over 30 functions, two runs in flight rarely want the same lock.
   */
  public int defaultFunctions() {
    return fetches() ? 30 : 6;
  }

  /** The id of the {@code n}-th function (from 1) of {@code functions}. */
  public String functionId(int n, int functions) {
    if (n < 1 || n > functions) {
      throw new IllegalArgumentException("function " + n + " of " + functions + " does not exist");
    }
    if (!fetches()) {
      return functions == 1 ? "double" : "double-" + n;
    }
    return "quote-" + n;
  }

  /**
   * The endpoint's delay for the request with this input value: spread evenly over [min, max] by a
   * fixed mix of the value, so the same requests wait the same in every run.
   */
  public int delayMillis(long value) {
    if (!fetches()) {
      return 0;
    }
    long z = value * 0x9E3779B97F4A7C15L; // Fibonacci hashing: neighbouring values spread out
    z ^= z >>> 29;
    int span = maxDelayMs - minDelayMs + 1;
    return minDelayMs + (int) Math.floorMod(z, (long) span);
  }

  /** The mean of {@link #delayMillis} over a whole range of values: (min + max) / 2. */
  public double meanDelayMillis() {
    return (minDelayMs + maxDelayMs) / 2.0;
  }

  /**
   * The most answers a second that {@code runsInFlight} concurrent runs can give if each run is
   * only its fetch's wait: runsInFlight / mean delay. The ceiling of one worker is its executor
   * threads; the ceiling of one function is 1 (its lock).
   */
  public double ceilingPerSecond(int runsInFlight) {
    if (!fetches()) {
      throw new IllegalStateException("the double workload waits for nothing: no latency ceiling");
    }
    if (runsInFlight < 1) {
      throw new IllegalArgumentException("runs in flight must be at least 1, was " + runsInFlight);
    }
    return runsInFlight * 1000.0 / meanDelayMillis();
  }

  @Override
  public String toString() {
    return fetches() ? name + ":" + minDelayMs + "-" + maxDelayMs : name;
  }
}
