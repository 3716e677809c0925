package io.nsl.trigger;

/** What starts a subscription's runs; {@link #code} is the gateway's number for it. */
public enum TriggerKind {
  /** Every N blocks from the subscription's start block. */
  EVERY_BLOCKS(1),
  /** A 5-field cron expression in UTC, evaluated on block time. */
  CRON(2),
  /** A notification of a contract, by event name, with an optional filter on its arguments. */
  EVENT(3),
  /** A call signed by the function's owner through the API. */
  HTTP(4);

  public final int code;

  TriggerKind(int code) {
    this.code = code;
  }

  /** The kind with the gateway's number {@code code}. */
  public static TriggerKind ofCode(long code) {
    for (TriggerKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown trigger kind " + code + " (1..4)");
  }
}
