package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void encodesAsTheGatewayDoes() {
    // The gateway's refusal in TestRunRefusedForASlotThatIsNotDue names run 4611687117939015691
    // for subscription 1, slot 11 (contracts/gateway/subscriptions_test.go).
    assertEquals(4611687117939015691L, RunId.of(1, 11));
    assertEquals(1, RunId.subscriptionId(4611687117939015691L));
    assertEquals(11, RunId.slot(4611687117939015691L));
    assertEquals((1L << 62) | (5L << 40) | (100L << 8 | 3), RunId.of(5, RunId.eventSlot(100, 3)));
  }

  @Test
  void aRunIdIsNeverARequestId() {
    assertTrue(RunId.isRun(RunId.of(1, 0)));
    assertFalse(RunId.isRun(1));
    assertFalse(RunId.isRun(Long.MAX_VALUE >> 1));
  }

  @Test
  void refusesWhatTheGatewayCannotName() {
    assertThrows(IllegalArgumentException.class, () -> RunId.of(0, 1));
    assertThrows(IllegalArgumentException.class, () -> RunId.of(1L << 22, 1));
    assertThrows(IllegalArgumentException.class, () -> RunId.of(1, 1L << 40));
    assertThrows(IllegalArgumentException.class, () -> RunId.eventSlot(1, 256));
  }
}
