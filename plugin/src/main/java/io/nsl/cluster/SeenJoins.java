package io.nsl.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The provider's memory of join requests: refuses a request outside the freshness window and one
 * whose nonce it has seen inside the window. Bounded: nonces older than the window are forgotten (a
 * request that old is refused as expired anyway); at most {@code capacity} are kept, and when full,
 * new requests are refused as replays until old ones expire (fail closed). Pure apart from the
 * {@link Clock}; thread-safe.
 */
public final class SeenJoins {
  /** The service's freshness window: a request made further than this from its clock is refused. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** The service's most remembered nonces. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /**
   * A nonce is remembered this many windows: a request is fresh for one window either side of the
   * provider's clock, so one seen now can come again until two windows have passed.
   */
  public static final int REMEMBERED_WINDOWS = 2;

  private final Clock clock;
  private final Duration window;
  private final int capacity;
  private final Map<String, Long> seen = new HashMap<>();
  private final ArrayDeque<Map.Entry<String, Long>> order = new ArrayDeque<>();

  public SeenJoins(Clock clock, Duration window, int capacity) {
    this.clock = clock;
    this.window = window;
    this.capacity = capacity;
  }

  /**
   * Refuses a request made outside the freshness window. Cheap: run it before verifying evidence.
   *
   * @throws JoinRefusedException JOIN_EXPIRED
   */
  public void checkFresh(long createdAtMillis) {
    long now = clock.millis();
    long w = window.toMillis();
    if (Math.abs(now - createdAtMillis) > w) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_EXPIRED,
          "the join request was made at "
              + createdAtMillis
              + " ms, "
              + (now - createdAtMillis)
              + " ms from this provider's clock; the window is "
              + w
              + " ms: make a new request (and check both clocks)");
    }
  }

  /**
   * Remembers the nonce of a request whose evidence verified, refusing one seen before. Only
   * verified requests are remembered, so requests with bad evidence cannot fill the memory.
   *
   * @throws JoinRefusedException JOIN_REPLAYED
   */
  public synchronized void remember(byte[] nonce) {
    long now = clock.millis();
    long w = window.toMillis();
    while (!order.isEmpty() && order.peekFirst().getValue() < now - REMEMBERED_WINDOWS * w) {
      seen.remove(order.pollFirst().getKey());
    }
    String key = HexFormat.of().formatHex(nonce);
    if (seen.containsKey(key)) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_REPLAYED,
          "this join request (nonce "
              + key
              + ") was already presented; a newcomer makes a new one");
    }
    if (seen.size() >= capacity) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_REPLAYED,
          "too many join requests in the last " + window + "; try again later");
    }
    seen.put(key, now);
    order.addLast(Map.entry(key, now));
  }
}
