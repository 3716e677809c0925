package io.nsl.workers;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One worker's heartbeat row in the shared store: who it is, which build it runs, since when this
 * incarnation holds a lease, and until when the lease is good. Each worker writes only its own row.
 *
 * @param workerId stable across restarts of the same worker ({@code [A-Za-z0-9._-]}, 1..64)
 * @param measurement the build's enclave measurement in hex (two may run side by side)
 * @param sinceMillis when this incarnation joined (reset when its lease had lapsed)
 * @param renewedMillis when the row was last written
 * @param expiresMillis after this instant the worker is not live
 */
public record WorkerLease(
    String workerId, String measurement, long sinceMillis, long renewedMillis, long expiresMillis) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{0,128}");

  public WorkerLease {
    checkId(workerId);
    if (!HEX.matcher(measurement).matches()) {
      throw new IllegalArgumentException(
          "measurement must be lower-case hex of at most 128 characters, got '"
              + measurement
              + "'");
    }
    if (sinceMillis > renewedMillis || renewedMillis > expiresMillis) {
      throw new IllegalArgumentException(
          "lease of "
              + workerId
              + " must satisfy since <= renewed <= expires, got "
              + sinceMillis
              + ", "
              + renewedMillis
              + ", "
              + expiresMillis);
    }
  }

  /**
   * Checks a worker id as configured ({@code workers.id}).
   *
   * @throws IllegalArgumentException naming the bad id and the allowed characters
   */
  public static String checkId(String workerId) {
    if (workerId == null || !ID.matcher(workerId).matches()) {
      throw new IllegalArgumentException(
          "worker id '"
              + workerId
              + "' must be 1..64 characters of A-Z a-z 0-9 . _ - (it names the worker's rows in"
              + " the shared store)");
    }
    return workerId;
  }

  /** Live at {@code nowMillis}: the lease has not expired. */
  public boolean liveAt(long nowMillis) {
    return nowMillis < expiresMillis;
  }

  byte[] encode() {
    return String.join(
            "|",
            "v1",
            workerId,
            measurement,
            Long.toString(sinceMillis),
            Long.toString(renewedMillis),
            Long.toString(expiresMillis))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException a row this build cannot read (names the row)
   */
  static WorkerLease decode(byte[] row) {
    String s = new String(row, StandardCharsets.UTF_8);
    String[] p = s.split("\\|", -1);
    if (p.length != 6 || !p[0].equals("v1")) {
      throw new IllegalArgumentException("unreadable worker lease row '" + s + "'");
    }
    try {
      return new WorkerLease(
          p[1], p[2], Long.parseLong(p[3]), Long.parseLong(p[4]), Long.parseLong(p[5]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unreadable worker lease row '" + s + "'", e);
    }
  }
}
