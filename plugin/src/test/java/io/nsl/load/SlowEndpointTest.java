package io.nsl.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SlowEndpointTest {
  @Test
  void readsOnlyAValueQuery() {
    assertEquals(42L, SlowEndpoint.valueOf("value=42"));
    assertEquals(-7L, SlowEndpoint.valueOf("value=-7"));
    assertNull(SlowEndpoint.valueOf(null));
    assertNull(SlowEndpoint.valueOf("value="));
    assertNull(SlowEndpoint.valueOf("value=4x2"));
    assertNull(SlowEndpoint.valueOf("value=1&x=2"));
    assertNull(SlowEndpoint.valueOf("value=12345678901234567890"));
  }
}
