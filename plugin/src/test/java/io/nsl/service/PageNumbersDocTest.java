package io.nsl.service;

import static io.nsl.testing.DocText.assertSays;
import static io.nsl.testing.DocText.n;
import static io.nsl.testing.DocText.size;

import io.nsl.api.OperatorSeries;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MemoryBudget;
import io.nsl.js.internal.Scrubber;
import io.nsl.pipeline.FulfilmentSubmitter;
import io.nsl.pipeline.PipelineMetrics;
import io.nsl.secrets.SecretLimits;
import io.nsl.storage.StorageLimits;
import io.nsl.testing.DocText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits the shorter pages repeat are the code's: docs/secrets-envelope.md ({@link
 * SecretLimits}), docs/storage.md ({@link StorageLimits}), and the redaction and memory model that
 * docs/functions.md and docs/security.md describe ({@link Scrubber}, {@link MemoryBudget}).
 */
class PageNumbersDocTest {
  @Test
  void secretsEnvelopeChecksAreSecretLimits() {
    SecretLimits d = SecretLimits.defaults();
    assertSays(
        "docs/secrets-envelope.md",
        DocText.read("docs/secrets-envelope.md"),
        List.of(
            "| value size ≤ limit (default " + size(d.maxSecretBytes()) + ") |",
            "| secrets per owner ≤ limit (default " + d.maxSecretsPerOwner() + ") |"));
    assertSays(
        "docs/functions.md",
        DocText.read("docs/functions.md"),
        List.of("- **secret name**: 1 to " + SecretLimits.MAX_NAME_LENGTH + " characters"));
  }

  @Test
  void storageSizesAreStorageLimits() {
    StorageLimits d = StorageLimits.defaults();
    assertSays(
        "docs/storage.md",
        DocText.fold(DocText.read("docs/storage.md")),
        List.of(
            "1..`maxKeyBytes` (" + d.maxKeyBytes() + ")",
            "`maxValueBytes` (" + size(d.maxValueBytes()) + ")",
            "`maxStreamBytes` (" + size(d.maxStreamBytes()) + ")",
            "`streamChunkBytes` (" + size(d.streamChunkBytes()) + ") chunks"));
  }

  @Test
  void redactionRunAndObjectSizeAreTheCodes() {
    assertSays(
        "docs/functions.md",
        DocText.fold(DocText.read("docs/functions.md")),
        List.of("any " + Scrubber.RUN + "-character run of them"));
    assertSays(
        "docs/security.md",
        DocText.fold(DocText.read("docs/security.md")),
        List.of(
            "runs shorter than " + Scrubber.RUN + " characters of a secret",
            "a secret shorter than " + Scrubber.RUN + " characters is caught only whole",
            "printed " + (Scrubber.RUN - 1) + " characters at a time is not caught",
            "every string of " + Scrubber.RUN + " or more characters inside it",
            "any run of " + Scrubber.RUN + " characters of any of these forms",
            "except where " + Scrubber.RUN + "-character runs of it survive",
            "(" + n(MemoryBudget.OBJECT_BYTES) + " bytes an object however many"));
  }

  @Test
  void pipelineSketchWarmUpAndExitCodeAreTheCodes() {
    assertSays(
        "docs/pipeline.md",
        DocText.fold(DocText.read("docs/pipeline.md")),
        List.of(
            "tracker thread: every "
                + FulfilmentSubmitter.TRACK_INTERVAL.toMillis()
                + " ms the height",
            "a stack overflow, up to " + JavaScriptEngine.WARMUP_TIMEOUT.toSeconds() + " s each",
            "the process stops with exit code " + NslService.EXIT_FATAL));
  }

  @Test
  void aBusyFunctionsRetryTimesAreTheQueues() {
    long first = io.nsl.pipeline.RequestQueue.BUSY_ELSEWHERE_FIRST.toMillis();
    long max = io.nsl.pipeline.RequestQueue.BUSY_ELSEWHERE_MAX.toMillis();
    assertSays(
        "docs/pipeline.md",
        DocText.fold(DocText.read("docs/pipeline.md")),
        List.of(
            "handed out on this worker for "
                + first
                + " ms, doubled at each find in a row up to "
                + max
                + " ms"));
    assertSays(
        "docs/decisions/1010-per-function-consistency.md",
        DocText.fold(DocText.read("docs/decisions/1010-per-function-consistency.md")),
        List.of(
            first + " ms after the first find, doubled at each find in a row up to " + max + " ms",
            "another worker whose try comes every " + first + "–" + max));
  }

  @Test
  void operatorSeriesAndConsoleRefreshAreTheCodes() {
    long every = OperatorSeries.LAST_HOUR_EVERY.toSeconds();
    long refreshMs = DocText.jsConst("console/src/views/operator.js", "REFRESH_MS");
    assertSays(
        "docs/api.md",
        DocText.read("docs/api.md"),
        List.of("the last hour every " + every + " s (`NOT_OPERATOR`"));
    assertSays(
        "docs/operator.md",
        DocText.read("docs/operator.md"),
        List.of("the last hour sampled every " + every + " s for plots"));
    assertSays(
        "docs/console.md",
        DocText.fold(DocText.read("docs/console.md")),
        List.of(
            "over the last hour (a sample every " + every + " s",
            "It refreshes every " + refreshMs / 1000 + " seconds while shown"));
  }

  @Test
  void theConsolesP95BoundsAreTheBlocksToAnswerBuckets() {
    List<String> bounds =
        PipelineMetrics.BLOCKS_TO_ANSWER_BOUNDS.stream().map(b -> n(b.longValue())).toList();
    String list =
        String.join(", ", bounds.subList(0, bounds.size() - 1)) + " or " + bounds.getLast();
    assertSays(
        "docs/console.md",
        DocText.fold(DocText.read("docs/console.md")),
        List.of("so it is a bucket bound: " + list + " blocks"));
  }
}
