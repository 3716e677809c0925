package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.pipeline.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/pipeline.md's retry and batching numbers, read from the one place each lives in code ({@link
 * RetryPolicy#DEFAULT}, {@link io.nsl.chain.Backoff}, {@link ServiceConfig#defaults()}).
 */
class PipelineDocTest {
  private static String section(String heading) throws IOException {
    String doc = Files.readString(ProjectRoot.find().resolve("docs/pipeline.md"));
    int at = doc.indexOf("## " + heading + "\n");
    assertTrue(at >= 0, "docs/pipeline.md lacks the section " + heading);
    int end = doc.indexOf("\n## ", at + 1);
    return doc.substring(at, end < 0 ? doc.length() : end).replaceAll("\\s+", " ");
  }

  private static void assertSays(String text, List<String> phrases) {
    for (String p : phrases) {
      assertTrue(text.contains(p), "docs/pipeline.md should say \"" + p + "\"");
    }
  }

  @Test
  void retriesSectionQuotesTheRetryPolicy() throws IOException {
    RetryPolicy r = RetryPolicy.DEFAULT;
    assertSays(
        section("Retries"),
        List.of(
            "the request runs " + r.engineAttempts() + " times in all",
            "after " + r.executorRetryDelay().toMillis() + " ms",
            r.chainBackoff().toMillis()
                + " ms doubling to "
                + r.chainBackoffMax().toMillis()
                + " ms",
            "(default " + ServiceConfig.defaults().submitter().validForBlocks() + ")",
            "started again after "
                + r.restartBackoff().toMillis()
                + " ms doubling to "
                + r.restartBackoffMax().toMillis()
                + " ms",
            "read back after "
                + r.parkedBackoff().toMillis()
                + " ms doubling to "
                + r.parkedBackoffMax().toMillis()
                + " ms"));
  }

  @Test
  void functionsDocQuotesTheEngineAttempts() throws IOException {
    String doc = Files.readString(ProjectRoot.find().resolve("docs/functions.md"));
    assertTrue(
        doc.contains("(" + RetryPolicy.DEFAULT.engineAttempts() + " runs in all)"),
        "docs/functions.md's 255 row should give the number of runs");
  }

  @Test
  void resultLimitIsTheGatewaysAndTheDocsSayIt() throws IOException {
    String text = section("Statuses");
    String limit = String.format("%,d", io.nsl.pipeline.RequestExecutor.MAX_RESULT_BYTES);
    assertTrue(text.contains(limit + "-byte limit"), "docs/pipeline.md should say " + limit);
  }
}
