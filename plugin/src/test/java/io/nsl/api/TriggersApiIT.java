package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.NslException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/triggers} on a real loopback server: an account sees and starts only its own
 * subscriptions, an HTTP run is refused for a schedule, limited per owner, and every answer fits
 * docs/openapi.yaml. The scheduler behind it is a table ({@link Table}); the clock stands still, so
 * the per-owner limit is counted, not timed.
 */
class TriggersApiIT {
  @TempDir Path dir;
  ApiFixture fx;
  Table table;
  OpenApiDoc api = new OpenApiDoc();

  /** Subscriptions by hand; HTTP runs are recorded and named block 77, n-th of the block. */
  static final class Table implements TriggerView {
    final List<Trigger> triggers = new CopyOnWriteArrayList<>();
    final List<String> runs = new CopyOnWriteArrayList<>();

    @Override
    public List<Trigger> all() {
      return List.copyOf(triggers);
    }

    @Override
    public Optional<Trigger> get(long id) {
      return triggers.stream().filter(t -> t.id() == id).findFirst();
    }

    @Override
    public Started run(long id, byte[] inputJson) {
      if (get(id).orElseThrow().status().equals("paused")) {
        throw new NslException("TRIGGER_NOT_ACTIVE", "subscription " + id + " is paused") {};
      }
      runs.add(id + " " + new String(inputJson, java.nio.charset.StandardCharsets.UTF_8));
      long n = runs.size() - 1;
      return new Started((1L << 62) | id << 40 | 77L << 8 | n, 77);
    }
  }

  static TriggerView.Trigger trigger(long id, String owner, String kind, String status) {
    return new TriggerView.Trigger(
        id,
        "fn-" + id,
        owner,
        kind,
        kind.equals("http") ? "" : "5",
        "0x" + "33".repeat(20),
        "onResult",
        100,
        15_000_000,
        status,
        id == 3 ? -1 : 150_000_000,
        id == 1 ? 105 : -1,
        id == 1 ? 2 : 0);
  }

  @BeforeEach
  void start() {
    table = new Table();
    fx =
        new ApiFixture(
            dir, ApiLimits.defaults(), table, Clock.fixed(Instant.now(), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void anAccountSeesOnlyItsOwnSubscriptions() {
    Dev alice = new Dev(fx.base());
    Dev bob = new Dev(fx.base());
    table.triggers.add(trigger(1, alice.owner(), "every-blocks", "active"));
    table.triggers.add(trigger(2, bob.owner(), "http", "active"));
    table.triggers.add(trigger(3, alice.owner(), "http", "paused"));

    Dev.Answer list = alice.call("GET", "/v1/triggers", null);
    api.assertConforms("GET /v1/triggers", list);
    List<Long> ids = new ArrayList<>();
    list.json().path("triggers").forEach(t -> ids.add(t.path("id").asLong()));
    assertEquals(List.of(1L, 3L), ids);

    Dev.Answer one = alice.call("GET", "/v1/triggers/1", null);
    api.assertConforms("GET /v1/triggers/{subscriptionId}", one);
    assertEquals(105, one.json().path("lastSlot").asLong());
    assertEquals(150_000_000, one.json().path("budget").asLong());
    Dev.Answer unread = alice.call("GET", "/v1/triggers/3", null);
    api.assertConforms("GET /v1/triggers/{subscriptionId}", unread);
    assertTrue(unread.json().path("budget").isNull(), "budget not read: null");

    Dev.Answer others = alice.call("GET", "/v1/triggers/2", null);
    api.assertConforms("GET /v1/triggers/{subscriptionId}", others);
    assertEquals("TRIGGER_NOT_FOUND", others.code(), "another account's is not found");
    Dev.Answer bad = alice.call("GET", "/v1/triggers/0x1", null);
    api.assertConforms("GET /v1/triggers/{subscriptionId}", bad);
    assertEquals("INVALID_VALUE", bad.code());
  }

  @Test
  void theOwnerStartsAnHttpRunWithItsInput() {
    Dev bob = new Dev(fx.base());
    Dev alice = new Dev(fx.base());
    table.triggers.add(trigger(2, bob.owner(), "http", "active"));
    table.triggers.add(trigger(1, bob.owner(), "every-blocks", "active"));
    table.triggers.add(trigger(3, bob.owner(), "http", "paused"));

    Dev.Answer started = bob.call("POST", "/v1/triggers/2/run", "{\"input\":{\"x\":1}}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", started);
    assertEquals(202, started.status());
    assertEquals(77, started.json().path("block").asLong());
    assertEquals(
        Long.toString((1L << 62) | 2L << 40 | 77L << 8), started.json().path("runId").asText());
    Dev.Answer noInput = bob.call("POST", "/v1/triggers/2/run", "{}");
    assertEquals(202, noInput.status(), noInput.text());
    assertEquals(List.of("2 {\"x\":1}", "2 null"), table.runs);

    Dev.Answer schedule = bob.call("POST", "/v1/triggers/1/run", "{\"input\":1}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", schedule);
    assertEquals("TRIGGER_NOT_HTTP", schedule.code());
    Dev.Answer paused = bob.call("POST", "/v1/triggers/3/run", "{\"input\":1}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", paused);
    assertEquals("TRIGGER_NOT_ACTIVE", paused.code());
    Dev.Answer notOwner = alice.call("POST", "/v1/triggers/2/run", "{\"input\":1}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", notOwner);
    assertEquals("TRIGGER_NOT_FOUND", notOwner.code());
    Dev.Answer extra = bob.call("POST", "/v1/triggers/2/run", "{\"input\":1,\"slot\":5}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", extra);
    assertEquals("UNKNOWN_FIELD", extra.code());
    assertEquals(2, table.runs.size(), "no refused call started a run");
  }

  @Test
  void httpRunsAreLimitedPerOwner() {
    Dev bob = new Dev(fx.base());
    Dev carol = new Dev(fx.base());
    table.triggers.add(trigger(2, bob.owner(), "http", "active"));
    table.triggers.add(trigger(4, carol.owner(), "http", "active"));
    for (int i = 0; i < TriggersResource.RUN_BURST; i++) {
      assertEquals(202, bob.call("POST", "/v1/triggers/2/run", "{\"input\":" + i + "}").status());
    }
    Dev.Answer limited = bob.call("POST", "/v1/triggers/2/run", "{\"input\":99}");
    api.assertConforms("POST /v1/triggers/{subscriptionId}/run", limited);
    assertEquals("RATE_LIMITED", limited.code());
    assertTrue(limited.headers().containsKey("retry-after"), limited.headers().toString());
    assertEquals(
        202, carol.call("POST", "/v1/triggers/4/run", "{\"input\":1}").status(), "per owner");
    assertEquals(TriggersResource.RUN_BURST + 1, table.runs.size());
  }
}
