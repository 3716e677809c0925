package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.types.Hash160;
import io.nsl.NslException;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./nsl status}: the operator's one-glance view, from /ready, /metrics and /v1/enclave. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Is the service healthy? Chain height and lag, queue, enclave mode and keys, failures by"
          + " kind, fulfilments (from /ready, /metrics and /v1/enclave), and whether its signing"
          + " key is active on the gateway (from the node at --rpc).",
      "READY only when the service says so and the gateway accepts its key.",
      "Exit code: 0 ready, 1 not ready or unreachable."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions opts;

  @Override
  public Integer call() {
    Output out = new Output(spec, opts.json);
    ApiClient api = opts.client(null);
    ApiClient.Response ready = api.send("GET", "/ready", null, false);
    JsonNode readiness;
    try {
      readiness = Output.JSON.readTree(ready.body());
    } catch (java.io.IOException e) {
      throw new ApiCallException(
          "API_BAD_ANSWER",
          ready.status(),
          api.baseUrl() + "/ready did not answer JSON; is --api pointing at an NSL service?");
    }
    ApiClient.Response m = api.send("GET", "/metrics", null, false);
    Map<String, Double> metrics = parsePrometheus(new String(m.body(), StandardCharsets.UTF_8));
    JsonNode enclave = api.getPublic("/v1/enclave");
    KeyState key = keyState(opts.rpcUrl(), enclave);
    Verdict verdict = Verdict.of(readiness, key);

    ObjectNode n = Output.JSON.createObjectNode();
    n.put("api", api.baseUrl());
    n.put("ready", verdict.ready());
    if (verdict.reason() != null) {
      n.put("reason", verdict.reason());
    }
    n.put("serviceReady", readiness.path("ready").asBoolean());
    switch (key) {
      case KeyState.Registered r -> n.put("keyRegistered", true);
      case KeyState.NotRegistered r -> n.put("keyRegistered", false);
      case KeyState.Unknown u -> n.putNull("keyRegistered");
    }
    n.set("readiness", readiness);
    n.put("chainHeight", metrics.getOrDefault("nsl_chain_height", -1.0).longValue());
    n.put("lagBlocks", metrics.getOrDefault("nsl_lag_blocks", -1.0).longValue());
    n.put("queueDepth", metrics.getOrDefault("nsl_queue_depth", -1.0).longValue());
    n.put("requestsSeen", metrics.getOrDefault("nsl_requests_seen_total", 0.0).longValue());
    n.put(
        "requestsFulfilled", metrics.getOrDefault("nsl_requests_fulfilled_total", 0.0).longValue());
    ObjectNode failures = n.putObject("failuresByKind");
    metrics.forEach(
        (k, v) -> {
          if (k.startsWith("nsl_requests_failed_total{kind=\"")) {
            failures.put(
                k.substring("nsl_requests_failed_total{kind=\"".length(), k.length() - 2),
                v.longValue());
          }
        });
    boolean several = readiness.has("worker");
    if (several) {
      n.set("workers", workers(readiness, metrics));
    }
    n.put("enclaveMode", enclave.path("mode").asText());
    n.put("instanceId", enclave.path("instanceId").asText());
    n.put("signingPublicKey", enclave.path("signingPublicKey").asText());
    n.put("secretsPublicKey", enclave.path("secretsPublicKey").asText());
    n.put("gateway", enclave.path("gatewayScriptHash").asText());

    StringBuilder t = new StringBuilder();
    t.append(verdict.ready() ? "READY" : "NOT READY");
    if (verdict.reason() != null) {
      t.append(": ").append(verdict.reason());
    }
    t.append("\n  chain height   ")
        .append(n.path("chainHeight").asLong())
        .append("   lag ")
        .append(n.path("lagBlocks").asLong())
        .append(" blocks");
    t.append("\n  queue          ")
        .append(n.path("queueDepth").asLong())
        .append("   backlog ")
        .append(readiness.path("backlog").asText("?"));
    t.append("\n  requests       seen ")
        .append(n.path("requestsSeen").asLong())
        .append(", fulfilled ")
        .append(n.path("requestsFulfilled").asLong());
    t.append("\n  failures       ").append(failures.isEmpty() ? "none" : failures.toString());
    if (several) {
      JsonNode w = n.path("workers");
      t.append("\n  worker         ")
          .append(w.path("self").asText())
          .append(" of ")
          .append(w.path("live").size())
          .append(" live ")
          .append(w.path("live"));
      t.append("\n  assignment     assigned ")
          .append(w.path("assigned").asLong())
          .append(", held for others ")
          .append(w.path("held").asLong())
          .append(", in flight ")
          .append(w.path("inFlight").asLong());
      t.append("\n  fail-over      takeovers ")
          .append(w.path("takeovers").asLong())
          .append(", stale answers ")
          .append(w.path("staleAnswers").asLong())
          .append(", duplicate submissions ")
          .append(w.path("duplicateSubmissions").asLong())
          .append(", store write mean ")
          .append(
              String.format(java.util.Locale.ROOT, "%.1f", w.path("storeWriteMeanMs").asDouble()))
          .append(" ms");
      w.path("leases")
          .fields()
          .forEachRemaining(
              e ->
                  t.append("\n    ")
                      .append(e.getKey())
                      .append("  lease ")
                      .append(e.getValue().path("leaseSeconds").asText())
                      .append(" s  measurement ")
                      .append(e.getValue().path("measurement").asText()));
    }
    t.append("\n  enclave        ")
        .append(n.path("enclaveMode").asText())
        .append(" ")
        .append(n.path("instanceId").asText());
    t.append("\n  signing key    ").append(n.path("signingPublicKey").asText());
    t.append("\n  gateway        ").append(n.path("gateway").asText());
    t.append("\n  key on gateway ")
        .append(
            switch (key) {
              case KeyState.Registered r -> "registered (active)";
              case KeyState.NotRegistered r -> "NOT registered";
              case KeyState.Unknown u -> "unknown (" + u.why() + ")";
            });
    if ("SIMULATED".equals(n.path("enclaveMode").asText())) {
      t.append("\n  WARNING: simulation mode; nothing is protected by SGX");
    }
    out.result(n, t.toString());
    return verdict.ready() ? 0 : 1;
  }

  /**
   * One of several workers (docs/operator.md, "Several machines"): who it is, the workers it sees,
   * its assignment and fail-over counters, from /ready and /metrics.
   */
  static ObjectNode workers(JsonNode readiness, Map<String, Double> metrics) {
    ObjectNode w = Output.JSON.createObjectNode();
    w.put("self", readiness.path("worker").asText());
    w.set("live", readiness.path("liveWorkers"));
    w.put("assigned", metrics.getOrDefault("nsl_requests_assigned", 0.0).longValue());
    w.put("held", metrics.getOrDefault("nsl_requests_held", 0.0).longValue());
    w.put("inFlight", metrics.getOrDefault("nsl_requests_in_flight", 0.0).longValue());
    w.put("takeovers", metrics.getOrDefault("nsl_takeovers_total", 0.0).longValue());
    w.put("staleAnswers", metrics.getOrDefault("nsl_stale_answers_total", 0.0).longValue());
    w.put(
        "duplicateSubmissions",
        metrics.getOrDefault("nsl_duplicate_submissions_total", 0.0).longValue());
    double writes = metrics.getOrDefault("nsl_store_write_seconds_count", 0.0);
    w.put(
        "storeWriteMeanMs",
        writes == 0 ? 0 : metrics.getOrDefault("nsl_store_write_seconds_sum", 0.0) / writes * 1000);
    ObjectNode leases = w.putObject("leases");
    java.util.regex.Pattern lease =
        java.util.regex.Pattern.compile(
            "nsl_worker_lease_seconds\\{worker=\"([^\"]*)\",measurement=\"([^\"]*)\",self=\"[a-z]+\"\\}");
    new java.util.TreeMap<>(metrics)
        .forEach(
            (k, v) -> {
              java.util.regex.Matcher m = lease.matcher(k);
              if (m.matches()) {
                ObjectNode one = leases.putObject(m.group(1));
                one.put("measurement", m.group(2));
                one.put("leaseSeconds", v);
              }
            });
    return w;
  }

  /** Whether the service's signing key is active on the gateway its attestation names. */
  sealed interface KeyState {
    record Registered() implements KeyState {}

    record NotRegistered(String signingKey, String gateway) implements KeyState {}

    record Unknown(String why) implements KeyState {}
  }

  /**
   * The status a user sees: ready only when the service says it is and the gateway accepts its key
   * (a service whose key is not registered sends answers the gateway refuses). Pure.
   */
  record Verdict(boolean ready, String reason) {
    static Verdict of(JsonNode readiness, KeyState key) {
      if (!readiness.path("ready").asBoolean()) {
        return new Verdict(
            false, readiness.path("reason").asText("the service says it is not ready"));
      }
      return switch (key) {
        case KeyState.Registered r -> new Verdict(true, null);
        case KeyState.NotRegistered k ->
            new Verdict(
                false,
                "the service's signing key "
                    + k.signingKey()
                    + " is not registered on gateway "
                    + k.gateway()
                    + ", which refuses every answer it signs; register it with 'nsl gateway"
                    + " register-enclave' (as the gateway owner, or --attested)");
        case KeyState.Unknown u ->
            new Verdict(
                false,
                "cannot check that the service's signing key is registered on the gateway ("
                    + u.why()
                    + "); give the service's Neo node with --rpc URL");
      };
    }
  }

  /** Asks the node whether the attested signing key is among the gateway's active keys. */
  static KeyState keyState(String rpcUrl, JsonNode enclave) {
    String signingKey = enclave.path("signingPublicKey").asText();
    String gateway = enclave.path("gatewayScriptHash").asText();
    try {
      Hash160 hash =
          HashArgument.parse("the service's gatewayScriptHash", gateway, HashArgument.Kind.CONTRACT)
              .hash();
      List<byte[]> active =
          new GatewayClient(
                  new NeoChain(rpcUrl, Duration.ofSeconds(1)), new NeoRpcClient(rpcUrl), hash)
              .activeEnclaves();
      boolean found =
          active.stream().anyMatch(k -> HexFormat.of().formatHex(k).equalsIgnoreCase(signingKey));
      return found ? new KeyState.Registered() : new KeyState.NotRegistered(signingKey, gateway);
    } catch (NslException e) {
      return new KeyState.Unknown(e.getMessage());
    }
  }

  /** Sample lines of the Prometheus text format: "name{labels} value". */
  static Map<String, Double> parsePrometheus(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      if (sp <= 0) {
        continue;
      }
      try {
        out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      } catch (NumberFormatException ignored) {
        // a sample we do not read (NaN spelled differently, a timestamp column): skip it
      }
    }
    return out;
  }
}
