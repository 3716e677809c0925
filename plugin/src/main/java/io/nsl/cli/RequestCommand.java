package io.nsl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.chain.NeoChain;
import io.nsl.devnet.ExampleConsumer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl request send|status}. */
@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    description =
        "Send requests through a consumer contract and follow requests to your functions.",
    subcommands = {RequestCommand.Send.class, RequestCommand.Status.class})
final class RequestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = {
        "Have a consumer contract built like the example (contracts/consumer) request FUNCTION on"
            + " INPUT: calls its request(functionId, input, jsGasLimit, gasForResponse) from your"
            + " wallet (the consumer's owner), waits for the block and prints the gateway's request"
            + " id. With --wait, reads the answer back from the consumer's getAnswer on chain.",
        "Exit code: 0 sent (with --wait: answered OK), 1 a failure or an error answer, 4 --wait"
            + " timed out."
      })
  static final class Send implements Callable<Integer> {
    /** How long {@code --wait} waits by default, in seconds (docs/quickstart.md). */
    static final String WAIT_SECONDS = "60";

    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Option(
        names = "--consumer",
        required = true,
        paramLabel = "HASH",
        description =
            "The consumer contract: 0x + 40 hex (big-endian, as neon-js shows it), 40 hex (little-"
                + "endian, as neo-go prints it).")
    String consumer;

    @Option(
        names = "--function",
        required = true,
        paramLabel = "ID",
        description = "The function id.")
    String functionId;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "JSON",
        description = "The input, JSON (main(input) receives it).")
    String input;

    @Option(
        names = "--js-gas-limit",
        paramLabel = "UNITS",
        defaultValue = "1000000",
        description = "JS gas the function may use (default: ${DEFAULT-VALUE}).")
    long jsGasLimit;

    @Option(names = "--wait", description = "Wait for the answer on chain and print it.")
    boolean waitForAnswer;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = WAIT_SECONDS,
        description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
      Output out = new Output(spec, opts.json);
      HashArgument hash = HashArgument.parse("--consumer", consumer, HashArgument.Kind.CONTRACT);
      java.util.Optional<String> idProblem = io.nsl.NameRules.functionIdProblem(functionId);
      if (idProblem.isPresent()) {
        throw new CliInputException("--function: " + idProblem.get());
      }
      try {
        if (Output.JSON.readTree(input).isMissingNode()) {
          throw new CliInputException("--input must be JSON (e.g. '{\"value\": 42}'), got nothing");
        }
      } catch (JsonProcessingException e) {
        throw new CliInputException(
            "--input must be JSON (e.g. '{\"value\": 42}'), got '"
                + input
                + "': "
                + e.getOriginalMessage());
      }
      if (jsGasLimit <= 0 || timeoutSeconds < 0) {
        throw new CliInputException("--js-gas-limit must be positive and --timeout 0 or more");
      }
      out.progress(hash.note());
      ExampleConsumer c =
          new ExampleConsumer(new NeoChain(opts.rpcUrl(), Duration.ofMillis(200)), hash.hash());
      var account = opts.account();
      out.progress("sending the request from " + account.getAddress() + " (waiting for the block)");
      ExampleConsumer.Sent sent = c.request(account, functionId, input, jsGasLimit);
      ObjectNode r = Output.JSON.createObjectNode();
      r.put("requestId", sent.requestId());
      r.put("consumer", hash.bigEndian0x());
      r.put("functionId", functionId);
      r.put("transaction", sent.transaction());
      String text =
          "request "
              + sent.requestId()
              + " sent through consumer "
              + hash.bigEndian0x()
              + " (function '"
              + functionId
              + "', transaction "
              + sent.transaction()
              + ")";
      if (!waitForAnswer) {
        out.result(r, text);
        return 0;
      }
      out.progress("waiting up to " + timeoutSeconds + " s for the answer on chain");
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      Optional<ExampleConsumer.Answer> answer = c.answer(sent.requestId());
      while (answer.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        answer = c.answer(sent.requestId());
      }
      if (answer.isEmpty()) {
        r.putNull("answer");
        out.result(
            r,
            text
                + "\n  no answer within "
                + timeoutSeconds
                + " s; follow it with './nsl request status "
                + sent.requestId()
                + "'");
        return Status.EXIT_PENDING;
      }
      ExampleConsumer.Answer a = answer.get();
      ObjectNode an = r.putObject("answer");
      an.put("status", a.status());
      String result = a.resultUtf8();
      try {
        an.set("result", Output.JSON.readTree(result));
      } catch (JsonProcessingException notJson) {
        an.put("result", result);
      }
      out.result(
          r,
          text
              + "\n  status   "
              + a.status()
              + (a.status() == 0 ? " (OK)" : " (error; see docs/functions.md, error kinds)")
              + "\n  result   "
              + result);
      return a.status() == 0 ? 0 : 1;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show what happened to request ID (the gateway's requestId) of one of your functions:"
            + " status, result, gas used, logs (secrets scrubbed) and its state on chain.",
        "Exit code: 0 the function ran OK, 1 it failed or is unknown, 4 still waiting (with --wait: timed out)."
      })
  static final class Status implements Callable<Integer> {
    static final int EXIT_PENDING = 4;

    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "ID", description = "The request id.")
    long id;

    @Option(
        names = "--wait",
        paramLabel = "SECONDS",
        defaultValue = "0",
        description =
            "Wait up to SECONDS until the answer is fulfilled on chain (default: ${DEFAULT-VALUE}, no wait).")
    int waitSeconds;

    @Override
    public Integer call() throws InterruptedException {
      if (id < 0) {
        throw new CliInputException("ID must be a request id (0 or more), got " + id);
      }
      Output out = new Output(spec, opts.json);
      ApiClient api = opts.client(opts.account());
      long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
      boolean announced = false;
      while (true) {
        JsonNode r;
        try {
          r = api.signed("GET", "/v1/executions/" + id, null);
        } catch (ApiCallException e) {
          if (!e.code().equals("EXECUTION_NOT_FOUND") || System.nanoTime() >= deadline) {
            if (e.code().equals("EXECUTION_NOT_FOUND") && waitSeconds > 0) {
              throw new ApiCallException(
                  e.code(),
                  e.httpStatus(),
                  "request "
                      + id
                      + " has no execution after "
                      + waitSeconds
                      + " s: "
                      + e.getMessage());
            }
            throw e;
          }
          r = null;
        }
        boolean settled = r != null && !"PENDING".equals(r.path("chainState").asText());
        if (settled || System.nanoTime() >= deadline) {
          if (r == null) {
            throw new IllegalStateException("unreachable");
          }
          print(out, r);
          if (!settled) {
            return EXIT_PENDING;
          }
          return r.path("status").asInt() == 0 ? 0 : 1;
        }
        if (!announced) {
          out.progress("waiting for request " + id + " (up to " + waitSeconds + " s)");
          announced = true;
        }
        Thread.sleep(500);
      }
    }

    private static void print(Output out, JsonNode r) {
      StringBuilder t = new StringBuilder();
      t.append("request ")
          .append(r.path("requestId").asLong())
          .append(" → function '")
          .append(r.path("functionId").asText())
          .append("'\n");
      t.append("  status     ")
          .append(r.path("kind").asText())
          .append(" (")
          .append(r.path("status").asInt())
          .append(")\n");
      t.append("  on chain   ").append(r.path("chainState").asText()).append('\n');
      t.append("  gas used   ").append(r.path("gasUsed").asLong()).append('\n');
      if (r.hasNonNull("result")) {
        t.append("  result     ").append(r.path("result").toString()).append('\n');
      }
      if (r.hasNonNull("error")) {
        t.append("  error      ").append(r.path("error").asText()).append('\n');
      }
      t.append("  executed   ").append(r.path("executedAt").asText());
      for (JsonNode l : r.path("logs")) {
        t.append("\n  log        ").append(l.asText());
      }
      out.result(r, t.toString());
    }
  }
}
