package io.nsl.enclave;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The measurement a SIMULATED instance claims: SHA-256 of the service's own code, so that a new
 * build has a new measurement exactly as a new SGX build has a new MRENCLAVE, and the gateway
 * policy applies to it the same way. {@value #ENV} (64 hex digits) overrides it, for tests and
 * devnets only. Nothing proves a SIMULATED measurement: the instance just says it.
 */
public final class SimulatedMeasurement {
  /** Environment variable overriding the measurement (64 hex digits). */
  public static final String ENV = "NSL_SIMULATED_MEASUREMENT";

  private SimulatedMeasurement() {}

  /**
   * {@value #ENV} from {@code env} when set, else the hash of the code.
   *
   * @throws IllegalArgumentException when the variable is set but not 64 hex digits
   */
  public static String from(Map<String, String> env) {
    String v = env.get(ENV);
    if (v != null && !v.isBlank()) {
      return checkHex(v.strip(), ENV);
    }
    return ofCode();
  }

  /** Validates and lower-cases a 32-byte hex measurement. */
  public static String checkHex(String hex, String what) {
    String h = hex.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          what + " must be 64 hex digits (a SHA-256 / MRENCLAVE), got '" + hex + "'");
    }
    return h;
  }

  /**
   * SHA-256 of the code this class was loaded from: the jar's bytes, or for a classes folder every
   * file's relative path and bytes in sorted order.
   */
  public static String ofCode() {
    CodeSource src = SimulatedMeasurement.class.getProtectionDomain().getCodeSource();
    if (src == null || src.getLocation() == null) {
      throw new IllegalStateException("the code location of the service is unknown");
    }
    Path where;
    try {
      where = Path.of(src.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad code location " + src.getLocation(), e);
    }
    MessageDigest sha = sha256();
    try {
      if (Files.isDirectory(where)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(where)) {
          files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
          sha.update(where.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          sha.update(Files.readAllBytes(f));
        }
      } else {
        try (InputStream in = Files.newInputStream(where)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service's code at " + where, e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
