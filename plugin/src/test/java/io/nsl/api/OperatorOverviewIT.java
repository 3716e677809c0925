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
                        series)),
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
