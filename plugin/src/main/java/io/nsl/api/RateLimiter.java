package io.nsl.api;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a developer account or a client address): {@code perSecond} sustained,
 * {@code burst} at once. At most {@code maxKeys} buckets are held: when the table is full, idle
 * full buckets are dropped (a full bucket carries no information); when none is full, a new key is
 * refused until one is, so a flood of fresh keys neither grows the table nor resets a busy key's
 * bucket by evicting it. The bound holds up to the few keys being added concurrently. Thread-safe.
 */
final class RateLimiter {
  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }

  private final Clock clock;
  private final double perSecond;
  private final int burst;
  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(Clock clock, double perSecond, int burst, int maxKeys) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  /** Takes one token for {@code key}; false when the key has none left. */
  boolean tryAcquire(String key) {
    long now = clock.millis();
    if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
      evictIdle(now);
      if (buckets.size() >= maxKeys) {
        return false;
      }
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** Buckets held now. */
  int size() {
    return buckets.size();
  }

  /** Seconds until {@code key} has a token again (at least 1). */
  long retryAfterSeconds() {
    return Math.max(1, (long) Math.ceil(1 / perSecond));
  }

  private void refill(Bucket b, long now) {
    if (now > b.lastMillis) {
      b.tokens = Math.min(burst, b.tokens + (now - b.lastMillis) * perSecond / 1000.0);
      b.lastMillis = now;
    }
  }

  private void evictIdle(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      synchronized (b) {
        refill(b, now);
        if (b.tokens >= burst) {
          it.remove();
        }
      }
    }
  }
}
