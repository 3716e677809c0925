package io.nsl.api;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Refuses a signed request whose timestamp is outside the window around the server's clock, or
 * whose (public key, nonce) was already seen. A nonce is remembered only until its timestamp leaves
 * the window, since after that the timestamp check alone refuses it. Bounded: when {@code
 * maxEntries} live nonces are held, new requests are refused (retryably) instead of forgetting a
 * live nonce, which would reopen a replay. Thread-safe (synchronized; each call is O(log n)).
 */
final class ReplayGuard {
  private record Entry(long expiresAtMillis, String key) {}

  private final Clock clock;
  private final long windowMillis;
  private final int maxEntries;
  private final Set<String> seen = new HashSet<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis));

  ReplayGuard(Clock clock, Duration window, int maxEntries) {
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.maxEntries = maxEntries;
  }

  /** Accepts the request once, or throws {@link ApiFailure} saying why not. */
  synchronized void check(String publicKeyHex, long timestampMillis, String nonce) {
    long now = clock.millis();
    if (Math.abs(now - timestampMillis) > windowMillis) {
      throw new ApiFailure(
          ErrorStatus.AUTH_TIMESTAMP_SKEW,
          "the request's timestamp "
              + timestampMillis
              + " is "
              + Math.abs(now - timestampMillis) / 1000
              + " s away from the server's clock ("
              + now
              + " ms); the limit is "
              + windowMillis / 1000
              + " s. Sign with the current Unix time in milliseconds and check the client's clock");
    }
    while (!byExpiry.isEmpty() && byExpiry.peek().expiresAtMillis < now) {
      seen.remove(byExpiry.poll().key);
    }
    String key = publicKeyHex + "/" + nonce;
    if (seen.contains(key)) {
      throw new ApiFailure(
          ErrorStatus.AUTH_NONCE_REUSED,
          "nonce '"
              + nonce
              + "' was already used with this key; sign every request with a fresh"
              + " random nonce (a replayed request is refused)");
    }
    if (seen.size() >= maxEntries) {
      throw new ApiFailure(
          ErrorStatus.NONCE_CACHE_FULL,
          "the server holds "
              + maxEntries
              + " recent nonces and cannot accept more right now;"
              + " retry in a few seconds");
    }
    seen.add(key);
    byExpiry.add(new Entry(timestampMillis + windowMillis, key));
  }
}
