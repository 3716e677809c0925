package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import io.nsl.pipeline.PipelineMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/operator/overview}: readiness with its reasons, the pipeline's numbers (the ones
 * {@code /metrics} renders, from the same {@link PipelineMetrics}) and the last hour of them for
 * plots. Only the service's operator account may read it: a request signed by another key answers
 * 403 NOT_OPERATOR.
 */
final class OperatorResource implements Resource {
  private final CallerAuth auth;
  private final ConsoleBackends.OperatorView backend;
  private final java.time.Clock clock;

  OperatorResource(CallerAuth auth, ConsoleBackends.OperatorView backend, java.time.Clock clock) {
    this.auth = auth;
    this.backend = backend;
    this.clock = clock;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length != 3 || !seg[2].equals("overview")) {
      return Optional.empty();
    }
    allow(req, "GET");
    noQuery(req);
    Caller c = auth.authenticate(req);
    if (!c.owns(backend.operatorOwner())) {
      throw new ApiFailure(
          ErrorStatus.NOT_OPERATOR,
          "account "
              + c.owner()
              + " is not this service's operator; sign with the operator wallet's key");
    }
    return Optional.of(ApiResponse.ok(overview()));
  }

  private Map<String, Object> overview() {
    ApiServer.Readiness r = backend.readiness().get();
    PipelineMetrics.Snapshot s = backend.metrics().get();
    List<OperatorSeries.Sample> samples = backend.series().samples();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operator", backend.operatorOwner());
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("ready", r.ready());
    ready.putAll(r.details());
    m.put("readiness", ready);
    // -1 in the metrics until the watcher's first read of the node: null here, not a height.
    m.put("chainHeight", s.chainHeight() >= 0 ? s.chainHeight() : null);
    m.put("lagBlocks", s.lagBlocks());
    m.put("queueDepth", s.queueDepth());
    m.put("queueByStage", s.queueByStage());
    m.put("requestsSeen", s.requestsSeen());
    m.put("requestsExecuted", s.requestsExecuted());
    m.put("requestsFulfilled", s.requestsFulfilled());
    m.put("jsGasUsed", s.jsGasUsed());
    m.put("fulfilTransactions", s.fulfilTransactions());
    m.put("fulfilRetries", s.fulfilRetries());
    m.put("gas", gas(s, backend.funds().get()));
    m.put("workers", workers(backend.workers().get()));
    m.put("failuresByKind", s.failuresByKind());
    m.put("droppedByState", s.droppedByState());
    m.put("stageSeconds", s.stageSeconds());
    m.put(
        "p95BlocksToAnswerAtMost",
        s.p95BlocksToAnswerAtMost().isPresent() ? s.p95BlocksToAnswerAtMost().getAsDouble() : null);
    m.put("fulfilledPerMinute", perMinute(samples));
    m.put("sampleSeconds", backend.series().every().toSeconds());
    m.put("series", samples);
    return m;
  }

  private static Map<String, Object> gas(PipelineMetrics.Snapshot s, ConsoleBackends.Funds f) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("spentDatoshi", s.fulfilFeesDatoshi());
    g.put("operatorBalanceDatoshi", f.operatorGasDatoshi());
    g.put("feeRecipient", f.feeRecipient());
    g.put("feeRecipientBalanceDatoshi", f.feeRecipientBalanceDatoshi());
    g.put("problem", f.problem());
    return g;
  }

  private Map<String, Object> workers(ConsoleBackends.Workers w) {
    long now = clock.millis();
    List<Map<String, Object>> list = new java.util.ArrayList<>();
    for (ConsoleBackends.Worker x : w.list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workerId", x.workerId());
      m.put("measurement", x.measurement());
      m.put("self", x.self());
      m.put("live", x.live());
      m.put("leaseAgeSeconds", Math.max(0, now - x.sinceMillis()) / 1000.0);
      m.put("renewedSecondsAgo", Math.max(0, now - x.renewedMillis()) / 1000.0);
      m.put("assigned", x.assigned());
      m.put("inFlight", x.inFlight());
      list.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("several", w.several());
    out.put("list", list);
    return out;
  }

  /** Answers landed per minute over the kept samples' last minute (or all of them if shorter). */
  static Double perMinute(List<OperatorSeries.Sample> samples) {
    if (samples.size() < 2) {
      return null;
    }
    OperatorSeries.Sample last = samples.getLast();
    OperatorSeries.Sample first = samples.getFirst();
    for (int i = samples.size() - 2; i >= 0; i--) {
      first = samples.get(i);
      if (last.atMillis() - first.atMillis() >= 60_000) {
        break;
      }
    }
    long ms = last.atMillis() - first.atMillis();
    if (ms <= 0) {
      return null;
    }
    return (last.requestsFulfilled() - first.requestsFulfilled()) * 60_000.0 / ms;
  }
}
