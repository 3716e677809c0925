package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
          + " kind, fulfilments (from /ready, /metrics and /v1/enclave).",
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

    ObjectNode n = Output.JSON.createObjectNode();
    n.put("api", api.baseUrl());
    n.put("ready", readiness.path("ready").asBoolean());
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
    n.put("enclaveMode", enclave.path("mode").asText());
    n.put("instanceId", enclave.path("instanceId").asText());
    n.put("signingPublicKey", enclave.path("signingPublicKey").asText());
    n.put("secretsPublicKey", enclave.path("secretsPublicKey").asText());
    n.put("gateway", enclave.path("gatewayScriptHash").asText());

    StringBuilder t = new StringBuilder();
    t.append(n.path("ready").asBoolean() ? "READY" : "NOT READY");
    if (readiness.hasNonNull("reason")) {
      t.append(": ").append(readiness.path("reason").asText());
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
    t.append("\n  enclave        ")
        .append(n.path("enclaveMode").asText())
        .append(" ")
        .append(n.path("instanceId").asText());
    t.append("\n  signing key    ").append(n.path("signingPublicKey").asText());
    t.append("\n  gateway        ").append(n.path("gateway").asText());
    if ("SIMULATED".equals(n.path("enclaveMode").asText())) {
      t.append("\n  WARNING: simulation mode; nothing is protected by SGX");
    }
    out.result(n, t.toString());
    return n.path("ready").asBoolean() ? 0 : 1;
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
