package io.nsl.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import io.nsl.js.StateQuotaExceededException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated run of a function: the production engine, gas and limits, with secrets and storage
 * given in memory instead of the service's. The one implementation behind {@code ./nsl function
 * simulate} and {@code POST /v1/simulate}, so both give the same answer, byte for byte ({@link
 * Outcome#toJson()}). Pure apart from the engine it is handed.
 */
public final class Simulation {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A fixed default, not the machine's clock: two runs of the same code and input give the same
   * answer and gas (docs/functions.md, "Deterministic answers").
   */
  public static final String DEFAULT_BLOCK_TIME = "2026-01-01T00:00:00Z";

  public static final long DEFAULT_GAS_LIMIT = 10_000_000;

  /** The gateway counts requests from 1. */
  public static final long DEFAULT_REQUEST_ID = 1;

  /** Storage a simulation may fill, as the CLI has always allowed. */
  public static final long STATE_QUOTA_BYTES = 1024 * 1024;

  private Simulation() {}

  /** A value given to a simulation is not usable; the message names it. */
  public static final class InvalidSimulationException extends io.nsl.NslException {
    public InvalidSimulationException(String message) {
      super("INVALID_SIMULATION", message);
    }
  }

  /**
   * What one run depends on.
   *
   * @param functionLabel the function id the engine sees ({@code simulated:NAME})
   * @param state the function's storage before the run, key to UTF-8 text
   * @param memoryLimitBytes the run's counted-memory budget; {@link
   *     ExecutionRequest#DEFAULT_MEMORY} for the engine's default
   * @param timeout the run's wall-clock deadline, within {@link SimulationTimeout#MAX}
   */
  public record Input(
      String functionLabel,
      String code,
      byte[] inputJson,
      Optional<String> inputSchema,
      Map<String, String> secrets,
      Map<String, String> state,
      long gasLimit,
      long requestId,
      Instant blockTime,
      FetchPolicy fetchPolicy,
      long memoryLimitBytes,
      Duration timeout) {
    /** With the engine's default memory budget and {@link SimulationTimeout#DEFAULT}. */
    public Input(
        String functionLabel,
        String code,
        byte[] inputJson,
        Optional<String> inputSchema,
        Map<String, String> secrets,
        Map<String, String> state,
        long gasLimit,
        long requestId,
        Instant blockTime,
        FetchPolicy fetchPolicy) {
      this(
          functionLabel,
          code,
          inputJson,
          inputSchema,
          secrets,
          state,
          gasLimit,
          requestId,
          blockTime,
          fetchPolicy,
          ExecutionRequest.DEFAULT_MEMORY,
          SimulationTimeout.DEFAULT);
    }

    public Input {
      Objects.requireNonNull(functionLabel, "functionLabel");
      Objects.requireNonNull(code, "code");
      inputJson = Objects.requireNonNull(inputJson, "inputJson").clone();
      Objects.requireNonNull(inputSchema, "inputSchema");
      secrets = Map.copyOf(secrets);
      state = Map.copyOf(state);
      Objects.requireNonNull(blockTime, "blockTime");
      Objects.requireNonNull(fetchPolicy, "fetchPolicy");
      if (gasLimit <= 0) {
        throw new InvalidSimulationException("the gas limit must be positive, got " + gasLimit);
      }
      if (requestId <= 0) {
        throw new InvalidSimulationException(
            "the request id must be positive (the gateway counts from 1), got " + requestId);
      }
      SimulationTimeout.problem(timeout)
          .ifPresent(
              p -> {
                throw new InvalidSimulationException(p);
              });
    }

    @Override
    public byte[] inputJson() {
      return inputJson.clone();
    }

    @Override
    public String toString() {
      // secrets never printed
      return "Simulation.Input[" + functionLabel + ", " + secrets.size() + " secrets]";
    }
  }

  /** How a run ended, and the storage it left. */
  public record Outcome(
      ExecutionResult result, Map<String, String> stateAfter, long requestId, Instant blockTime) {
    public Outcome {
      stateAfter = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stateAfter));
    }

    /**
     * The answer both the CLI and the API print: {@code {"requestId","blockTime","status",
     * "result"|"error","gasUsed","logs"}} (docs/functions.md).
     */
    public ObjectNode toJson() {
      ObjectNode out = JSON.createObjectNode();
      // What the run depended on besides code and input, so it can be repeated exactly.
      out.put("requestId", requestId);
      out.put("blockTime", blockTime.toString());
      ExecutionResult r = result;
      if (r.ok()) {
        out.put("status", "ok");
        // The result's JSON text as the engine made it, the bytes production puts on chain: not
        // parsed and written again, which turned an escaped lone surrogate ("\ud800", valid
        // JSON) into a character no UTF-8 output can encode.
        out.putRawValue("result", new RawValue(r.resultJsonString()));
      } else {
        out.put("status", "error");
        ObjectNode err = out.putObject("error");
        err.put("kind", r.status().name());
        err.put("code", ExecutionStatus.of(r.status()).onChain());
        err.put("message", r.errorMessage());
      }
      out.put("gasUsed", r.gasUsed());
      out.putPOJO("logs", r.logs());
      return out;
    }

    /** {@link #toJson()} on one line: the bytes of {@code function simulate --json}. */
    public String toCompactJson() {
      try {
        return JSON.writeValueAsString(toJson());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("writing a simulation's answer failed", e);
      }
    }
  }

  /**
   * A block time as the CLI and API take it: an ISO-8601 instant or milliseconds since the epoch.
   *
   * @param name what the caller calls it ({@code --block-time}, {@code blockTime})
   * @throws InvalidSimulationException naming the value
   */
  public static Instant parseBlockTime(String text, String name) {
    try {
      if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(text));
      }
      return Instant.parse(text);
    } catch (DateTimeException | NumberFormatException e) {
      throw new InvalidSimulationException(
          name
              + " must be an ISO-8601 instant (2026-01-01T00:00:00Z) or milliseconds"
              + " since the epoch, got '"
              + text
              + "'");
    }
  }

  /**
   * Runs {@code in} on {@code engine}. Blocks for as long as the engine's limits and {@code
   * in.timeout()} let the function run.
   *
   * @throws InvalidSimulationException when a state entry breaks the storage rules (its key named)
   */
  public static Outcome run(JavaScriptEngine engine, Input in) {
    InMemoryFunctionStateStore store = new InMemoryFunctionStateStore(STATE_QUOTA_BYTES);
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(in.state()).entrySet()) {
      try {
        store.put(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException | StateQuotaExceededException bad) {
        // The same rules as the service's storage: say which entry breaks them.
        throw new InvalidSimulationException("state key '" + e.getKey() + "': " + bad.getMessage());
      }
    }
    HostServices host =
        new HostServices(
            store,
            new MapSecretsView(in.secrets()),
            new SecureRandom()::nextBytes,
            in.fetchPolicy());
    ExecutionResult result =
        engine.execute(
            new ExecutionRequest(
                in.functionLabel(),
                "simulator",
                Long.toString(in.requestId()),
                in.code(),
                in.inputJson(),
                in.inputSchema(),
                in.gasLimit(),
                in.blockTime(),
                host,
                in.memoryLimitBytes()),
            in.timeout());
    Map<String, String> after = new LinkedHashMap<>();
    for (String k : store.list("", Integer.MAX_VALUE)) {
      store.get(k).ifPresent(v -> after.put(k, new String(v, StandardCharsets.UTF_8)));
    }
    return new Outcome(result, after, in.requestId(), in.blockTime());
  }
}
