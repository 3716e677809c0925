package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchPolicyTest {
  private final FetchPolicy operator =
      FetchPolicy.allowing(Set.of("api.example.com", "prices.example.org"), false);

  @Test
  void aFunctionsDeclaredHostsNarrowTheOperatorsToThoseBothAllow() {
    FetchPolicy p = operator.restrictedTo(Set.of("API.example.com", "evil.example.net"));
    assertEquals(Set.of("api.example.com"), p.allowedHosts());
    assertTrue(p.allows("api.example.com"));
    assertFalse(p.allows("prices.example.org"), "the function did not declare it");
    assertFalse(p.allows("evil.example.net"), "the operator does not allow it");
    assertEquals(operator.maxCalls(), p.maxCalls());
    assertEquals(operator.allowHttp(), p.allowHttp());
    assertEquals(operator.allowPrivateAddresses(), p.allowPrivateAddresses());
  }

  @Test
  void declaringNoHostsAllowsNone() {
    assertTrue(operator.restrictedTo(Set.of()).allowedHosts().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"api.example.com", "localhost", "203.0.113.7", "::1", "2001:db8::1", "a-b.c0"})
  void bareNamesAndIpLiteralsAreAllowlistEntries(String host) {
    assertTrue(FetchPolicy.hostNameProblem(host).isEmpty(), host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "https://api.example.com",
        "api.example.com/v1",
        "api.example.com:443",
        "*.example.com",
        ".example.com",
        "example.com.",
        "-bad.example.com",
        "a..b",
        "[::1]",
        "fe80::1%eth0",
        "2130706433",
        "127.1",
        "0177.0.0.1",
        "user@host",
        "host name"
      })
  void anythingElseIsRefusedWithTheReason(String host) {
    String problem = FetchPolicy.hostNameProblem(host).orElseThrow();
    assertTrue(problem.contains("'" + host + "'"), problem);
    assertTrue(problem.contains("without scheme, port, path or wildcard"), problem);
  }
}
