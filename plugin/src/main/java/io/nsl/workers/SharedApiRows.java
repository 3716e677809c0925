package io.nsl.workers;

import io.nsl.api.SharedApiState;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SharedApiState} in the shared rows: a nonce is a row {@code api/nonce/<key>} holding when
 * it expires, taken by compare-and-set; a token bucket a row {@code api/bucket/<key>} holding its
 * tokens and the time it was last filled, updated by compare-and-set (retried on a race). Expired
 * nonce rows are swept at most once a minute, each removed only if unchanged since it was read.
 *
 * <p>Costs per signed API call: the nonce (one conditional write, one read when it was used
 * before), and per limiter one read and one conditional write.
 */
public final class SharedApiRows implements SharedApiState {
  static final String NONCE = "api/nonce/";
  static final String BUCKET = "api/bucket/";
  private static final long SWEEP_EVERY_MILLIS = 60_000;
  private static final int MAX_RACES = 50;

  private final SharedRows rows;
  private final AtomicLong lastSweep = new AtomicLong();

  public SharedApiRows(SharedRows rows) {
    this.rows = rows;
  }

  @Override
  public boolean firstUse(String key, long expiresAtMillis, long nowMillis) {
    sweepNow(nowMillis);
    byte[] value = ByteBuffer.allocate(8).putLong(expiresAtMillis).array();
    for (int i = 0; i < MAX_RACES; i++) {
      Optional<SharedRows.Row> old = rows.get(NONCE + key);
      if (old.isPresent() && ByteBuffer.wrap(old.get().value()).getLong() >= nowMillis) {
        return false; // used, and still inside its window
      }
      if (rows.putIfVersion(NONCE + key, old.map(SharedRows.Row::version).orElse(0L), value)) {
        return true;
      }
    }
    throw new IllegalStateException(
        "nonce row " + key + " kept changing under " + MAX_RACES + " tries");
  }

  @Override
  public boolean tryTake(String key, double perSecond, int burst, long nowMillis) {
    for (int i = 0; i < MAX_RACES; i++) {
      Optional<SharedRows.Row> old = rows.get(BUCKET + key);
      double tokens = burst;
      if (old.isPresent()) {
        ByteBuffer b = ByteBuffer.wrap(old.get().value());
        double had = b.getDouble();
        long last = b.getLong();
        tokens = Math.min(burst, had + Math.max(0, nowMillis - last) * perSecond / 1000.0);
      }
      if (tokens < 1) {
        return false;
      }
      byte[] value = ByteBuffer.allocate(16).putDouble(tokens - 1).putLong(nowMillis).array();
      if (rows.putIfVersion(BUCKET + key, old.map(SharedRows.Row::version).orElse(0L), value)) {
        return true;
      }
    }
    throw new IllegalStateException(
        "rate bucket " + key + " kept changing under " + MAX_RACES + " tries");
  }

  /** Removes nonce rows expired at {@code nowMillis}; returns how many. */
  int sweep(long nowMillis) {
    int removed = 0;
    for (Map.Entry<String, SharedRows.Row> e : rows.scan(NONCE).entrySet()) {
      SharedRows.Row r = e.getValue();
      if (ByteBuffer.wrap(r.value()).getLong() < nowMillis
          && rows.deleteIfVersion(e.getKey(), r.version())) {
        removed++;
      }
    }
    return removed;
  }

  private void sweepNow(long nowMillis) {
    long last = lastSweep.get();
    if (nowMillis - last >= SWEEP_EVERY_MILLIS && lastSweep.compareAndSet(last, nowMillis)) {
      sweep(nowMillis);
    }
  }
}
