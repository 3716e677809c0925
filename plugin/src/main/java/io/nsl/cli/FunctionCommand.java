package io.nsl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.chain.StackValue;
import io.nsl.js.EngineConfig;
import io.nsl.js.ErrorKind;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.FetchPolicy;
import io.nsl.js.JavaScriptEngine;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationTimeout;
import io.nsl.trigger.EventArguments;
import io.nsl.trigger.TriggerScheduler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
      defaultValueProvider = Simulate.ProductionDeadline.class,
      description = {
        "Run a function locally with the production engine, gas and limits, and print one JSON"
            + " object: {\"status\":\"ok\",\"result\":...,\"gasUsed\":N,\"logs\":[...]} or"
            + " {\"status\":\"error\",\"error\":{\"kind\":...,\"message\":...},\"gasUsed\":N,\"logs\":[...]}.",
        "Exit code: 0 ok, 1 the function failed, 2 usage error."
      })
  static final class Simulate implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code --timeout}'s default: the production executor's deadline ({@link
     * SimulationTimeout#DEFAULT}), so the help shows it and it cannot drift from production.
     */
    static final class ProductionDeadline implements CommandLine.IDefaultValueProvider {
      @Override
      public String defaultValue(CommandLine.Model.ArgSpec arg) {
        return arg.isOption()
                && "--timeout".equals(((CommandLine.Model.OptionSpec) arg).longestName())
            ? SimulationTimeout.format(SimulationTimeout.DEFAULT)
            : null;
      }
    }

    /**
     * A fixed default, not the machine's clock: two runs of the same file and input give the same
     * answer and gas (docs/functions.md, "Deterministic answers").
     */
    static final String DEFAULT_BLOCK_TIME = Simulation.DEFAULT_BLOCK_TIME;

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
        defaultValue = "" + Simulation.DEFAULT_GAS_LIMIT,
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
        names = "--timeout",
        paramLabel = "DURATION",
        description =
            "The wall-clock deadline: past it the run ends TIMEOUT, charged its whole gas limit,"
                + " as in production. A whole number of ms, s or m, at most 60m (default:"
                + " ${DEFAULT-VALUE}, the production executor's deadline). A longer one shows what"
                + " the function does with more time; production still stops it at its own.")
    String timeout;

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

    @Option(
        names = "--trigger",
        paramLabel = "KIND",
        description =
            "Instead of --input, the input a trigger's run gets, built as the service builds it:"
                + " 'schedule' (--slot, --subscription, --tick for a cron slot) or 'event'"
                + " (--event, --slot as its block, --tx-hash, --event-index). context.requestId is"
                + " then the run id (docs/triggers.md).")
    String trigger;

    @Option(
        names = "--subscription",
        paramLabel = "N",
        defaultValue = "1",
        description = "With --trigger: the subscription id (default: ${DEFAULT-VALUE}).")
    long subscriptionId;

    @Option(
        names = "--slot",
        paramLabel = "BLOCK",
        description =
            "With --trigger: the slot's block index (schedule), or the event's block (event).")
    Long slot;

    @Option(
        names = "--tick",
        paramLabel = "TIME",
        description =
            "With --trigger schedule: the cron tick the slot stands for, read as --block-time is"
                + " (ISO-8601 or milliseconds since the epoch).")
    String tick;

    @Option(
        names = "--event",
        paramLabel = "JSON",
        description =
            "With --trigger event: the notification as getapplicationlog prints it,"
                + " {\"contract\":\"0x...\",\"eventname\":\"...\",\"state\":{\"type\":\"Array\",...}}.")
    String event;

    @Option(
        names = "--event-file",
        paramLabel = "FILE",
        description = "With --trigger event: read the notification JSON from a file.")
    Path eventFile;

    @Option(
        names = "--tx-hash",
        paramLabel = "HASH",
        defaultValue = "0x0000000000000000000000000000000000000000000000000000000000000000",
        description = "With --trigger event: the event's transaction (default: zeros).")
    String txHash;

    @Option(
        names = "--event-index",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "With --trigger event: the event's place among the subscription's matches in its block"
                + " (0..255; default: ${DEFAULT-VALUE}).")
    int eventIndex;

    /** The input and run id a trigger's run would get, or empty without --trigger. */
    private Optional<TriggerInput> triggerInput(Instant time) {
      if (trigger == null) {
        if (slot != null || tick != null || event != null || eventFile != null) {
          throw usage("--slot, --tick, --event and --event-file go with --trigger schedule|event");
        }
        return Optional.empty();
      }
      if (input != null || inputFile != null) {
        throw usage("--trigger builds the input: give it or --input/--input-file, not both");
      }
      if (subscriptionId < 1 || subscriptionId > RunId.MAX_SUBSCRIPTION_ID) {
        throw usage(
            "--subscription must be 1.." + RunId.MAX_SUBSCRIPTION_ID + ", got " + subscriptionId);
      }
      if (slot == null || slot < 0) {
        throw usage("--trigger " + trigger + " needs --slot BLOCK (a block index, 0 or more)");
      }
      switch (trigger) {
        case "schedule" -> {
          if (event != null || eventFile != null) {
            throw usage("--event and --event-file go with --trigger event, not schedule");
          }
          Optional<Instant> t =
              tick == null ? Optional.empty() : Optional.of(blockTime(tick, "--tick"));
          return Optional.of(
              new TriggerInput(
                  RunId.of(subscriptionId, slot),
                  TriggerScheduler.scheduleInput(subscriptionId, slot, t)));
        }
        case "event" -> {
          if (tick != null) {
            throw usage("--tick goes with --trigger schedule, not event");
          }
          if ((event == null) == (eventFile == null)) {
            throw usage(
                "--trigger event needs one of --event JSON or --event-file FILE: the notification"
                    + " as getapplicationlog prints it");
          }
          if (eventIndex < 0 || eventIndex >= RunId.EVENTS_PER_BLOCK) {
            throw usage(
                "--event-index must be 0.." + (RunId.EVENTS_PER_BLOCK - 1) + ", got " + eventIndex);
          }
          String text = eventFile != null ? readText(eventFile, "--event-file") : event;
          JsonNode note;
          try {
            note = JSON.readTree(text);
          } catch (IOException e) {
            throw usage("--event is not JSON: " + e.getMessage());
          }
          if (note == null
              || !note.path("contract").isTextual()
              || !note.path("eventname").isTextual()
              || !"Array".equals(note.path("state").path("type").asText())) {
            throw usage(
                "--event must be a notification as getapplicationlog prints it: an object with"
                    + " \"contract\", \"eventname\" and \"state\" (a stack item of type Array)");
          }
          List<StackValue> state;
          try {
            state = NeoRpcClient.parseStack(note.path("state")).asList();
          } catch (RuntimeException e) {
            throw usage(
                "--event's state is not a stack item the node would print: " + e.getMessage());
          }
          return Optional.of(
              new TriggerInput(
                  RunId.of(subscriptionId, RunId.eventSlot(slot, eventIndex)),
                  TriggerScheduler.eventInput(
                      subscriptionId,
                      slot,
                      time,
                      txHash,
                      eventIndex,
                      note.path("contract").asText(),
                      note.path("eventname").asText(),
                      EventArguments.render(state))));
        }
        default -> throw usage("--trigger must be schedule or event, got '" + trigger + "'");
      }
    }

    private record TriggerInput(long runId, byte[] input) {}

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
      Instant time = blockTime(blockTime, "--block-time");
      Optional<TriggerInput> run = triggerInput(time);
      EngineConfig config = EngineConfig.defaults();
      Duration deadline;
      long memoryLimitBytes;
      try {
        deadline = SimulationTimeout.parse("--timeout", timeout);
      } catch (Simulation.InvalidSimulationException e) {
        throw usage(e.getMessage());
      }
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
          run.isPresent()
              ? run.get().input()
              : inputFile != null
                  ? readText(inputFile, "--input-file").getBytes(StandardCharsets.UTF_8)
                  : (input == null ? "null" : input).getBytes(StandardCharsets.UTF_8);
      if (run.isPresent()) {
        requestId = run.get().runId();
      }
      Optional<String> schema =
          inputSchema == null
              ? Optional.empty()
              : Optional.of(readText(inputSchema, "--input-schema"));
      Map<String, String> secretValues =
          secrets == null ? Map.of() : readStringMap(secrets, "--secrets");
      Map<String, String> stateBefore =
          state != null && Files.exists(state) ? readStringMap(state, "--state") : Map.of();
      Simulation.Input in =
          new Simulation.Input(
              "simulated:" + file.getFileName(),
              code,
              inputBytes,
              schema,
              secretValues,
              stateBefore,
              gasLimit,
              requestId,
              time,
              fetchPolicy(),
              memoryLimitBytes,
              deadline);
      Simulation.Outcome outcome;
      try (JavaScriptEngine engine =
          JavaScriptEngine.start(
              new EngineConfig(config.limits(), 1, config.requireJit(), config.warmupRounds()))) {
        outcome = Simulation.run(engine, in);
      } catch (Simulation.InvalidSimulationException bad) {
        throw usage("--state file " + state + ": " + bad.getMessage());
      }
      if (state != null) {
        writeState(outcome.stateAfter());
      }
      print(outcome);
      if (outcome.result().status() == ErrorKind.TIMEOUT) {
        explainTimeout(deadline, config.limits().timeout());
      }
      return outcome.result().ok() ? 0 : 1;
    }

    // On stderr, so stdout stays the one JSON object POST /v1/simulate answers byte for byte.
    private void explainTimeout(Duration deadline, Duration production) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "TIMEOUT: the function was still running at the "
              + SimulationTimeout.format(deadline)
              + " deadline and was charged its whole gas limit. To see what it does with more"
              + " time, run again with a longer --timeout (up to "
              + SimulationTimeout.format(SimulationTimeout.MAX)
              + "); production stops it at "
              + SimulationTimeout.format(production)
              + " whatever --timeout says.");
      err.flush();
    }

    // One reading of a time for --block-time and --tick: ISO-8601 or milliseconds since the epoch.
    private Instant blockTime(String value, String option) {
      try {
        return Simulation.parseBlockTime(value, option);
      } catch (Simulation.InvalidSimulationException e) {
        throw usage(e.getMessage());
      }
    }

    private void print(Simulation.Outcome outcome) {
      try {
        String text =
            compact
                ? outcome.toCompactJson()
                : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(outcome.toJson());
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("printing the result failed", e);
      }
    }

    private void writeState(Map<String, String> m) {
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
