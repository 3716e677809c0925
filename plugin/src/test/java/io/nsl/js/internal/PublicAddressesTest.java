package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a function's fetch may reach outside private mode: the public internet only. */
class PublicAddressesTest {
  @ParameterizedTest(name = "{0} public={1}")
  @CsvSource({
    "8.8.8.8, true",
    "1.1.1.1, true",
    "172.32.0.1, true",
    "100.128.0.1, true",
    "198.20.0.1, true",
    "2606:4700:4700::1111, true",
    "2a00:1450:4001:82a::200e, true",
    // loopback, unspecified, this network
    "127.0.0.1, false",
    "127.255.255.254, false",
    "0.0.0.0, false",
    "0.1.2.3, false",
    "::1, false",
    "::, false",
    // private networks (RFC 1918), carrier-grade NAT, link-local (cloud metadata lives here)
    "10.0.0.1, false",
    "172.16.0.1, false",
    "172.31.255.255, false",
    "192.168.1.1, false",
    "100.64.0.1, false",
    "100.127.255.255, false",
    "169.254.169.254, false",
    "fe80::1, false",
    // IETF protocol assignments, documentation, benchmarking, reserved, multicast, broadcast
    "192.0.0.1, false",
    "192.0.2.1, false",
    "198.51.100.1, false",
    "203.0.113.1, false",
    "198.18.0.1, false",
    "198.19.255.255, false",
    "240.0.0.1, false",
    "255.255.255.255, false",
    "224.0.0.1, false",
    "ff02::1, false",
    "2001:db8::1, false",
    // unique local IPv6, site-local
    "fc00::1, false",
    "fd12:3456::1, false",
    "fec0::1, false",
    // IPv4 inside IPv6: mapped (Java hands back the IPv4 address), compatible, NAT64, 6to4
    "::ffff:10.0.0.1, false",
    "::ffff:8.8.8.8, true",
    "::10.0.0.1, false",
    "64:ff9b::a00:1, false",
    "64:ff9b::808:808, true",
    "2002:a00:1::, false",
    "2002:808:808::, true",
    // Teredo hides the client address; refused whole
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, false",
  })
  void onlyPublicUnicastAddressesArePublic(String literal, boolean expected) {
    assertEquals(expected, PublicAddresses.isPublic(InetAddress.ofLiteral(literal)), literal);
  }
}
