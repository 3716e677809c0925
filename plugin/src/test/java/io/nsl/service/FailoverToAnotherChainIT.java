package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.devnet.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain identity while running: the service fails over from its node to the next endpoint, and that
 * one is another devnet with the same magic and the same contract hashes. The watcher must read
 * nothing there and /ready must say why; when its own node is back, it carries on.
 */
class FailoverToAnotherChainIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void refusesToReadAnotherChainReachedByFailOverAndSaysWhyUntilItsOwnNodeIsBack()
      throws Exception {
    Path root = ProjectRoot.find();
    try (LocalNeoNode other = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      DevnetDeployment otherDeployment =
          DevnetDeployment.deploy(other, root.resolve("contracts/build"));
      try (LocalStack stack =
          LocalStack.start(
              root,
              dir.resolve("service"),
              QUIET,
              false,
              cfg ->
                  new ServiceConfig(
                      cfg.mode(),
                      cfg.dataDir(),
                      cfg.chain().withRpcUrls(List.of(cfg.chain().rpcUrl(), other.rpcUrl())),
                      cfg.executor(),
                      cfg.submitter(),
                      cfg.api(),
                      cfg.fetch()))) {
        assertEquals(otherDeployment.gateway(), stack.gateway(), "same settings, same hashes");
        int port = stack.service().apiPort();
        String ready = await(port, r -> r.startsWith("200 "));
        assertTrue(ready.contains("\"watcher\":\"notifications\""), ready);

        stack.node().stop();
        String refused = await(port, r -> r.startsWith("503 ") && r.contains("block 1 is 0x"));
        assertTrue(refused.contains("Start with an empty data folder"), refused);
        long cursor = stack.service().queue().nextBlock();
        long otherHeight = other.chain().blockCount();
        while (other.chain().blockCount() < otherHeight + 6) {
          Thread.sleep(200);
        }
        assertEquals(
            cursor, stack.service().queue().nextBlock(), "read nothing of the other chain");

        stack.node().restart();
        await(port, r -> r.startsWith("200 "));
      }
    }
  }

  static String await(int port, Predicate<String> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = DataFolderOnAnotherChainIT.readiness(port);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("readiness never matched; last answer: " + last);
  }
}
