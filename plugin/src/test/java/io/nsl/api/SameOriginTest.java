package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SameOriginTest {
  @Test
  void requestsWithoutOriginPass() {
    assertEquals(Optional.empty(), SameOrigin.refusal(null, "127.0.0.1:8787", null));
    assertEquals(Optional.empty(), SameOrigin.refusal(null, null, "none"));
  }

  @Test
  void theServicesOwnOriginPasses() {
    assertEquals(
        Optional.empty(),
        SameOrigin.refusal("http://127.0.0.1:8787", "127.0.0.1:8787", "same-origin"));
    assertEquals(Optional.empty(), SameOrigin.refusal("https://NSL.example", "nsl.example", null));
    assertEquals(
        Optional.empty(), SameOrigin.refusal("https://nsl.example:443", "nsl.example", null));
    assertEquals(
        Optional.empty(), SameOrigin.refusal("http://nsl.example", "nsl.example:80", null));
  }

  @Test
  void anotherOriginIsRefused() {
    assertTrue(SameOrigin.refusal("http://evil.example", "127.0.0.1:8787", null).isPresent());
    assertTrue(SameOrigin.refusal("http://127.0.0.1:8788", "127.0.0.1:8787", null).isPresent());
    assertTrue(SameOrigin.refusal("http://localhost:8787", "127.0.0.1:8787", null).isPresent());
    // a host that only starts like ours
    assertTrue(
        SameOrigin.refusal("http://127.0.0.1:8787.evil.example", "127.0.0.1:8787", null)
            .isPresent());
  }

  @Test
  void opaqueAndMalformedOriginsAreRefused() {
    assertTrue(SameOrigin.refusal("null", "127.0.0.1:8787", null).isPresent());
    assertTrue(SameOrigin.refusal("file://", "127.0.0.1:8787", null).isPresent());
    assertTrue(SameOrigin.refusal("127.0.0.1:8787", "127.0.0.1:8787", null).isPresent());
    assertTrue(SameOrigin.refusal("http://127.0.0.1:8787", null, null).isPresent());
  }

  @Test
  void browsersMarkingTheRequestCrossSiteAreRefusedEvenWithoutOrigin() {
    String why = SameOrigin.refusal(null, "127.0.0.1:8787", "cross-site").orElseThrow();
    assertTrue(why.contains("cross-site"), why);
    assertTrue(SameOrigin.refusal(null, "127.0.0.1:8787", "same-site").isPresent());
  }
}
