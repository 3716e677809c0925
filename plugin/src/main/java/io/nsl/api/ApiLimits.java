package io.nsl.api;

import java.time.Duration;

/**
 * Bounds of the HTTP API. The operator sets them in config/nsl.yml ({@code api.*}); an invalid
 * value is refused with an {@link IllegalArgumentException} whose message starts with the
 * component's name.
 *
 * @param maxBodyBytes largest request body; bigger ones are refused with BODY_TOO_LARGE
 * @param timestampWindow how far a request's timestamp may be from the server's clock; also how
 *     long a nonce is remembered (the replay window)
 * @param nonceCacheEntries nonces remembered (each for the timestamp window); when full, signed
 *     requests are refused with NONCE_CACHE_FULL until entries expire. One client (an IPv4 address
 *     or an IPv6 /64) may hold at most {@link #noncesPerClient()} of them
 * @param callerPerSecond sustained signed requests per second per developer account
 * @param callerBurst requests a developer account may send at once
 * @param addressPerSecond sustained requests per second per client address (all endpoints)
 * @param addressBurst requests one address may send at once
 * @param recentFailures most failures one {@code GET /v1/failures} answers
 * @param requestTimeout longest time to receive a request, and separately to send an answer
 * @param maxRequestHeaders most headers one request may carry
 */
public record ApiLimits(
    int maxBodyBytes,
    Duration timestampWindow,
    int nonceCacheEntries,
    double callerPerSecond,
    int callerBurst,
    double addressPerSecond,
    int addressBurst,
    int recentFailures,
    Duration requestTimeout,
    int maxRequestHeaders) {
  /** Bodies are held in memory whole; more than this is a mistake, not a use. */
  public static final int MAX_BODY_BYTES_CEILING = 64 << 20;

  /** Smallest body limit: a signed request with a short JSON body must still fit. */
  public static final int MIN_BODY_BYTES = 1024;

  /** Narrowest replay window, in seconds. */
  public static final long MIN_TIMESTAMP_WINDOW_SECONDS = 1;

  /** Widest replay window, in seconds (a day): every nonce is remembered this long. */
  public static final long MAX_TIMESTAMP_WINDOW_SECONDS = 86_400;

  /** Shortest request timeout, in seconds. */
  public static final long MIN_REQUEST_TIMEOUT_SECONDS = 1;

  /**
   * Fewest headers a request may be allowed: below this the signed requests' own headers (4 auth +
   * Host, Content-Type...) stop fitting.
   */
  public static final int MIN_REQUEST_HEADERS = 16;

  public ApiLimits {
    if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be "
              + MIN_BODY_BYTES
              + ".."
              + MAX_BODY_BYTES_CEILING
              + ", got "
              + maxBodyBytes);
    }
    if (timestampWindow.getSeconds() < MIN_TIMESTAMP_WINDOW_SECONDS
        || timestampWindow.compareTo(Duration.ofSeconds(MAX_TIMESTAMP_WINDOW_SECONDS)) > 0) {
      throw new IllegalArgumentException(
          "timestampWindow must be "
              + MIN_TIMESTAMP_WINDOW_SECONDS
              + ".."
              + MAX_TIMESTAMP_WINDOW_SECONDS
              + " s, got "
              + timestampWindow.getSeconds()
              + " s");
    }
    positive("nonceCacheEntries", nonceCacheEntries);
    rate("callerPerSecond", callerPerSecond);
    positive("callerBurst", callerBurst);
    rate("addressPerSecond", addressPerSecond);
    positive("addressBurst", addressBurst);
    positive("recentFailures", recentFailures);
    if (requestTimeout.getSeconds() < MIN_REQUEST_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          "requestTimeout must be at least "
              + MIN_REQUEST_TIMEOUT_SECONDS
              + " s, got "
              + requestTimeout.toMillis()
              + " ms");
    }
    if (maxRequestHeaders < MIN_REQUEST_HEADERS) {
      throw new IllegalArgumentException(
          "maxRequestHeaders must be at least "
              + MIN_REQUEST_HEADERS
              + ", got "
              + maxRequestHeaders);
    }
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  private static void rate(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
  }

  /** Share of the nonce cache one client may hold: 1/20 of it, so no client fills it alone. */
  public int noncesPerClient() {
    return Math.max(1, nonceCacheEntries / NONCE_SHARES);
  }

  /** How many clients it takes to fill the nonce cache. */
  public static final int NONCE_SHARES = 20;

  /** These limits with the two HTTP-level bounds at their defaults. */
  public ApiLimits(
      int maxBodyBytes,
      Duration timestampWindow,
      int nonceCacheEntries,
      double callerPerSecond,
      int callerBurst,
      double addressPerSecond,
      int addressBurst,
      int recentFailures) {
    this(
        maxBodyBytes,
        timestampWindow,
        nonceCacheEntries,
        callerPerSecond,
        callerBurst,
        addressPerSecond,
        addressBurst,
        recentFailures,
        Duration.ofSeconds(30),
        200);
  }

  /**
   * 1 MiB bodies (a function may be 256 KiB of UTF-8, and JSON escaping can grow it), 5 minutes of
   * clock skew, 100,000 nonces, 10 requests/s per developer (burst 40), 50/s per address (burst
   * 200), 100 failures per answer, 30 s to receive a request or send an answer, 200 headers.
   */
  public static ApiLimits defaults() {
    return new ApiLimits(1 << 20, Duration.ofMinutes(5), 100_000, 10, 40, 50, 200, 100);
  }
}
