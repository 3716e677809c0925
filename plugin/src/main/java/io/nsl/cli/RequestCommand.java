package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl request status ID}. */
@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    description = "Follow requests to your functions.",
    subcommands = {RequestCommand.Status.class})
final class RequestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
