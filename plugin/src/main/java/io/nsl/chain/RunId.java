package io.nsl.chain;

/**
 * The gateway's id of a subscription's run (contracts/README.md, "Triggers"): {@code 2^62 |
 * subscriptionId << 40 | slot}. It can never be a request id (a counter from 1), so a run travels
 * the request pipeline under it without colliding; the gateway marks it answered in its
 * subscription's window, not in the requests' bitmap (decision 0931).
 *
 * <p>The slot is the slot's block index for schedules, and {@code block << 8 | n} for the n-th
 * matching event (or HTTP call) of a block.
 */
public final class RunId {
  /** The bit that marks a run id. */
  public static final long FLAG = 1L << 62;

  public static final long MAX_SUBSCRIPTION_ID = (1L << 22) - 1;
  public static final long MAX_SLOT = (1L << 40) - 1;

  /** Matching events (or HTTP calls) of one block and subscription that a slot can name. */
  public static final int EVENTS_PER_BLOCK = 256;

  private RunId() {}

  /** The run id of {@code slot} of subscription {@code subscriptionId}. */
  public static long of(long subscriptionId, long slot) {
    if (subscriptionId < 1 || subscriptionId > MAX_SUBSCRIPTION_ID) {
      throw new IllegalArgumentException(
          "subscriptionId must be 1.." + MAX_SUBSCRIPTION_ID + ", got " + subscriptionId);
    }
    if (slot < 0 || slot > MAX_SLOT) {
      throw new IllegalArgumentException("slot must be 0.." + MAX_SLOT + ", got " + slot);
    }
    return FLAG | subscriptionId << 40 | slot;
  }

  /** The slot of an event (or HTTP call): the n-th of block {@code blockIndex}. */
  public static long eventSlot(long blockIndex, int n) {
    if (n < 0 || n >= EVENTS_PER_BLOCK) {
      throw new IllegalArgumentException("n must be 0.." + (EVENTS_PER_BLOCK - 1) + ", got " + n);
    }
    return blockIndex << 8 | n;
  }

  /** Whether {@code id} names a run rather than a request. */
  public static boolean isRun(long id) {
    return id >= FLAG;
  }

  public static long subscriptionId(long runId) {
    return (runId >>> 40) & MAX_SUBSCRIPTION_ID;
  }

  public static long slot(long runId) {
    return runId & MAX_SLOT;
  }
}
