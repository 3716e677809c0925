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

  /** A run asked of a subscription that is not an HTTP trigger (or does not exist). */
  public static TriggerException notHttp(long subscriptionId) {
    return new TriggerException(
        "TRIGGER_NOT_HTTP",
        "subscription "
            + subscriptionId
            + " is not an HTTP trigger the service follows; only subscriptions created with"
            + " --http start runs from the API (see ./nsl trigger show "
            + subscriptionId
            + ")");
  }

  /** A run asked of an HTTP subscription that does not take runs now. */
  public static TriggerException notActive(long subscriptionId, Subscription.Status status) {
    return new TriggerException(
        "TRIGGER_NOT_ACTIVE",
        "subscription "
            + subscriptionId
            + " is "
            + status.name().toLowerCase(java.util.Locale.ROOT)
            + ": resume it (./nsl trigger resume) or fund it (fundSubscription) first");
  }

  /** Too many HTTP calls wait for a block. */
  public static TriggerException busy(int waiting) {
    return new TriggerException(
        "TRIGGER_BUSY",
        waiting + " HTTP trigger calls already wait for the next block; retry in a few seconds");
  }

  /** An HTTP run that no block took in time (the service is behind or the node is away). */
  public static TriggerException runTimeout(long subscriptionId, long seconds) {
    return new TriggerException(
        "TRIGGER_RUN_TIMEOUT",
        "no block took the run of subscription "
            + subscriptionId
            + " within "
            + seconds
            + " s (is the service caught up? see GET /ready); it may still run with the next"
            + " block: check GET /v1/triggers/"
            + subscriptionId
            + " before calling again");
  }

  /** A run whose function the gateway no longer knows: it was not queued. */
  public static TriggerException unknownFunction(long subscriptionId) {
    return new TriggerException(
        "TRIGGER_NOT_ACTIVE",
        "subscription "
            + subscriptionId
            + " runs a function the gateway does not know (unregistered?): no run was queued");
  }
}
