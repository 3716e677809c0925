package io.nsl.trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week) in UTC, evaluated on block
 * time: a block is a slot when a tick falls in (previous block's time, its own time]. Each field is
 * {@code *} or a list of {@code a}, {@code a-b}, with an optional {@code /step}; day-of-week 0 and
 * 7 are Sunday. As in classic cron, when both day fields are restricted a day matches either.
 *
 * <p>Pure and immutable.
 */
public final class CronSchedule {
  /** The longest gap between two blocks searched for a tick (a year of minutes). */
  static final Duration MAX_SEARCH = Duration.ofDays(366);

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean daysRestricted;
  private final boolean weekdaysRestricted;

  private CronSchedule(String expression, BitSet[] f, boolean daysRestricted, boolean wd) {
    this.expression = expression;
    this.minutes = f[0];
    this.hours = f[1];
    this.days = f[2];
    this.months = f[3];
    this.weekdays = f[4];
    this.daysRestricted = daysRestricted;
    this.weekdaysRestricted = wd;
  }

  /** Parses {@code expression}; throws {@link TriggerException} naming the bad field. */
  public static CronSchedule parse(String expression) {
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != 5) {
      throw TriggerException.badCron(expression, "it has " + parts.length + " fields, not 5");
    }
    String[] names = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    int[] lo = {0, 0, 1, 1, 0};
    int[] hi = {59, 23, 31, 12, 7};
    BitSet[] f = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      f[i] = field(expression, names[i], parts[i], lo[i], hi[i]);
    }
    if (f[4].get(7)) {
      f[4].set(0);
      f[4].clear(7);
    }
    return new CronSchedule(expression, f, !parts[2].equals("*"), !parts[4].equals("*"));
  }

  private static BitSet field(String expr, String name, String text, int lo, int hi) {
    BitSet out = new BitSet(hi + 1);
    for (String item : text.split(",", -1)) {
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        step = number(expr, name, item.substring(slash + 1), 1, hi);
        range = item.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = lo;
        to = hi;
      } else if (range.contains("-")) {
        String[] ab = range.split("-", -1);
        if (ab.length != 2) {
          throw TriggerException.badCron(expr, name + " range \"" + range + "\" is not a-b");
        }
        from = number(expr, name, ab[0], lo, hi);
        to = number(expr, name, ab[1], lo, hi);
        if (from > to) {
          throw TriggerException.badCron(expr, name + " range \"" + range + "\" runs backwards");
        }
      } else {
        from = number(expr, name, range, lo, hi);
        to = slash >= 0 ? hi : from;
      }
      for (int v = from; v <= to; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private static int number(String expr, String name, String text, int lo, int hi) {
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw TriggerException.badCron(expr, name + " value \"" + text + "\" is not a number");
    }
    if (v < lo || v > hi) {
      throw TriggerException.badCron(expr, name + " value " + v + " is not in " + lo + ".." + hi);
    }
    return v;
  }

  public String expression() {
    return expression;
  }

  /** Whether the minute starting at {@code t} (UTC) is a tick. */
  boolean matches(ZonedDateTime t) {
    if (!minutes.get(t.getMinute()) || !hours.get(t.getHour())) {
      return false;
    }
    if (!months.get(t.getMonthValue())) {
      return false;
    }
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
    if (daysRestricted && weekdaysRestricted) {
      return day || weekday;
    }
    return day && weekday;
  }

  /**
   * The last tick in (after, until], if any: a block with time {@code until} whose previous block
   * has time {@code after} is a slot exactly when this is present. Searches at most {@link
   * #MAX_SEARCH} back from {@code until}.
   */
  public Optional<Instant> lastTickIn(Instant after, Instant until) {
    Instant floor = after.isBefore(until.minus(MAX_SEARCH)) ? until.minus(MAX_SEARCH) : after;
    ZonedDateTime t = until.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    while (t.toInstant().isAfter(floor)) {
      if (matches(t)) {
        return Optional.of(t.toInstant());
      }
      t = t.minusMinutes(1);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "cron(" + expression + ")";
  }
}
