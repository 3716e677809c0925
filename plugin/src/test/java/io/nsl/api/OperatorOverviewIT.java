package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.pipeline.PipelineMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/operator/overview} on a real server: the operator's key only. */
class OperatorOverviewIT {
  @TempDir static Path dir;
  static ApiFixture fx;
  static Dev operator;
  static final PipelineMetrics METRICS = new PipelineMetrics();
  static OperatorSeries series;

  @BeforeAll
  static void start() {
    operator = new Dev("unused");
    series = new OperatorSeries(METRICS::snapshot, Clock.systemUTC(), Duration.ofSeconds(5), 10);
    METRICS.requestSeen();
    METRICS.requestExecuted(500);
    METRICS.requestFulfilled(1.5, 2);
    METRICS.queueDepth(3);
    METRICS.queueByStage(Map.of("QUEUED", 1L, "RUNNING", 1L, "SENT", 1L));
    METRICS.fulfilFeesPaid(1_120_000);
    series.sample();
    fx =
        new ApiFixture(
            dir,
            ApiLimits.defaults(),
            new ConsoleBackends(
                Optional.empty(),
                Optional.of(
                    new ConsoleBackends.OperatorView(
                        operator.owner(),
                        () -> new ApiServer.Readiness(false, Map.of("reason", "catching up")),
                        METRICS::snapshot,
                        series,
                        () ->
                            new ConsoleBackends.Funds(
                                2_000_000_000L, "0x" + "12".repeat(20), 5_000_000L, null),
                        () ->
                            new ConsoleBackends.Workers(
                                true,
                                java.util.List.of(
                                    new ConsoleBackends.Worker(
                                        "w1",
                                        "ab",
                                        true,
                                        true,
                                        System.currentTimeMillis() - 60_000,
                                        System.currentTimeMillis(),
                                        2L,
                                        1L),
                                    new ConsoleBackends.Worker(
                                        "w2",
                                        "cd",
                                        false,
                                        false,
                                        System.currentTimeMillis() - 120_000,
                                        System.currentTimeMillis() - 30_000,
                                        null,
                                        null))))),
                Optional.empty()));
    operator = new Dev(fx.base(), operator.key);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void theOperatorSeesReadinessNumbersAndSeries() {
    Dev.Answer a = operator.call("GET", "/v1/operator/overview", null);
    assertEquals(200, a.status(), a.text());
    new OpenApiDoc().assertConforms("GET /v1/operator/overview", a);
    assertEquals(false, a.json().path("readiness").path("ready").asBoolean());
    assertEquals("catching up", a.json().path("readiness").path("reason").asText());
    assertEquals(3, a.json().path("queueDepth").asLong());
    assertEquals(500, a.json().path("jsGasUsed").asLong());
    assertEquals(2.0, a.json().path("p95BlocksToAnswerAtMost").asDouble());
    assertEquals(1, a.json().path("series").size());
    assertEquals(3, a.json().path("series").get(0).path("queueDepth").asLong());
    assertEquals(1_120_000, a.json().path("series").get(0).path("fulfilFeesDatoshi").asLong());
  }

  @Test
  void chainHeightIsNullNotMinusOneBeforeTheWatchersFirstRead() {
    Dev.Answer a = operator.call("GET", "/v1/operator/overview", null);
    assertEquals(200, a.status(), a.text());
    assertTrue(a.json().path("chainHeight").isNull(), a.text());
  }

  @Test
  void theOperatorSeesGasQueueStagesAndWorkers() {
    Dev.Answer a = operator.call("GET", "/v1/operator/overview", null);
    assertEquals(200, a.status(), a.text());
    new OpenApiDoc().assertConforms("GET /v1/operator/overview", a);
    var gas = a.json().path("gas");
    assertEquals(1_120_000, gas.path("spentDatoshi").asLong());
    assertEquals(2_000_000_000L, gas.path("operatorBalanceDatoshi").asLong());
    assertEquals("0x" + "12".repeat(20), gas.path("feeRecipient").asText());
    assertEquals(5_000_000L, gas.path("feeRecipientBalanceDatoshi").asLong());
    assertEquals(1, a.json().path("queueByStage").path("RUNNING").asLong());
    var workers = a.json().path("workers");
    assertEquals(true, workers.path("several").asBoolean());
    assertEquals(2, workers.path("list").size());
    var w1 = workers.path("list").get(0);
    assertEquals(2, w1.path("assigned").asLong());
    assertTrue(w1.path("leaseAgeSeconds").asDouble() >= 59, w1.toString());
    var w2 = workers.path("list").get(1);
    assertTrue(w2.path("assigned").isNull(), "another worker's counts are not known here: " + w2);
    assertEquals(false, w2.path("live").asBoolean());
  }

  @Test
  void anyOtherKeyIsRefused() {
    Dev.Answer a = new Dev(fx.base()).call("GET", "/v1/operator/overview", null);
    assertEquals(403, a.status(), a.text());
    assertEquals("NOT_OPERATOR", a.code());
    assertTrue(a.text().contains("operator"), a.text());
    Dev.Answer unsigned = operator.send("GET", "/v1/operator/overview", null, Map.of());
    assertEquals(401, unsigned.status());
    assertEquals(404, operator.call("GET", "/v1/operator/other", null).status());
  }
}
