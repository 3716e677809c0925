package io.nsl.workers;

import java.nio.charset.StandardCharsets;

/**
 * A takeover made durable: {@code workerId} took request {@code requestId} over from a worker whose
 * lease expired. Sticky while its holder is live, so that the old owner, once back, does not take
 * the request again (its answer would be a second one).
 *
 * @param version the row's version in the store (for compare-and-set), 0 when not stored yet
 */
public record Claim(long requestId, String workerId, long atMillis, long version) {
  public Claim {
    WorkerLease.checkId(workerId);
  }

  byte[] encode() {
    return ("v1|" + workerId + "|" + atMillis).getBytes(StandardCharsets.UTF_8);
  }

  static Claim decode(long requestId, byte[] row, long version) {
    String s = new String(row, StandardCharsets.UTF_8);
    String[] p = s.split("\\|", -1);
    if (p.length != 3 || !p[0].equals("v1")) {
      throw new IllegalArgumentException(
          "unreadable claim row of request " + requestId + ": '" + s + "'");
    }
    try {
      return new Claim(requestId, p[1], Long.parseLong(p[2]), version);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "unreadable claim row of request " + requestId + ": '" + s + "'", e);
    }
  }
}
