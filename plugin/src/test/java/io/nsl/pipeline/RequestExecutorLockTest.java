package io.nsl.pipeline;

import static io.nsl.pipeline.ExecutorFixture.await;
import static io.nsl.pipeline.ExecutorFixture.request;
import static io.nsl.pipeline.ExecutorFixture.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor and a function's lock that another worker holds (decision 1010, "Setting a busy
 * function aside"): its thread does not wait for the lock but sets the request aside and runs
 * another function's request meanwhile. The lock is a fake that honours the wait it is given; the
 * queue and the executor are real. Waits are for conditions with a generous bound, never on elapsed
 * time.
 */
class RequestExecutorLockTest {
  @TempDir Path dir;

  private final List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
  private ExecutorFixture fx;

  /**
   * "counter" is held by another worker until {@code counterFree}; a take waits for it as long as
   * it is told to (polling), as the shared lock does.
   */
  private final class HeldElsewhere implements FunctionLocks {
    final AtomicBoolean counterFree = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();

    @Override
    public Optional<Held> acquire(String functionId, Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (functionId.equals("counter") && !counterFree.get()) {
        if (System.nanoTime() >= deadline) {
          refused.incrementAndGet();
          return Optional.empty();
        }
        Thread.sleep(1);
      }
      return Optional.of(() -> {});
    }
  }

  private RequestQueue start(FunctionLocks locks, int threads, Runnable onRun) {
    fx =
        ExecutorFixture.onDisk(
            dir,
            ExecutorFixture.FAST,
            threads,
            locks,
            inv -> {
              ran.add(inv.functionId() + "#" + inv.requestId());
              onRun.run();
              return new FunctionRunner.Outcome(
                  0, "OK", "{}".getBytes(StandardCharsets.UTF_8), 10, List.of(), "");
            });
    fx.start();
    return fx.queue;
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * One executor thread, the first request's function held by another worker until the second
   * request (another function) has run: a thread that waited for the lock (up to 2 s, then took the
   * same request again, first in its queue) would never run the second.
   */
  @Test
  void aThreadRunsAnotherFunctionWhileItsFirstRequestsFunctionRunsOnAnotherWorker()
      throws Exception {
    HeldElsewhere locks = new HeldElsewhere();
    RequestQueue queue =
        start(
            locks,
            1,
            () -> {
              if (ran.contains("other#2")) {
                locks.counterFree.set(true); // the other worker's run of counter ends meanwhile
              }
            });
    queue.commit(
        1, List.of(request(1, "counter", 1), request(3, "counter", 1), request(2, "other", 1)));
    await(() -> stage(queue, 3) == RequestStage.EXECUTED, "every request answered");
    assertEquals(RequestStage.EXECUTED, stage(queue, 1));
    assertEquals(RequestStage.EXECUTED, stage(queue, 2));
    assertEquals(
        List.of("other#2", "counter#1", "counter#3"), List.copyOf(ran), "counter in order");
    assertTrue(locks.refused.get() >= 1);
    assertEquals(locks.refused.get(), fx.metrics.functionLockBusy(), "each find counted");
    assertTrue(
        fx.metrics
            .renderPrometheus()
            .contains("nsl_function_lock_seconds_count " + (3 + locks.refused.get()) + "\n"),
        fx.metrics.renderPrometheus());
    assertEquals(
        3.0,
        metricsStageCount("queue"),
        "the queue stage counted once per run, not at each set-aside");
  }

  private double metricsStageCount(String stage) {
    String prefix = "nsl_stage_seconds_count{stage=\"" + stage + "\"} ";
    for (String line : fx.metrics.renderPrometheus().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()));
      }
    }
    return 0;
  }
}
