package io.nsl.cli;

import io.nsl.ProjectRoot;
import io.nsl.devnet.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code ./nsl demo}: the main job end to end on a throw-away local chain: a consumer contract asks
 * for the sample function, the service runs it in the (simulated) enclave, and the consumer is
 * called back on chain with the signed answer.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the end-to-end demo on a throw-away local chain (simulation mode).")
final class DemoCommand implements Runnable {
  static final String FUNCTION_ID = "double";

  @Override
  public void run() {
    PrintStream out = System.out;
    Path root = ProjectRoot.find();
    Path data;
    try {
      data = Files.createTempDirectory("nsl-demo-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary folder: " + e.getMessage(), e);
    }
    // Ctrl-C skips the finally below (the JVM only runs shutdown hooks), so a hook removes the
    // folder too; LocalNeoNode's own hook stops the node and removes the chain's folder.
    Thread cleanup = new Thread(() -> deleteTree(data), "nsl-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (LocalStack stack = LocalStack.start(root, data, out)) {
      String code = Files.readString(root.resolve("examples/functions/double.js"));
      step(
          out,
          "registering function '"
              + FUNCTION_ID
              + "' (examples/functions/double.js): code hash on chain, code in the service");
      stack.registerFunction(FUNCTION_ID, code);
      step(out, "storing the developer's API_KEY secret, encrypted to the enclave's secrets key");
      stack.setSecret("API_KEY", "sk-demo-" + Long.toHexString(System.nanoTime()));
      step(out, "the consumer contract requests " + FUNCTION_ID + "({\"value\": 42})");
      var sent = stack.request(FUNCTION_ID, "{\"value\": 42}", 1_000_000);
      out.println(
          "    request "
              + sent.requestId()
              + " in block "
              + sent.blockIndex()
              + ", tx "
              + sent.txHash());
      step(out, "waiting for the enclave's answer on chain");
      var answer = stack.awaitAnswer(sent, Duration.ofSeconds(60));
      long blocks = answer.blockIndex() - sent.blockIndex();
      double seconds =
          (answer.blockTimeMillis() - stack.blockTimeMillis(sent.blockIndex())) / 1000.0;
      out.println("    fulfilled in block " + answer.blockIndex() + ", tx " + answer.txHash());
      out.println(
          "    status "
              + answer.status()
              + (answer.status() == 0 ? " (OK)" : " (error)")
              + ", gas used "
              + answer.gasUsed()
              + " JS gas units");
      out.println(
          "    latency: "
              + blocks
              + " block(s), "
              + String.format("%.1f", seconds)
              + " s between the request's block and the answer's");
      step(out, "the consumer's on-chain callback stored: " + answer.result());
      var exec = stack.service().executions().get(sent.requestId());
      exec.ifPresent(e -> e.logs().forEach(l -> out.println("    function log: " + l)));
      if (answer.status() != 0) {
        throw new DemoFailed("the function answered with an error: " + answer.result());
      }
      step(out, "stopping the service and the chain");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read examples/functions/double.js: " + e.getMessage(), e);
    } finally {
      deleteTree(data);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs anyway
      }
    }
    step(out, "done");
  }

  private static void step(PrintStream out, String what) {
    out.println("==> " + what);
    out.flush();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp folder
    }
  }

  static final class DemoFailed extends io.nsl.NslException {
    DemoFailed(String message) {
      super("DEMO_FAILED", message);
    }
  }
}
