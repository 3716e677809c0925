package io.nsl.trigger;

/**
 * What the scheduler does with schedule slots that passed while it could not run them (the service
 * was down and is catching up, or the subscription was paused or out of budget). The gateway
 * accepts any due slot once either way; the policy is the service's (docs/triggers.md).
 */
public enum MissedSlotPolicy {
  /** Every missed slot runs once, oldest first. */
  EACH_ONCE(0),
  /** Only the newest missed slot runs. */
  LATEST_ONLY(1);

  public final int code;

  MissedSlotPolicy(int code) {
    this.code = code;
  }

  public static MissedSlotPolicy ofCode(long code) {
    for (MissedSlotPolicy p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown missed-slot policy " + code + " (0 or 1)");
  }
}
