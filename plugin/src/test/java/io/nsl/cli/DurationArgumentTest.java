package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationArgumentTest {
  private static final Duration MAX = Duration.ofHours(1);

  @Test
  void readsWholeMillisecondsSecondsAndMinutes() {
    assertEquals(Duration.ofMillis(50), DurationArgument.parse("--timeout", "50ms", MAX));
    assertEquals(Duration.ofSeconds(10), DurationArgument.parse("--timeout", "10s", MAX));
    assertEquals(Duration.ofSeconds(120), DurationArgument.parse("--timeout", "120S", MAX));
    assertEquals(Duration.ofMinutes(2), DurationArgument.parse("--timeout", " 2m ", MAX));
    assertEquals(MAX, DurationArgument.parse("--timeout", "60m", MAX));
  }

  @Test
  void refusesWhatIsNotAPositiveDurationNamingTheOptionAndValue() {
    for (String bad :
        new String[] {"", "abc", "-1", "-1s", "10", "1.5s", "10 sec", "PT10S", "2h", "s", null}) {
      CliInputException e =
          assertThrows(
              CliInputException.class, () -> DurationArgument.parse("--timeout", bad, MAX));
      assertEquals(
          "--timeout '" + bad + "' is not a duration: give a whole number of ms, s or m, like 30s",
          e.getMessage());
    }
    CliInputException zero =
        assertThrows(
            CliInputException.class, () -> DurationArgument.parse("--timeout", "0ms", MAX));
    assertEquals("--timeout '0ms' must be more than 0", zero.getMessage());
  }

  @Test
  void refusesMoreThanTheMostAllowed() {
    for (String bad : new String[] {"61m", "3601s", "3600001ms", "999999999999999999999m"}) {
      CliInputException e =
          assertThrows(
              CliInputException.class, () -> DurationArgument.parse("--timeout", bad, MAX));
      assertTrue(
          e.getMessage().startsWith("--timeout '" + bad + "' is more than 60m, the most"),
          e.getMessage());
    }
  }

  @Test
  void formatsInTheLargestWholeUnitAndReadsBack() {
    assertEquals("10s", DurationArgument.format(Duration.ofSeconds(10)));
    assertEquals("1500ms", DurationArgument.format(Duration.ofMillis(1500)));
    assertEquals("2m", DurationArgument.format(Duration.ofMinutes(2)));
    for (Duration d :
        new Duration[] {Duration.ofMillis(1), Duration.ofMillis(61_000), Duration.ofMinutes(60)}) {
      assertEquals(d, DurationArgument.parse("--timeout", DurationArgument.format(d), MAX));
    }
  }
}
