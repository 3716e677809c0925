package io.nsl.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTextTest {
  private static final String TEXT =
      String.join(
          "\n",
          "# HELP nsl_takeovers_total requests taken over",
          "# TYPE nsl_takeovers_total counter",
          "nsl_takeovers_total 3.0",
          "nsl_takeovers_total_other 100",
          "nsl_stage_seconds_sum{stage=\"execute\"} 137.5",
          "nsl_stage_seconds_sum{stage=\"queue\"} 7557.0",
          "nsl_stage_seconds_count{stage=\"execute\"} 336",
          "nsl_requests_failed_total{kind=\"a b\"} 2",
          "nsl_requests_failed_total{kind=\"c\"} 5",
          "nsl_broken NaNx",
          "");

  @Test
  void sumsABareNameOverItsLabelSetsAndNotOverLongerNames() {
    assertEquals(3.0, MetricsText.sum(TEXT, "nsl_takeovers_total"));
    assertEquals(7.0, MetricsText.sum(TEXT, "nsl_requests_failed_total"));
    assertEquals(7694.5, MetricsText.sum(TEXT, "nsl_stage_seconds_sum"));
  }

  @Test
  void matchesALabelledSeriesExactly() {
    assertEquals(137.5, MetricsText.sum(TEXT, "nsl_stage_seconds_sum{stage=\"execute\"}"));
    assertEquals(336.0, MetricsText.sum(TEXT, "nsl_stage_seconds_count{stage=\"execute\"}"));
  }

  @Test
  void absentOrUnparseableIsZero() {
    assertEquals(0.0, MetricsText.sum(TEXT, "nsl_duplicate_submissions_total"));
    assertEquals(0.0, MetricsText.sum(TEXT, "nsl_broken"));
    assertEquals(0.0, MetricsText.sum("", "nsl_takeovers_total"));
  }
}
