package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.js.ExecutionLimits;
import io.nsl.pipeline.Simulation.InvalidSimulationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTimeoutTest {
  @Test
  void readsWholeMillisecondsSecondsAndMinutes() {
    assertEquals(Duration.ofMillis(50), SimulationTimeout.parse("--timeout", "50ms"));
    assertEquals(Duration.ofSeconds(10), SimulationTimeout.parse("--timeout", "10s"));
    assertEquals(Duration.ofSeconds(120), SimulationTimeout.parse("--timeout", "120S"));
    assertEquals(Duration.ofMinutes(2), SimulationTimeout.parse("--timeout", " 2m "));
    assertEquals(SimulationTimeout.MAX, SimulationTimeout.parse("--timeout", "60m"));
  }

  @Test
  void refusesWhatIsNotAPositiveDurationNamingTheOptionAndValue() {
    for (String bad :
        new String[] {"", "abc", "-1", "-1s", "10", "1.5s", "10 sec", "PT10S", "2h", "s", null}) {
      InvalidSimulationException e =
          assertThrows(
              InvalidSimulationException.class, () -> SimulationTimeout.parse("--timeout", bad));
      assertEquals(
          "--timeout '" + bad + "' is not a duration: give a whole number of ms, s or m, like 30s",
          e.getMessage());
    }
    InvalidSimulationException zero =
        assertThrows(
            InvalidSimulationException.class, () -> SimulationTimeout.parse("--timeout", "0ms"));
    assertEquals("--timeout '0ms' must be more than 0", zero.getMessage());
  }

  @Test
  void refusesMoreThanTheMostAllowed() {
    for (String bad : new String[] {"61m", "3601s", "3600001ms", "999999999999999999999m"}) {
      InvalidSimulationException e =
          assertThrows(
              InvalidSimulationException.class, () -> SimulationTimeout.parse("timeout", bad));
      assertTrue(
          e.getMessage().startsWith("timeout '" + bad + "' is more than 60m, the most"),
          e.getMessage());
    }
  }

  @Test
  void formatsInTheLargestWholeUnitAndReadsBack() {
    assertEquals("10s", SimulationTimeout.format(Duration.ofSeconds(10)));
    assertEquals("1500ms", SimulationTimeout.format(Duration.ofMillis(1500)));
    assertEquals("2m", SimulationTimeout.format(Duration.ofMinutes(2)));
    for (Duration d :
        new Duration[] {Duration.ofMillis(1), Duration.ofMillis(61_000), Duration.ofMinutes(60)}) {
      assertEquals(d, SimulationTimeout.parse("--timeout", SimulationTimeout.format(d)));
    }
  }

  @Test
  void theDefaultIsTheProductionExecutorsDeadline() {
    assertEquals(ExecutionLimits.defaults().timeout(), SimulationTimeout.DEFAULT);
  }

  @Test
  void anInputHoldsOnlyATimeoutThatParseWouldGive() {
    assertEquals(SimulationTimeout.DEFAULT, input(SimulationTimeout.DEFAULT).timeout());
    assertEquals(SimulationTimeout.MAX, input(SimulationTimeout.MAX).timeout());
    for (Duration bad :
        new Duration[] {
          Duration.ZERO, Duration.ofMillis(-1), SimulationTimeout.MAX.plusMillis(1), null
        }) {
      InvalidSimulationException e =
          assertThrows(InvalidSimulationException.class, () -> input(bad), "" + bad);
      assertTrue(e.getMessage().startsWith("the timeout "), e.getMessage());
    }
  }

  private static Simulation.Input input(Duration timeout) {
    return SimulationInputs.returningOne(timeout);
  }
}
