package io.nsl.api;

/**
 * What the API keeps in the store several workers share (docs/operator.md, "Several machines"), so
 * that a nonce used at one worker is refused at another and a rate limit holds across them. Checked
 * after the worker's own in-memory guard and limiters, which keep their bounds.
 *
 * <p>Contract: thread-safe; each method is atomic across every process sharing the store. Failures
 * are the store's, unchecked (the request fails as an internal error; nothing is accepted).
 */
public interface SharedApiState {
  /**
   * Records {@code key} as used until {@code expiresAtMillis}; false when it is already recorded
   * and not expired at {@code nowMillis} (a replay).
   */
  boolean firstUse(String key, long expiresAtMillis, long nowMillis);

  /**
   * Takes one token from the token bucket {@code key} ({@code perSecond} sustained, {@code burst}
   * at once); false when it has none.
   */
  boolean tryTake(String key, double perSecond, int burst, long nowMillis);
}
