package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ClientKeyTest {
  @Test
  void ipv6AddressesInOneSlash64AreOneClient() {
    // Before: each of the 2^64 addresses of one IPv6 /64 had its own rate-limit bucket.
    assertEquals(ClientKey.of("2001:db8:1:2:0:0:0:1"), ClientKey.of("2001:db8:1:2:ffff:1:2:3"));
    assertEquals(ClientKey.of("2001:db8:1:2::1"), ClientKey.of("2001:db8:1:2:0:0:0:1"));
    assertNotEquals(ClientKey.of("2001:db8:1:2::1"), ClientKey.of("2001:db8:1:3::1"));
  }

  @Test
  void ipv4AddressesAreThemselves() {
    assertEquals("ip4:203.0.113.7", ClientKey.of("203.0.113.7"));
    assertNotEquals(ClientKey.of("203.0.113.7"), ClientKey.of("203.0.113.8"));
  }

  @Test
  void ipv4MappedIpv6IsTheIpv4Address() {
    assertEquals(ClientKey.of("203.0.113.7"), ClientKey.of("::ffff:203.0.113.7"));
  }

  @Test
  void somethingNotAnAddressIsItsOwnKey() {
    assertEquals("other:not an address", ClientKey.of("not an address"));
  }
}
