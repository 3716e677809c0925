package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /v1/triggers}: the caller's subscriptions as the service follows them ({@code GET
 * /v1/triggers}, {@code GET /v1/triggers/{id}}) and HTTP runs ({@code POST /v1/triggers/{id}/run},
 * the owner's signed call; docs/triggers.md, "HTTP runs"). Each account sees and starts only the
 * subscriptions it owns; another account's id answers TRIGGER_NOT_FOUND, as an unknown one does.
 */
final class TriggersResource implements Resource {
  /** HTTP runs an owner may start per second, sustained, over all its subscriptions. */
  static final double RUNS_PER_SECOND = 1.0;

  /** HTTP runs an owner may start at once. */
  static final int RUN_BURST = 10;

  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,6}");

  private final CallerAuth auth;
  private final TriggerView triggers;
  private final RateLimiter runLimiter;

  TriggersResource(CallerAuth auth, TriggerView triggers, Clock clock) {
    this.auth = auth;
    this.triggers = triggers;
    this.runLimiter = new RateLimiter(clock, RUNS_PER_SECOND, RUN_BURST, 100_000);
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length == 2) {
      allow(req, "GET");
      noQuery(req);
      return Optional.of(list(auth.authenticate(req)));
    }
    if (seg.length == 3) {
      allow(req, "GET");
      noQuery(req);
      long id = id(seg[2]);
      return Optional.of(ApiResponse.ok(view(owned(auth.authenticate(req), id))));
    }
    if (seg.length == 4 && seg[3].equals("run")) {
      allow(req, "POST");
      noQuery(req);
      long id = id(seg[2]);
      Caller c = auth.authenticate(req);
      return Optional.of(run(c, id, req.body()));
    }
    return Optional.empty();
  }

  private ApiResponse list(Caller c) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TriggerView.Trigger t : triggers.all()) {
      if (c.owns(t.owner())) {
        out.add(view(t));
      }
    }
    return ApiResponse.ok(Map.of("owner", c.owner(), "triggers", out));
  }

  private TriggerView.Trigger owned(Caller c, long id) {
    return triggers
        .get(id)
        .filter(t -> c.owns(t.owner()))
        .orElseThrow(
            () ->
                new ApiFailure(
                    ErrorStatus.TRIGGER_NOT_FOUND,
                    "no subscription "
                        + id
                        + " owned by account "
                        + c.owner()
                        + " is followed by the service: list yours with GET /v1/triggers (a"
                        + " subscription created in the last block shows after the service handled"
                        + " it)",
                    Map.of("subscriptionId", id)));
  }

  private ApiResponse run(Caller c, long id, byte[] body) {
    TriggerView.Trigger t = owned(c, id);
    if (!t.kind().equals("http")) {
      throw new ApiFailure(
          ErrorStatus.TRIGGER_NOT_HTTP,
          "subscription "
              + id
              + " is a "
              + t.kind()
              + " trigger; only subscriptions created with --http start runs from the API",
          Map.of("subscriptionId", id));
    }
    JsonNode input = input(body);
    if (!runLimiter.tryAcquire(c.owner())) {
      throw new ApiFailure(
          ErrorStatus.RATE_LIMITED,
          "account "
              + c.owner()
              + " started more than "
              + RUN_BURST
              + " HTTP runs at once (at most "
              + RUNS_PER_SECOND
              + " a second over time); retry after "
              + runLimiter.retryAfterSeconds()
              + " s",
          Map.of("retryAfterSeconds", runLimiter.retryAfterSeconds()));
    }
    TriggerView.Started started =
        triggers.run(id, input.toString().getBytes(StandardCharsets.UTF_8));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subscriptionId", id);
    m.put("runId", Long.toUnsignedString(started.runId()));
    m.put("block", started.block());
    return new ApiResponse(202, m);
  }

  /** The body {@code {"input": any JSON}}; a missing input is null. */
  private static JsonNode input(byte[] body) {
    JsonBody.parse(body, Set.of("input"));
    try {
      JsonNode n = JsonBody.STRICT.readTree(body).get("input");
      return n == null ? JsonBody.STRICT.nullNode() : n;
    } catch (IOException e) {
      throw new ApiFailure(ErrorStatus.BAD_JSON, "the body could not be read as JSON");
    }
  }

  private static long id(String raw) {
    if (!ID.matcher(raw).matches()) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "a subscription id is an integer 1..4194303 (the gateway's id), got '" + raw + "'");
    }
    long id = Long.parseLong(raw);
    if (id > 4_194_303) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE, "a subscription id is at most 4194303, got " + id);
    }
    return id;
  }

  static Map<String, Object> view(TriggerView.Trigger t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("functionId", t.functionId());
    m.put("owner", t.owner());
    m.put("kind", t.kind());
    m.put("trigger", t.trigger());
    m.put("target", t.target());
    m.put("method", t.method());
    m.put("startBlock", t.startBlock());
    m.put("runFee", t.runFee());
    m.put("status", t.status());
    m.put("budget", t.budget() < 0 ? null : t.budget());
    m.put("lastSlot", t.lastSlot() < 0 ? null : t.lastSlot());
    m.put("runsMade", t.runsMade());
    return m;
  }
}
