package io.nsl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.js.EngineConfig;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import io.nsl.pipeline.ExecutionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl function ...}: work with dApp functions. */
@Command(
    name = "function",
    mixinStandardHelpOptions = true,
    description = "Work with dApp functions (JavaScript run in the sandbox).",
    subcommands = {FunctionCommand.Simulate.class})
final class FunctionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ./nsl function simulate FILE}: run a function locally, exactly as production would. */
  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = {
        "Run a function locally with the production engine, gas and limits, and print one JSON"
            + " object: {\"status\":\"ok\",\"result\":...,\"gasUsed\":N,\"logs\":[...]} or"
            + " {\"status\":\"error\",\"error\":{\"kind\":...,\"message\":...},\"gasUsed\":N,\"logs\":[...]}.",
        "Exit code: 0 ok, 1 the function failed, 2 usage error."
      })
  static final class Simulate implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A fixed default, not the machine's clock: two runs of the same file and input give the same
     * answer and gas (docs/functions.md, "Deterministic answers").
     */
    static final String DEFAULT_BLOCK_TIME = "2026-01-01T00:00:00Z";

    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The function's script (defines main(input)).")
    Path file;

    @Option(
        names = "--input",
        paramLabel = "JSON",
        description = "The input, as JSON (default: null).")
    String input;

    @Option(
        names = "--input-file",
        paramLabel = "F",
        description = "Read the input JSON from a file.")
    Path inputFile;

    @Option(
        names = "--input-schema",
        paramLabel = "FILE",
        description = "A JSON Schema the input must satisfy.")
    Path inputSchema;

    @Option(
        names = "--secrets",
        paramLabel = "FILE.json",
        description = "A JSON object of secret name -> value.")
    Path secrets;

    @Option(
        names = "--state",
        paramLabel = "FILE.json",
        description =
            "The function's storage as a JSON object of key -> string; read before and written after the run.")
    Path state;

    @Option(
        names = "--gas-limit",
        paramLabel = "N",
        defaultValue = "10000000",
        description = "Gas limit (default: ${DEFAULT-VALUE}).")
    long gasLimit;

    @Option(
        names = "--memory-limit",
        paramLabel = "SIZE",
        description =
            "The function's memory budget, as 'function register --memory-limit' declares it:"
                + " bytes, or a whole number of KiB, MiB or GiB (default: the operator's default,"
                + " 128MiB; at most the operator's limit, 128MiB here).")
    String memoryLimit;

    @Option(
        names = "--allow-host",
        paramLabel = "HOST",
        description = "A host fetch may call (repeatable).")
    List<String> allowHosts = List.of();

    @Option(
        names = "--fetch-host",
        paramLabel = "HOST",
        description =
            "A host the function declares it calls, as with 'function register --fetch-host'"
                + " (repeatable): fetch then reaches only these among the --allow-host ones.")
    List<String> fetchHosts = List.of();

    @Option(
        names = "--dev-http",
        description =
            "Dev mode: let fetch use plain http and reach loopback and private addresses (a mock"
                + " server on this machine); without it, https to public addresses only.")
    boolean devHttp;

    @Option(
        names = "--request-id",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "The request id the function sees (context.requestId; with --block-time it seeds"
                + " Math.random), as the gateway numbers them (default: ${DEFAULT-VALUE}).")
    long requestId;

    @Option(
        names = "--block-time",
        paramLabel = "TIME",
        defaultValue = DEFAULT_BLOCK_TIME,
        description =
            "The request block's time: what Date.now() and new Date() return, and"
                + " context.blockTime; ISO-8601 (2026-01-01T00:00:00Z) or milliseconds since the"
                + " epoch (default: ${DEFAULT-VALUE}).")
    String blockTime;

    @Option(
        names = "--json",
        description = "Print the JSON object on one line (default: indented).")
    boolean compact;

    // --allow-host plays the operator's list, --fetch-host the function's own, as in production.
    private FetchPolicy fetchPolicy() {
      if (allowHosts.isEmpty()) {
        return FetchPolicy.denyAll();
      }
      FetchPolicy.hostListProblem(fetchHosts)
          .ifPresent(
              problem -> {
                throw usage("--fetch-host " + problem);
              });
      FetchPolicy operator = FetchPolicy.allowing(Set.copyOf(allowHosts), devHttp);
      return fetchHosts.isEmpty() ? operator : operator.restrictedTo(Set.copyOf(fetchHosts));
    }

    @Override
    public Integer call() {
      if (input != null && inputFile != null) {
        throw usage("give either --input or --input-file, not both");
      }
      if (gasLimit <= 0) {
        throw usage("--gas-limit must be positive, got " + gasLimit);
      }
      if (requestId <= 0) {
        throw usage("--request-id must be positive (the gateway counts from 1), got " + requestId);
      }
      Instant time = blockTime();
      EngineConfig config = EngineConfig.defaults();
      long memoryLimitBytes;
      try {
        memoryLimitBytes =
            memoryLimit == null
                ? ExecutionRequest.DEFAULT_MEMORY
                : MemoryArgument.bytes(
                    "--memory-limit", memoryLimit, config.limits().maxMemoryBytes());
      } catch (CliInputException e) {
        throw usage(e.getMessage());
      }
      String code = readText(file, "the function file");
      byte[] inputBytes =
          inputFile != null
              ? readText(inputFile, "--input-file").getBytes(StandardCharsets.UTF_8)
              : (input == null ? "null" : input).getBytes(StandardCharsets.UTF_8);
      Optional<String> schema =
          inputSchema == null
              ? Optional.empty()
              : Optional.of(readText(inputSchema, "--input-schema"));
      Map<String, String> secretValues =
          secrets == null ? Map.of() : readStringMap(secrets, "--secrets");
      InMemoryFunctionStateStore store = new InMemoryFunctionStateStore(1024 * 1024);
      if (state != null && Files.exists(state)) {
        for (Map.Entry<String, String> e : readStringMap(state, "--state").entrySet()) {
          try {
            store.put(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
          } catch (IllegalArgumentException | io.nsl.js.StateQuotaExceededException bad) {
            // The same rules as the service's storage: say which entry breaks them.
            throw usage(
                "--state file " + state + ": key '" + e.getKey() + "': " + bad.getMessage());
          }
        }
      }
      HostServices host =
          new HostServices(
              store,
              new MapSecretsView(secretValues),
              new SecureRandom()::nextBytes,
              fetchPolicy());
      ExecutionRequest request =
          new ExecutionRequest(
              "simulated:" + file.getFileName(),
              "simulator",
              Long.toString(requestId),
              code,
              inputBytes,
              schema,
              gasLimit,
              time,
              host,
              memoryLimitBytes);
      ExecutionResult result;
      try (JavaScriptEngine engine =
          JavaScriptEngine.start(
              new EngineConfig(config.limits(), 1, config.requireJit(), config.warmupRounds()))) {
        result = engine.execute(request);
      }
      if (state != null) {
        writeState(store);
      }
      print(result, time);
      return result.ok() ? 0 : 1;
    }

    private Instant blockTime() {
      try {
        if (blockTime.chars().allMatch(Character::isDigit) && !blockTime.isEmpty()) {
          return Instant.ofEpochMilli(Long.parseLong(blockTime));
        }
        return Instant.parse(blockTime);
      } catch (java.time.DateTimeException | NumberFormatException e) {
        throw usage(
            "--block-time must be an ISO-8601 instant (2026-01-01T00:00:00Z) or milliseconds since"
                + " the epoch, got '"
                + blockTime
                + "'");
      }
    }

    private void print(ExecutionResult r, Instant time) {
      ObjectNode out = JSON.createObjectNode();
      // What the run depended on besides file and input, so it can be repeated exactly.
      out.put("requestId", requestId);
      out.put("blockTime", time.toString());
      if (r.ok()) {
        out.put("status", "ok");
        // The result's JSON text as the engine made it, the bytes production puts on chain: not
        // parsed and written again, which turned an escaped lone surrogate ("\ud800", valid
        // JSON) into a character no UTF-8 output can encode.
        out.putRawValue(
            "result", new com.fasterxml.jackson.databind.util.RawValue(r.resultJsonString()));
      } else {
        out.put("status", "error");
        ObjectNode err = out.putObject("error");
        err.put("kind", r.status().name());
        err.put("code", ExecutionStatus.of(r.status()).onChain());
        err.put("message", r.errorMessage());
      }
      out.put("gasUsed", r.gasUsed());
      out.putPOJO("logs", r.logs());
      try {
        String text =
            compact
                ? JSON.writeValueAsString(out)
                : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("printing the result failed", e);
      }
    }

    private void writeState(InMemoryFunctionStateStore store) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String k : store.list("", Integer.MAX_VALUE)) {
        store.get(k).ifPresent(v -> m.put(k, new String(v, StandardCharsets.UTF_8)));
      }
      try {
        Files.writeString(state, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
      } catch (IOException e) {
        throw usage("cannot write --state file " + state + ": " + e.getMessage());
      }
    }

    private String readText(Path p, String what) {
      try {
        return Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw usage(
            "cannot read "
                + what
                + " "
                + p
                + ": "
                + e.getClass().getSimpleName()
                + " "
                + e.getMessage());
      }
    }

    private Map<String, String> readStringMap(Path p, String what) {
      String text = readText(p, what);
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw usage(what + " file " + p + " is not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw usage(what + " file " + p + " must be a JSON object of name -> string value");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isTextual()) {
          throw usage(what + " file " + p + ": the value of '" + e.getKey() + "' must be a string");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
