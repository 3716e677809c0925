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

  /** {@code /v1/executions/...}. */
  Resource executions() {
    return (req, seg) -> {
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

  private ApiResponse failures(Caller c, Map<String, String> q) {
    String fid = q.containsKey("functionId") ? functionId(q.get("functionId")) : null;
    int limit = limits.recentFailures();
    if (q.containsKey("limit")) {
      String l = q.get("limit");
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
      limit = Integer.parseInt(l);
    }
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
    return m;
  }
}
