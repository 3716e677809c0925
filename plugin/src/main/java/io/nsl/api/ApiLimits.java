package io.nsl.api;

import java.time.Duration;

/**
 * Bounds of the developer API.
 *
 * @param maxBodyBytes largest request body; bigger ones are refused with BODY_TOO_LARGE
 * @param timestampWindow how far a request's timestamp may be from the server's clock
 * @param nonceCacheEntries nonces remembered (each for the timestamp window); when full, signed
 *     requests are refused with NONCE_CACHE_FULL until entries expire
 * @param callerPerSecond sustained signed requests per second per developer account
 * @param callerBurst requests a developer account may send at once
 * @param addressPerSecond sustained requests per second per client address (all endpoints)
 * @param addressBurst requests one address may send at once
 * @param recentFailures most failures one {@code GET /v1/failures} answers
 */
public record ApiLimits(
    int maxBodyBytes,
    Duration timestampWindow,
    int nonceCacheEntries,
    double callerPerSecond,
    int callerBurst,
    double addressPerSecond,
    int addressBurst,
    int recentFailures) {
  public ApiLimits {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
    }
    if (timestampWindow.isNegative() || timestampWindow.isZero()) {
      throw new IllegalArgumentException("timestampWindow must be positive");
    }
    if (nonceCacheEntries < 1 || callerBurst < 1 || addressBurst < 1 || recentFailures < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (!(callerPerSecond > 0) || !(addressPerSecond > 0)) {
      throw new IllegalArgumentException("rates must be positive");
    }
  }

  /**
   * 1 MiB bodies (a function may be 256 KiB of UTF-8, and JSON escaping can grow it), 5 minutes of
   * clock skew, 100,000 nonces, 10 requests/s per developer (burst 40), 50/s per address (burst
   * 200).
   */
  public static ApiLimits defaults() {
    return new ApiLimits(1 << 20, Duration.ofMinutes(5), 100_000, 10, 40, 50, 200, 100);
  }
}
