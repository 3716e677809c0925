package io.nsl.pipeline;

import static io.nsl.pipeline.RequestStage.CONFIRMED;
import static io.nsl.pipeline.RequestStage.DROPPED;
import static io.nsl.pipeline.RequestStage.EXECUTED;
import static io.nsl.pipeline.RequestStage.FAILED;
import static io.nsl.pipeline.RequestStage.QUEUED;
import static io.nsl.pipeline.RequestStage.RUNNING;
import static io.nsl.pipeline.RequestStage.SEEN;
import static io.nsl.pipeline.RequestStage.SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of stages, allowed or refused, against the table written out again here (docs/
 * pipeline.md draws the same): a change to {@link RequestStage}'s table must change this list.
 */
class RequestStageTest {
  static final Set<List<RequestStage>> ALLOWED =
      Set.of(
          List.of(SEEN, QUEUED),
          List.of(SEEN, FAILED),
          List.of(QUEUED, RUNNING),
          List.of(QUEUED, DROPPED),
          List.of(RUNNING, EXECUTED),
          List.of(RUNNING, QUEUED),
          List.of(EXECUTED, SENT),
          List.of(EXECUTED, DROPPED),
          List.of(EXECUTED, FAILED),
          List.of(EXECUTED, QUEUED),
          List.of(SENT, CONFIRMED),
          List.of(SENT, EXECUTED),
          List.of(SENT, DROPPED),
          List.of(SENT, FAILED));

  static Stream<Arguments> everyPair() {
    List<Arguments> out = new ArrayList<>();
    for (RequestStage from : RequestStage.values()) {
      for (RequestStage to : RequestStage.values()) {
        out.add(Arguments.of(from, to, ALLOWED.contains(List.of(from, to))));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
  @MethodSource("everyPair")
  void movesOnlyAlongTheTable(RequestStage from, RequestStage to, boolean allowed) {
    assertEquals(allowed, from.canMoveTo(to));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void endStagesAreExactlyThoseWithNoWayOut(RequestStage s) {
    assertEquals(Set.of(CONFIRMED, FAILED, DROPPED).contains(s), s.isEnd());
  }

  static Stream<RequestStage> stages() {
    return Stream.of(RequestStage.values());
  }
}
