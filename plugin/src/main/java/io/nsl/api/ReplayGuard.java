package io.nsl.api;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Refuses a signed request whose timestamp is outside the window around the server's clock, or
 * whose (public key, nonce) was already seen. A nonce is remembered only until its timestamp leaves
 * the window, since after that the timestamp check alone refuses it. Bounded: when {@code
 * maxEntries} live nonces are held, new requests are refused (retryably) instead of forgetting a
 * live nonce, which would reopen a replay. Thread-safe (synchronized; each call is O(log n)).
 *
 * <p>No client fills it alone: one client ({@link ClientKey}: an IPv4 address or an IPv6 /64) holds
 * at most {@code maxPerClient} live nonces, whatever keys it signs with; beyond that its requests
 * are refused as rate-limited until its own nonces leave the window. Only many clients together can
 * fill the cache, and then the refusal is {@code NONCE_CACHE_FULL} for everyone.
 */
final class ReplayGuard {
  private record Entry(long expiresAtMillis, String key, String client) {}

  private final Clock clock;
  private final long windowMillis;
  private final int maxEntries;
  private final int maxPerClient;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Integer> perClient = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis));

  ReplayGuard(Clock clock, Duration window, int maxEntries, int maxPerClient) {
    if (maxEntries < 1 || maxPerClient < 1) {
      throw new IllegalArgumentException(
          "maxEntries and maxPerClient must be at least 1, got "
              + maxEntries
              + ", "
              + maxPerClient);
    }
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.maxEntries = maxEntries;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Accepts the request once, or throws {@link ApiFailure} saying why not.
   *
   * @param clientAddress the address the request came from (counted by {@link ClientKey})
   */
  synchronized void check(
      String clientAddress, String publicKeyHex, long timestampMillis, String nonce) {
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
      Entry gone = byExpiry.poll();
      seen.remove(gone.key);
      perClient.computeIfPresent(gone.client, (c, n) -> n > 1 ? n - 1 : null);
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
    String client = ClientKey.of(clientAddress);
    int held = perClient.getOrDefault(client, 0);
    if (held >= maxPerClient) {
      long retryAfter = Math.max(1, windowMillis / 1000);
      throw new ApiFailure(
          ErrorStatus.RATE_LIMITED,
          "the server holds "
              + held
              + " recent nonces from "
              + clientAddress
              + ", the most one client may hold; slow down and retry after "
              + retryAfter
              + " s",
          Map.of("retryAfterSeconds", retryAfter));
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
    perClient.merge(client, 1, Integer::sum);
    byExpiry.add(new Entry(timestampMillis + windowMillis, key, client));
  }
}
