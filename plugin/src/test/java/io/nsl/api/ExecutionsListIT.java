package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.pipeline.ExecutionRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/executions}: one account's executions, newest first, in pages, filtered. */
class ExecutionsListIT {
  @TempDir static Path dir;
  static ApiFixture fx;
  static Dev alice;
  static Dev bob;
  static final OpenApiDoc API = new OpenApiDoc();

  @BeforeAll
  static void start() {
    fx = new ApiFixture(dir, ApiLimits.defaults());
    alice = new Dev(fx.base());
    bob = new Dev(fx.base());
    List<ExecutionRecords.Execution> batch = new ArrayList<>();
    for (long id = 1; id <= 12; id++) {
      boolean ok = id % 3 != 0;
      batch.add(
          new ExecutionRecords.Execution(
              id,
              id % 2 == 0 ? "weather" : "dice",
              id <= 10 ? alice.owner() : bob.owner(),
              "0x" + "11".repeat(20),
              100 + id,
              ok ? 0 : 2,
              ok ? "OK" : "GAS_EXHAUSTED",
              ok ? "{\"n\":" + id + "}" : null,
              1000 * id,
              List.of("<script>alert(" + id + ")</script>"),
              ok ? null : "out of gas",
              1_800_000_000_000L + id * 1000));
    }
    fx.executions.putAll(batch);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static List<Long> ids(JsonNode page) {
    List<Long> out = new ArrayList<>();
    page.path("executions").forEach(e -> out.add(e.path("requestId").asLong()));
    return out;
  }

  @Test
  void anAccountSeesOnlyItsOwnNewestFirst() {
    Dev.Answer a = alice.call("GET", "/v1/executions", null);
    assertEquals(200, a.status(), a.text());
    API.assertConforms("GET /v1/executions", a);
    assertEquals(List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L), ids(a.json()));
    assertTrue(a.json().path("nextCursor").isNull());
    Dev.Answer b = bob.call("GET", "/v1/executions", null);
    assertEquals(List.of(12L, 11L), ids(b.json()));
    // logs come back as the text they were, for the page to show as text
    assertEquals(
        "<script>alert(10)</script>",
        a.json().path("executions").get(0).path("logs").get(0).asText());
  }

  @Test
  void pagesFollowTheCursorWithoutGapsOrRepeats() {
    List<Long> seen = new ArrayList<>();
    String target = "/v1/executions?limit=4";
    for (int page = 0; page < 5; page++) {
      Dev.Answer a = alice.call("GET", target, null);
      assertEquals(200, a.status(), a.text());
      seen.addAll(ids(a.json()));
      JsonNode next = a.json().path("nextCursor");
      if (next.isNull()) {
        break;
      }
      target = "/v1/executions?limit=4&cursor=" + next.asText();
    }
    assertEquals(List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L), seen);
  }

  @Test
  void filtersByFunctionStatusAndTime() {
    assertEquals(
        List.of(10L, 8L, 4L, 2L),
        ids(alice.call("GET", "/v1/executions?function=weather&status=ok", null).json()));
    assertEquals(
        List.of(9L, 6L, 3L), ids(alice.call("GET", "/v1/executions?status=failed", null).json()));
    assertEquals(
        List.of(9L, 6L, 3L),
        ids(alice.call("GET", "/v1/executions?status=GAS_EXHAUSTED", null).json()));
    assertEquals(
        List.of(10L, 9L, 8L),
        ids(alice.call("GET", "/v1/executions?since=1800000008000", null).json()));
    assertEquals(
        List.of(10L, 9L, 8L),
        ids(alice.call("GET", "/v1/executions?since=2027-01-15T08:00:08Z", null).json()));
  }

  @Test
  void badQueriesAreNamed() {
    for (String q :
        List.of(
            "status=maybe",
            "since=yesterday",
            "limit=0",
            "limit=101",
            "cursor=abc",
            "function=A%20B")) {
      Dev.Answer a = alice.call("GET", "/v1/executions?" + q, null);
      assertEquals(400, a.status(), q + ": " + a.text());
      assertTrue(a.text().contains(q.substring(0, q.indexOf('='))), a.text());
    }
    Dev.Answer unknown = alice.call("GET", "/v1/executions?owner=x", null);
    assertEquals("UNKNOWN_FIELD", unknown.code());
    Dev.Answer unsigned = alice.send("GET", "/v1/executions", null, java.util.Map.of());
    assertEquals(401, unsigned.status());
  }
}
