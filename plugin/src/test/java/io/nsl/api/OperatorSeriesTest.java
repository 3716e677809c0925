package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nsl.pipeline.PipelineMetrics;
import io.nsl.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorSeriesTest {
  @Test
  void keepsTheLastCapacitySamplesOldestFirst() {
    PipelineMetrics m = new PipelineMetrics();
    ManualClock clock = new ManualClock(0);
    OperatorSeries s = new OperatorSeries(m::snapshot, clock, Duration.ofSeconds(5), 3);
    for (int i = 1; i <= 5; i++) {
      clock.set(i * 5000L);
      m.queueDepth(i);
      s.sample();
    }
    List<OperatorSeries.Sample> kept = s.samples();
    assertEquals(3, kept.size());
    assertEquals(
        List.of(3L, 4L, 5L), kept.stream().map(OperatorSeries.Sample::queueDepth).toList());
    assertEquals(15_000L, kept.getFirst().atMillis());
  }

  @Test
  void samplesTheSameNumbersMetricsRenders() {
    PipelineMetrics m = new PipelineMetrics();
    m.requestSeen();
    m.requestExecuted(1234);
    m.requestFulfilled(1.0, 2);
    m.lagBlocks(7);
    OperatorSeries s =
        new OperatorSeries(m::snapshot, new ManualClock(0), Duration.ofSeconds(5), 4);
    s.sample();
    OperatorSeries.Sample one = s.samples().getFirst();
    assertEquals(1, one.requestsSeen());
    assertEquals(1234, one.jsGasUsed());
    assertEquals(7, one.lagBlocks());
    assertEquals(2.0, one.p95BlocksToAnswerAtMost());
    String prom = m.renderPrometheus();
    assertEquals(true, prom.contains("nsl_gas_used_total 1234"), prom);
  }

  @Test
  void p95IsTheBucketBoundCoveringNinetyFivePercent() {
    PipelineMetrics m = new PipelineMetrics();
    assertEquals(false, m.snapshot().p95BlocksToAnswerAtMost().isPresent(), "no answers yet");
    for (int i = 0; i < 95; i++) {
      m.requestFulfilled(1, 1);
    }
    for (int i = 0; i < 5; i++) {
      m.requestFulfilled(1, 40);
    }
    assertEquals(1.0, m.snapshot().p95BlocksToAnswerAtMost().getAsDouble());
    m.requestFulfilled(1, 40);
    assertEquals(50.0, m.snapshot().p95BlocksToAnswerAtMost().getAsDouble());
    for (int i = 0; i < 100; i++) {
      m.requestFulfilled(1, 500);
    }
    assertEquals(false, m.snapshot().p95BlocksToAnswerAtMost().isPresent(), "over the last bound");
  }

  @Test
  void throughputIsPerMinuteOverTheLastMinute() {
    List<OperatorSeries.Sample> samples =
        List.of(
            new OperatorSeries.Sample(0, 0, 0, 0, 0, 0, null, 0, null),
            new OperatorSeries.Sample(30_000, 0, 0, 0, 10, 0, null, 0, null),
            new OperatorSeries.Sample(60_000, 0, 0, 0, 20, 0, null, 0, null),
            new OperatorSeries.Sample(90_000, 0, 0, 0, 50, 0, null, 0, null));
    assertEquals(40.0, OperatorResource.perMinute(samples));
    assertNull(OperatorResource.perMinute(samples.subList(0, 1)));
  }

  @Test
  void samplesTheFeesOfIncludedFulfilmentsAndTheQueueByStage() {
    PipelineMetrics m = new PipelineMetrics();
    m.fulfilFeesPaid(1_120_000);
    m.fulfilFeesPaid(10_000);
    m.queueByStage(java.util.Map.of("QUEUED", 2L, "SENT", 1L));
    OperatorSeries s =
        new OperatorSeries(m::snapshot, new ManualClock(0), Duration.ofSeconds(5), 4);
    s.sample();
    assertEquals(1_130_000, s.samples().getFirst().fulfilFeesDatoshi());
    assertEquals(java.util.Map.of("QUEUED", 2L, "SENT", 1L), m.snapshot().queueByStage());
    String prom = m.renderPrometheus();
    assertEquals(true, prom.contains("nsl_fulfil_fees_datoshi_total 1130000"), prom);
    assertEquals(true, prom.contains("nsl_queue_stage_requests{stage=\"SENT\"} 1"), prom);
  }

  @Test
  void negativeFeesAreRefused() {
    PipelineMetrics m = new PipelineMetrics();
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> m.fulfilFeesPaid(-1));
    assertEquals(true, e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void p95OfTheLastMinuteCountsOnlyTheAnswersOfThatMinute() {
    PipelineMetrics m = new PipelineMetrics();
    ManualClock clock = new ManualClock(0);
    OperatorSeries s = new OperatorSeries(m::snapshot, clock, Duration.ofSeconds(5), 100);
    s.sample(); // t = 0, no answers
    for (int i = 0; i < 100; i++) {
      m.requestFulfilled(1, 1);
    }
    clock.set(30_000);
    s.sample(); // the window starts at t = 0 (no sample is a minute old yet)
    for (int i = 0; i < 5; i++) {
      m.requestFulfilled(20, 40);
    }
    clock.set(90_000);
    s.sample(); // the window starts at t = 30 s: the 5 slow answers only
    clock.set(200_000);
    s.sample(); // nothing landed since t = 90 s
    List<OperatorSeries.Sample> kept = s.samples();
    assertNull(kept.get(0).p95BlocksToAnswerLastMinute(), "the first sample has no window");
    assertEquals(1.0, kept.get(1).p95BlocksToAnswerLastMinute());
    assertEquals(50.0, kept.get(2).p95BlocksToAnswerLastMinute());
    assertEquals(1.0, kept.get(2).p95BlocksToAnswerAtMost(), "since the start, 100 of 105 in 1");
    assertNull(kept.get(3).p95BlocksToAnswerLastMinute(), "no answer in the window");
  }

  @Test
  void quantileNeedsAsManyCountsAsBounds() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> PipelineMetrics.quantileAtMost(List.of(1.0, 2.0), List.of(1L), 1, 0.95));
    assertEquals(true, e.getMessage().contains("2 bounds but 1 counts"), e.getMessage());
  }
}
