package io.nsl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EndedAnswersTest {
  private static final long KEEP = EndedAnswers.KEEP.toMillis();

  @Test
  void aRecordIsDueOnlyOnceItsRequestEndedKeepAgoAndThenOnlyOnce() {
    EndedAnswers e = new EndedAnswers();
    e.ended(List.of(1L, 2L), 1_000);
    e.ended(List.of(3L), 2_000);
    assertTrue(e.due(1_000 + KEEP - 1).isEmpty(), "kept until KEEP has passed");
    assertEquals(List.of(1L, 2L), e.due(1_000 + KEEP));
    assertTrue(e.due(1_000 + KEEP).isEmpty(), "taken out");
    assertEquals(List.of(3L), e.due(2_000 + KEEP));
    assertEquals(0, e.size());
  }

  @Test
  void atMostABatchIsDueAtOnceAndWhatAFailedReleasePutsBackIsDueAgainAtOnce() {
    EndedAnswers e = new EndedAnswers();
    e.ended(LongStream.range(0, EndedAnswers.BATCH + 10).boxed().toList(), 0);
    List<Long> first = e.due(KEEP);
    assertEquals(EndedAnswers.BATCH, first.size());
    e.putBack(first);
    List<Long> all = new ArrayList<>(e.due(KEEP));
    all.addAll(e.due(KEEP));
    all.addAll(e.due(KEEP));
    assertEquals(EndedAnswers.BATCH + 10, all.size());
    assertEquals(0, e.size());
  }

  @Test
  void rememberingIsBoundedOldestForgottenFirst() {
    EndedAnswers e = new EndedAnswers();
    e.ended(LongStream.range(0, EndedAnswers.MAX_REMEMBERED + 5).boxed().toList(), 0);
    assertEquals(EndedAnswers.MAX_REMEMBERED, e.size());
    assertEquals(5L, e.due(KEEP).getFirst(), "the five oldest were forgotten");
  }
}
