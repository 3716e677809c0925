package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.functionId;
import static io.nsl.api.RequestParts.noQuery;
import static io.nsl.api.RequestParts.query;
import static io.nsl.api.RequestParts.requestId;
import static io.nsl.api.RequestParts.tree;

import io.nsl.pipeline.ExecutionRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/executions/{requestId}} and {@code GET /v1/failures}: the records of requests that
 * ran functions the caller owns.
 */
final class ExecutionsResource {
  private final CallerAuth auth;
  private final ChainView chain;
  private final ExecutionRecords executions;
  private final ApiLimits limits;

  ExecutionsResource(
      CallerAuth auth, ChainView chain, ExecutionRecords executions, ApiLimits limits) {
    this.auth = auth;
    this.chain = chain;
    this.executions = executions;
    this.limits = limits;
  }

  /** Executions one {@code GET /v1/executions} answers when it gives no limit. */
  static final int DEFAULT_LIST_LIMIT = 50;

  /** {@code /v1/executions/...}. */
  Resource executions() {
    return (req, seg) -> {
      if (seg.length == 2) {
        allow(req, "GET");
        Map<String, String> q =
            query(req, Set.of("function", "status", "since", "limit", "cursor"));
        return Optional.of(list(auth.authenticate(req), q));
      }
      if (seg.length != 3) {
        return Optional.empty();
      }
      allow(req, "GET");
      noQuery(req);
      long id = requestId(seg[2]);
      return Optional.of(read(auth.authenticate(req), id));
    };
  }

  /** {@code /v1/failures}. */
  Resource failures() {
    return (req, seg) -> {
      if (seg.length != 2) {
        return Optional.empty();
      }
      allow(req, "GET");
      Map<String, String> q = query(req, Set.of("functionId", "limit"));
      Caller c = auth.authenticate(req);
      return Optional.of(failures(c, q));
    };
  }

  private ApiResponse read(Caller c, long requestId) {
    var rec = executions.get(requestId).filter(e -> c.owns(e.owner()));
    if (rec.isEmpty()) {
      throw new ApiFailure(
          ErrorStatus.EXECUTION_NOT_FOUND,
          "no execution of request "
              + requestId
              + " for a function of account "
              + c.owner()
              + ": it has not run yet (is the service caught up? see GET /ready), or it ran a"
              + " function another account owns. Retry in a few seconds",
          Map.of("requestId", requestId));
    }
    Map<String, Object> m = execution(rec.get());
    m.put("chainState", chain.requestState(requestId));
    return ApiResponse.ok(m);
  }

  /**
   * The caller's executions, newest first, one page: {@code function} (an id), {@code status}
   * ({@code ok}, {@code failed} or an error kind), {@code since} (ISO-8601 or ms), {@code limit},
   * {@code cursor} (the {@code nextCursor} of the page before).
   */
  private ApiResponse list(Caller c, Map<String, String> q) {
    String fid = q.containsKey("function") ? functionId(q.get("function")) : null;
    java.util.function.Predicate<ExecutionRecords.Execution> status = statusFilter(q.get("status"));
    long since = q.containsKey("since") ? since(q.get("since")) : Long.MIN_VALUE;
    int limit = q.containsKey("limit") ? limit(q.get("limit")) : DEFAULT_LIST_LIMIT;
    long before = Long.MAX_VALUE;
    if (q.containsKey("cursor")) {
      String cur = q.get("cursor");
      if (!cur.matches("[0-9]{1,18}")) {
        throw new ApiFailure(
            ErrorStatus.INVALID_VALUE,
            "query parameter 'cursor' must be the nextCursor of an earlier answer, got '"
                + cur
                + "'");
      }
      before = Long.parseLong(cur);
    }
    List<ExecutionRecords.Execution> page =
        executions.ofOwner(
            c.owner(),
            before,
            limit,
            e ->
                (fid == null || fid.equals(e.functionId()))
                    && status.test(e)
                    && e.executedAtMillis() >= since);
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e : page) {
      out.add(execution(e));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", c.owner());
    m.put("executions", out);
    m.put(
        "nextCursor",
        page.size() == limit ? Long.toString(page.get(page.size() - 1).requestId()) : null);
    return ApiResponse.ok(m);
  }

  private static java.util.function.Predicate<ExecutionRecords.Execution> statusFilter(
      String status) {
    if (status == null) {
      return e -> true;
    }
    if (status.equals("ok")) {
      return e -> e.status() == 0;
    }
    if (status.equals("failed")) {
      return e -> e.status() != 0;
    }
    if (status.matches("[A-Z][A-Z0-9_]{0,63}")) {
      return e -> status.equals(e.kind());
    }
    throw new ApiFailure(
        ErrorStatus.INVALID_VALUE,
        "query parameter 'status' must be ok, failed or an error kind such as GAS_EXHAUSTED, got '"
            + status
            + "'");
  }

  private static long since(String v) {
    try {
      if (v.matches("[0-9]{1,15}")) {
        return Long.parseLong(v);
      }
      return Instant.parse(v).toEpochMilli();
    } catch (java.time.DateTimeException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "query parameter 'since' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or"
              + " milliseconds since the epoch, got '"
              + v
              + "'");
    }
  }

  private int limit(String l) {
    if (!l.matches("[0-9]{1,6}")
        || Integer.parseInt(l) < 1
        || Integer.parseInt(l) > limits.recentFailures()) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "query parameter 'limit' must be a number 1.."
              + limits.recentFailures()
              + ", got '"
              + l
              + "'");
    }
    return Integer.parseInt(l);
  }

  private ApiResponse failures(Caller c, Map<String, String> q) {
    String fid = q.containsKey("functionId") ? functionId(q.get("functionId")) : null;
    int limit = q.containsKey("limit") ? limit(q.get("limit")) : limits.recentFailures();
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e :
        executions.recent(
            limit,
            e ->
                e.status() != 0
                    && c.owns(e.owner())
                    && (fid == null || fid.equals(e.functionId())))) {
      out.add(execution(e));
    }
    return ApiResponse.ok(Map.of("owner", c.owner(), "failures", out));
  }

  private static Map<String, Object> execution(ExecutionRecords.Execution e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", e.requestId());
    m.put("functionId", e.functionId());
    m.put("requester", e.requester());
    m.put("blockIndex", e.blockIndex());
    m.put("status", e.status());
    m.put("kind", e.kind());
    m.put("result", e.resultJson() == null ? null : tree(e.resultJson()));
    m.put("gasUsed", e.gasUsed());
    m.put("logs", e.logs());
    m.put("error", e.errorMessage());
    m.put("executedAt", Instant.ofEpochMilli(e.executedAtMillis()).toString());
    // Null until the answer's transaction is included (and for records older than these fields).
    m.put("answerTxHash", e.answerTxHash());
    m.put("answerBlockIndex", e.answerBlockIndex());
    m.put("blocksToAnswer", e.blocksToAnswer().isPresent() ? e.blocksToAnswer().getAsLong() : null);
    return m;
  }
}
