package io.nsl.workers;

import static io.nsl.testing.DocText.assertSays;
import static io.nsl.testing.DocText.fold;
import static io.nsl.testing.DocText.read;
import static io.nsl.testing.DocText.section;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long a run's recorded answer is kept after its request ended, and how many go with one
 * release, as docs/pipeline.md and decision 1010 say them: read from {@link EndedAnswers}.
 */
class RunRecordDocTest {
  private static final String KEEP = EndedAnswers.KEEP.toMinutes() + " minutes";
  private static final String BATCH = String.valueOf(EndedAnswers.BATCH);

  @Test
  void pipelineGuaranteesSayHowLongARecordIsKeptAndHowManyGoAtOnce() {
    assertSays(
        "docs/pipeline.md, Guarantees",
        section(read("docs/pipeline.md"), "Guarantees and how they are kept"),
        List.of(
            "A record is removed " + KEEP + " after its request ended",
            "up to " + BATCH + " per release",
            "`<requestId>` in the `" + SharedFunctionLocks.ANSWERS + "` namespace"));
  }

  @Test
  void decision1010SaysTheSame() {
    String doc = fold(read("docs/decisions/1010-per-function-consistency.md"));
    assertSays(
        "decision 1010",
        doc,
        List.of(
            "`EndedAnswers.KEEP` (" + KEEP + ")",
            "`EndedAnswers.BATCH` (" + BATCH + ")",
            "until " + KEEP + " after it ended",
            "namespace `" + SharedFunctionLocks.ANSWERS + "`"));
  }
}
