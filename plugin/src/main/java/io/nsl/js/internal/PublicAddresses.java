package io.nsl.js.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Which addresses count as the public internet for {@code fetch}: global unicast only. Everything
 * an operator's own machine or network answers on (loopback, RFC 1918, carrier-grade NAT,
 * link-local, where cloud metadata services live, unique-local IPv6), and the special-purpose
 * blocks of the IANA registries (documentation, benchmarking, reserved, multicast) are refused.
 * IPv4 carried inside IPv6 (compatible, NAT64, 6to4) is judged by the IPv4 address it carries;
 * Teredo is refused whole, since its client address is obfuscated.
 */
public final class PublicAddresses {
  // OkHttp treats a host of digits and dots as an IPv4 literal and hands it to the JDK unchecked.
  private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+");
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  private PublicAddresses() {}

  /**
   * A host of digits and dots that is not four decimal numbers without leading zeros: 2130706433,
   * 127.1 or 0177.0.0.1. The JDK reads the last as 177.0.0.1, C libraries as 127.0.0.1; such
   * spellings only ever serve to confuse a check, so fetch accepts none.
   */
  public static boolean isOddIpv4Spelling(String host) {
    return NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches();
  }

  public static boolean isPublic(InetAddress a) {
    if (a instanceof Inet4Address) {
      return isPublicV4(a.getAddress());
    }
    if (a instanceof Inet6Address) {
      return isPublicV6(a.getAddress());
    }
    return false;
  }

  private static boolean isPublicV4(byte[] b) {
    int o0 = b[0] & 0xff;
    int o1 = b[1] & 0xff;
    int o2 = b[2] & 0xff;
    return !(o0 == 0 // "this network"
        || o0 == 10 // RFC 1918
        || o0 == 127 // loopback
        || (o0 == 100 && (o1 & 0xc0) == 64) // 100.64/10 carrier-grade NAT
        || (o0 == 169 && o1 == 254) // link-local, cloud metadata
        || (o0 == 172 && (o1 & 0xf0) == 16) // RFC 1918
        || (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2)) // IETF assignments, TEST-NET-1
        || (o0 == 192 && o1 == 168) // RFC 1918
        || (o0 == 198 && (o1 & 0xfe) == 18) // 198.18/15 benchmarking
        || (o0 == 198 && o1 == 51 && o2 == 100) // TEST-NET-2
        || (o0 == 203 && o1 == 0 && o2 == 113) // TEST-NET-3
        || o0 >= 224); // multicast, reserved, broadcast
  }

  private static boolean isPublicV6(byte[] b) {
    if (isZero(b, 0, 12)) {
      // ::, ::1 and the deprecated IPv4-compatible form ::a.b.c.d
      return !isZero(b, 12, 4) && !(isZero(b, 12, 3) && b[15] == 1) && isPublicV4(tail(b, 12));
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (w0 == 0x64 && w1 == 0xff9b && isZero(b, 4, 8)) {
      return isPublicV4(tail(b, 12)); // NAT64 well-known prefix
    }
    if (w0 == 0x2002) {
      return isPublicV4(tail(b, 2)); // 6to4 carries the IPv4 address in bits 16..47
    }
    if (w0 == 0x2001 && w1 == 0) {
      return false; // Teredo
    }
    if (w0 == 0x2001 && w1 == 0x0db8) {
      return false; // documentation
    }
    // Global unicast is 2000::/3; this excludes fc00::/7 (unique local), fe80::/10 (link-local),
    // fec0::/10 (site-local), ff00::/8 (multicast) and the rest of the reserved space.
    return (b[0] & 0xe0) == 0x20;
  }

  private static boolean isZero(byte[] b, int from, int len) {
    for (int i = from; i < from + len; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] tail(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }
}
