package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.js.ErrorKind;
import io.nsl.js.ExecutionResult;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationInputs;
import io.nsl.pipeline.SimulationTimeout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SimulationRunnerTest {
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final Simulation.Input IN = SimulationInputs.returningOne(SimulationTimeout.DEFAULT);
  static final Simulation.Outcome DONE =
      new Simulation.Outcome(
          new ExecutionResult(ErrorKind.OK, "1".getBytes(), 7, List.of(), null),
          Map.of(),
          1,
          Instant.EPOCH);

  @Test
  void eachAccountHasItsOwnRate() {
    try (SimulationRunner r =
        new SimulationRunner(
            in -> DONE,
            1000,
            Duration.ofSeconds(10),
            1,
            1,
            Duration.ofSeconds(5),
            0.001,
            2,
            FIXED)) {
      assertSame(DONE, r.simulate("alice", IN));
      assertSame(DONE, r.simulate("alice", IN));
      ApiFailure e = assertThrows(ApiFailure.class, () -> r.simulate("alice", IN));
      assertEquals(ErrorStatus.RATE_LIMITED, e.status());
      assertSame(DONE, r.simulate("bob", IN), "another account is not slowed by alice");
    }
  }

  @Test
  void moreThanThePoolAndItsQueueIsBusy() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<Simulation.Input, Simulation.Outcome> blocking =
        in -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return DONE;
        };
    try (SimulationRunner r =
        new SimulationRunner(
            blocking, 1000, Duration.ofSeconds(10), 1, 0, Duration.ofMinutes(5), 100, 100, FIXED)) {
      Thread first = Thread.ofVirtual().start(() -> r.simulate("a", IN));
      assertEquals(true, started.await(30, TimeUnit.SECONDS));
      ApiFailure busy = assertThrows(ApiFailure.class, () -> r.simulate("b", IN));
      assertEquals(ErrorStatus.SIMULATION_BUSY, busy.status());
      release.countDown();
      first.join();
    }
  }

  @Test
  void aRunPastTheDeadlineAnswersTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    Function<Simulation.Input, Simulation.Outcome> hangs =
        in -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return DONE;
        };
    try (SimulationRunner r =
        new SimulationRunner(
            hangs, 1000, Duration.ofSeconds(10), 1, 1, Duration.ofMillis(50), 100, 100, FIXED)) {
      ApiFailure e = assertThrows(ApiFailure.class, () -> r.simulate("a", withTimeout(1)));
      assertEquals(ErrorStatus.SIMULATION_TIMEOUT, e.status());
      assertTrue(e.getMessage().contains("within 51ms"), e.getMessage());
    }
  }

  @Test
  void anAnswerIsWaitedForAsLongAsTheRunsOwnTimeoutAllows() {
    // 1 ms of waiting beyond the run's timeout; the run takes longer than that, within its 60 s.
    Function<Simulation.Input, Simulation.Outcome> slow =
        in -> {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return DONE;
        };
    try (SimulationRunner r =
        new SimulationRunner(
            slow, 1000, Duration.ofSeconds(10), 1, 1, Duration.ofMillis(1), 100, 100, FIXED)) {
      assertSame(DONE, r.simulate("a", withTimeout(60_000)));
    }
  }

  private static Simulation.Input withTimeout(long millis) {
    return SimulationInputs.returningOne(Duration.ofMillis(millis));
  }
}
