package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SameOriginTest {
  @Test
  void requestsWithoutOriginPass() {
    assertEquals(Optional.empty(), SameOrigin.refusal(null, "127.0.0.1:8787", null, null));
    assertEquals(Optional.empty(), SameOrigin.refusal(null, null, "none", null));
  }

  @Test
  void theServicesOwnOriginPasses() {
    assertEquals(
        Optional.empty(),
        SameOrigin.refusal("http://127.0.0.1:8787", "127.0.0.1:8787", "same-origin", null));
    assertEquals(
        Optional.empty(), SameOrigin.refusal("https://NSL.example", "nsl.example", null, null));
    assertEquals(
        Optional.empty(), SameOrigin.refusal("https://nsl.example:443", "nsl.example", null, null));
    assertEquals(
        Optional.empty(), SameOrigin.refusal("http://nsl.example", "nsl.example:80", null, null));
  }

  @Test
  void anotherOriginIsRefused() {
    assertTrue(SameOrigin.refusal("http://evil.example", "127.0.0.1:8787", null, null).isPresent());
    assertTrue(
        SameOrigin.refusal("http://127.0.0.1:8788", "127.0.0.1:8787", null, null).isPresent());
    assertTrue(
        SameOrigin.refusal("http://localhost:8787", "127.0.0.1:8787", null, null).isPresent());
    // a host that only starts like ours
    assertTrue(
        SameOrigin.refusal("http://127.0.0.1:8787.evil.example", "127.0.0.1:8787", null, null)
            .isPresent());
  }

  @Test
  void opaqueAndMalformedOriginsAreRefused() {
    assertTrue(SameOrigin.refusal("null", "127.0.0.1:8787", null, null).isPresent());
    assertTrue(SameOrigin.refusal("file://", "127.0.0.1:8787", null, null).isPresent());
    assertTrue(SameOrigin.refusal("127.0.0.1:8787", "127.0.0.1:8787", null, null).isPresent());
    assertTrue(SameOrigin.refusal("http://127.0.0.1:8787", null, null, null).isPresent());
  }

  @Test
  void browsersMarkingTheRequestCrossSiteAreRefusedEvenWithoutOrigin() {
    String why = SameOrigin.refusal(null, "127.0.0.1:8787", "cross-site", null).orElseThrow();
    assertTrue(why.contains("cross-site"), why);
    assertTrue(SameOrigin.refusal(null, "127.0.0.1:8787", "same-site", null).isPresent());
  }

  @Test
  void aLinkFromAnotherSiteStillOpensTheConsole() {
    // a top-level navigation: no Origin on GET, Sec-Fetch-Site cross-site
    assertEquals(
        Optional.empty(), SameOrigin.refusal(null, "127.0.0.1:8787", "cross-site", "navigate"));
    // a cross-site form POST navigates too, but carries its Origin
    assertTrue(
        SameOrigin.refusal("http://evil.example", "127.0.0.1:8787", "cross-site", "navigate")
            .isPresent());
    assertTrue(SameOrigin.refusal(null, "127.0.0.1:8787", "cross-site", "cors").isPresent());
  }
}
