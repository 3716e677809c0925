package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void aBlockIsASlotWhenATickFallsAfterThePreviousBlockAndAtOrBeforeIt() {
    CronSchedule every5 = CronSchedule.parse("*/5 * * * *");
    assertEquals(
        Optional.of(t("2026-12-06T12:05:00Z")),
        every5.lastTickIn(t("2026-12-06T12:04:50Z"), t("2026-12-06T12:05:05Z")));
    assertEquals(
        Optional.empty(),
        every5.lastTickIn(t("2026-12-06T12:05:00Z"), t("2026-12-06T12:05:15Z")),
        "the tick belongs to the block at or after it, not the next one");
    assertEquals(
        Optional.of(t("2026-12-06T12:05:00Z")),
        every5.lastTickIn(t("2026-12-06T12:04:59Z"), t("2026-12-06T12:05:00Z")));
  }

  @Test
  void daysFollowClassicCron() {
    CronSchedule mondayNoon = CronSchedule.parse("0 12 * * 1");
    // 2026-12-07 is a Monday.
    assertEquals(
        Optional.of(t("2026-12-07T12:00:00Z")),
        mondayNoon.lastTickIn(t("2026-12-07T11:59:45Z"), t("2026-12-07T12:00:10Z")));
    assertEquals(
        Optional.empty(),
        mondayNoon.lastTickIn(t("2026-12-08T11:59:45Z"), t("2026-12-08T12:00:10Z")));
    CronSchedule firstOrSunday = CronSchedule.parse("0 0 1 * 7");
    assertTrue(
        firstOrSunday.lastTickIn(t("2026-12-05T23:59:50Z"), t("2026-12-06T00:00:05Z")).isPresent(),
        "a Sunday");
    assertTrue(
        firstOrSunday.lastTickIn(t("2026-12-31T23:59:50Z"), t("2027-01-01T00:00:05Z")).isPresent(),
        "the 1st");
  }

  @Test
  void aLongGapGivesItsLastTick() {
    assertEquals(
        Optional.of(t("2026-12-06T15:00:00Z")),
        CronSchedule.parse("0 * * * *")
            .lastTickIn(t("2026-12-06T10:00:30Z"), t("2026-12-06T15:20:00Z")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "* * * *|it has 4 fields, not 5",
        "61 * * * *|minute value 61 is not in 0..59",
        "a * * * *|minute value \"a\" is not a number",
        "5-1 * * * *|minute range \"5-1\" runs backwards",
        "* * 0 * *|day-of-month value 0 is not in 1..31",
        "*/0 * * * *|minute value 0 is not in 1..59",
      })
  void refusesAnExpressionItCannotUse(String expr, String why) {
    TriggerException e = assertThrows(TriggerException.class, () -> CronSchedule.parse(expr));
    assertEquals("TRIGGER_BAD_CRON", e.code());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
