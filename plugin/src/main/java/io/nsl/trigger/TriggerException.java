package io.nsl.trigger;

import io.nsl.NslException;

/** A trigger that cannot be used as given: a bad cron expression or event filter. */
public final class TriggerException extends NslException {
  private TriggerException(String code, String message) {
    super(code, message);
  }

  /** A cron expression that does not parse; the message names the field and the value. */
  public static TriggerException badCron(String expression, String why) {
    return new TriggerException(
        "TRIGGER_BAD_CRON",
        "cron expression \""
            + expression
            + "\" is not valid: "
            + why
            + "; use 5 fields (minute hour day-of-month month day-of-week) in UTC");
  }

  /** An event filter that is not a JSON object of argument index to value. */
  public static TriggerException badFilter(String filter, String why) {
    return new TriggerException(
        "TRIGGER_BAD_FILTER",
        "event filter "
            + filter
            + " is not valid: "
            + why
            + "; use a JSON object from argument index to value, e.g. {\"0\":\"0x...\"}");
  }
}
