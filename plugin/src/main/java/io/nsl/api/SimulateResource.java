package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationTimeout;
import io.nsl.pipeline.StoredFunctionCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/simulate}: runs a function as {@code ./nsl function simulate} does (the same
 * {@link Simulation}, the service's engine, gas and limits) and answers the same JSON object, byte
 * for byte. Nothing is stored: the secrets and state are the request's own, and the state the run
 * leaves is thrown away. Signed, like every developer endpoint, so an account's simulations count
 * against its own rate.
 */
final class SimulateResource implements Resource {
  /** Most secrets, and most state entries, one simulation may bring. */
  static final int MAX_ENTRIES = 256;

  private static final Set<String> FIELDS =
      Set.of(
          "code",
          "input",
          "inputSchema",
          "secrets",
          "state",
          "gasLimit",
          "requestId",
          "blockTime",
          "fetchHosts",
          "timeout");

  private final CallerAuth auth;
  private final SimulationRunner runner;
  private final FetchPolicy fetchPolicy;

  SimulateResource(CallerAuth auth, SimulationRunner runner, FetchPolicy fetchPolicy) {
    this.auth = auth;
    this.runner = runner;
    this.fetchPolicy = fetchPolicy;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length != 2) {
      return Optional.empty();
    }
    allow(req, "POST");
    noQuery(req);
    Caller c = auth.authenticate(req);
    Simulation.Input in = input(req.body());
    return Optional.of(ApiResponse.ok(runner.simulate(c.owner(), in).toJson()));
  }

  private Simulation.Input input(byte[] body) {
    JsonBody b = JsonBody.parse(body, FIELDS);
    String code = b.requiredString("code");
    int size = code.getBytes(StandardCharsets.UTF_8).length;
    if (size > StoredFunctionCatalog.MAX_CODE_BYTES) {
      throw new ApiFailure(
          ErrorStatus.FUNCTION_TOO_LARGE,
          "the code has "
              + size
              + " bytes of UTF-8; a function may have at most "
              + StoredFunctionCatalog.MAX_CODE_BYTES);
    }
    byte[] input = b.optional("input").map(JsonNode::toString).orElse("null").getBytes(UTF8);
    Optional<String> schema = b.optionalObjectAsText("inputSchema");
    long gasLimit =
        b.optionalLong("gasLimit", Simulation.DEFAULT_GAS_LIMIT, 1, runner.maxGasLimit());
    long requestId = b.optionalLong("requestId", Simulation.DEFAULT_REQUEST_ID, 1, Long.MAX_VALUE);
    Instant blockTime = blockTime(b.optional("blockTime"));
    Duration timeout = timeout(b.optional("timeout"));
    Optional<List<String>> hosts = b.optionalStringList("fetchHosts", DeveloperApi.MAX_FETCH_HOSTS);
    hosts
        .flatMap(FetchPolicy::hostListProblem)
        .ifPresent(
            problem -> {
              throw new ApiFailure(ErrorStatus.INVALID_VALUE, "fetchHosts: " + problem);
            });
    return new Simulation.Input(
        "simulated:console",
        code,
        input,
        schema,
        b.optionalStringMap("secrets", MAX_ENTRIES),
        b.optionalStringMap("state", MAX_ENTRIES),
        gasLimit,
        requestId,
        blockTime,
        hosts.map(h -> fetchPolicy.restrictedTo(Set.copyOf(h))).orElse(fetchPolicy),
        ExecutionRequest.DEFAULT_MEMORY,
        timeout);
  }

  // As `simulate --timeout` reads it (the same text and words when refused), but at most and by
  // default the service's own deadline: a simulation here holds one of the production engine's
  // guest threads.
  private Duration timeout(Optional<JsonNode> v) {
    if (v.isEmpty() || v.get().isNull()) {
      return runner.maxTimeout();
    }
    if (!v.get().isTextual()) {
      throw new ApiFailure(
          ErrorStatus.WRONG_TYPE,
          "field 'timeout' must be a string: a whole number of ms, s or m, like \"30s\"");
    }
    Duration d;
    try {
      d = SimulationTimeout.parse("timeout", v.get().asText());
    } catch (Simulation.InvalidSimulationException e) {
      throw new ApiFailure(ErrorStatus.INVALID_VALUE, e.getMessage());
    }
    if (d.compareTo(runner.maxTimeout()) > 0) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "timeout '"
              + v.get().asText()
              + "' is more than this service's deadline of "
              + SimulationTimeout.format(runner.maxTimeout())
              + ", the most a simulation may run here; `./nsl function simulate --timeout` runs"
              + " longer ones on your own machine");
    }
    return d;
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static Instant blockTime(Optional<JsonNode> v) {
    if (v.isEmpty() || v.get().isNull()) {
      return Simulation.parseBlockTime(Simulation.DEFAULT_BLOCK_TIME, "blockTime");
    }
    JsonNode n = v.get();
    if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0) {
      return Instant.ofEpochMilli(n.asLong());
    }
    if (n.isTextual()) {
      try {
        return Simulation.parseBlockTime(n.asText(), "field 'blockTime'");
      } catch (Simulation.InvalidSimulationException e) {
        throw new ApiFailure(ErrorStatus.INVALID_VALUE, e.getMessage());
      }
    }
    throw new ApiFailure(
        ErrorStatus.WRONG_TYPE,
        "field 'blockTime' must be an ISO-8601 instant string or milliseconds since the epoch");
  }
}
