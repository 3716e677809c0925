package io.nsl.js;

/**
 * Gas of one execution. Pure arithmetic: no clock, no I/O, so the same code and input use the same
 * gas on every machine. Statements are charged by the engine's Truffle instrument through {@link
 * #chargeStatement()}; host calls through {@link #use(long)}.
 *
 * <p>Once a charge would pass the limit, the manager is exhausted: {@link #used()} is the limit and
 * stays there, and every later charge fails. Exhaustion is sticky so guest code that catches the
 * host-call error still stops at its next statement.
 *
 * <p>Threading: confined to one execution's thread (the guest runs single-threaded); not
 * thread-safe, except that {@link #used()} may be read racily for monitoring.
 */
public final class GasAccountingManager {
  private final long limit;
  private long used;
  private boolean exhausted;

  public GasAccountingManager(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("gas limit must be > 0, was " + limit);
    }
    this.limit = limit;
  }

  /**
   * Charges {@code amount} gas.
   *
   * @throws GasExhaustedException if the total would pass the limit (then {@code used() == limit})
   * @throws IllegalArgumentException if {@code amount < 0}
   */
  public void use(long amount) {
    if (!tryUse(amount)) {
      throw new GasExhaustedException(limit);
    }
  }

  /** Like {@link #use} but returns false instead of throwing. */
  public boolean tryUse(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("gas amount must be >= 0, was " + amount);
    }
    if (exhausted) {
      return false;
    }
    if (amount > limit - used) {
      used = limit;
      exhausted = true;
      return false;
    }
    used += amount;
    return true;
  }

  /** One statement; false once exhausted. Kept tiny: it runs in compiled guest code. */
  public boolean chargeStatement() {
    if (used < limit) {
      used++;
      return true;
    }
    exhausted = true;
    return false;
  }

  /** Gas used so far (never more than the limit). */
  public long used() {
    return used;
  }

  public long limit() {
    return limit;
  }

  public long remaining() {
    return limit - used;
  }

  public boolean exhausted() {
    return exhausted;
  }

  /** Back to zero used (the original API); used between warm-up runs, never mid-execution. */
  public void reset() {
    used = 0;
    exhausted = false;
  }
}
