package io.nsl.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * The client a request is counted against, from its address: an IPv4 address is one client; an IPv6
 * address counts as its /64, since one machine is normally given a whole /64 and could otherwise
 * take a fresh address (and a fresh rate-limit bucket and nonce share) per request. Pure and
 * thread-safe; never resolves names.
 */
final class ClientKey {
  private ClientKey() {}

  /** {@code ip4:a.b.c.d}, {@code ip6:<first 64 bits, hex>/64}, or {@code other:<text>}. */
  static String of(String remoteAddress) {
    InetAddress a;
    try {
      a = InetAddress.ofLiteral(remoteAddress);
    } catch (IllegalArgumentException e) {
      return "other:" + remoteAddress;
    }
    if (a instanceof Inet4Address) {
      return "ip4:" + a.getHostAddress();
    }
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      return "ip6:" + HexFormat.of().formatHex(b, 0, 8) + "/64";
    }
    return "other:" + remoteAddress;
  }
}
