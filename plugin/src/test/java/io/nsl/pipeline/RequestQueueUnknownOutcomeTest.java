package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.GatewayRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The watcher's commit when the store's answer is lost (issue 19): a PostgreSQL connection that
 * breaks at COMMIT leaves the caller with an exception whether or not the transaction landed. After
 * the watcher's retries every request of every block is queued to run exactly once: none stranded
 * in the store behind an advanced cursor, none queued twice.
 */
class RequestQueueUnknownOutcomeTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

  /** The store went away: what a broken connection looks like to the queue. */
  static final class StoreDown extends RuntimeException {
    StoreDown(String what) {
      super(what);
    }
  }

  /** What the next call does. */
  enum Outcome {
    OK,
    /** apply: the write lands, then the caller is told it failed (lost COMMIT answer). */
    LANDS_THEN_THROWS,
    /** the call fails and nothing is written. */
    THROWS
  }

  /** A store whose calls fail as planned, then as {@code random} says, then never. */
  static final class FlakyStore implements ServiceStore {
    final InMemoryServiceStore inner = new InMemoryServiceStore();
    final List<Outcome> planned = new ArrayList<>();
    Random random;
    int failures;

    private Outcome next(boolean write) {
      Outcome o;
      if (!planned.isEmpty()) {
        o = planned.remove(0);
      } else if (random != null) {
        int r = random.nextInt(6);
        o = r == 0 ? Outcome.THROWS : r == 1 && write ? Outcome.LANDS_THEN_THROWS : Outcome.OK;
      } else {
        o = Outcome.OK;
      }
      if (o != Outcome.OK) {
        failures++;
      }
      return o;
    }

    @Override
    public Optional<byte[]> get(String key) {
      if (next(false) != Outcome.OK) {
        throw new StoreDown("get " + key);
      }
      return inner.get(key);
    }

    @Override
    public Map<String, byte[]> scan(String prefix) {
      if (next(false) != Outcome.OK) {
        throw new StoreDown("scan " + prefix);
      }
      return inner.scan(prefix);
    }

    @Override
    public void apply(Map<String, byte[]> puts, Set<String> deletes) {
      Outcome o = next(true);
      if (o == Outcome.THROWS) {
        throw new StoreDown("apply, not written");
      }
      inner.apply(puts, deletes);
      if (o == Outcome.LANDS_THEN_THROWS) {
        throw new StoreDown("apply, written but the answer was lost");
      }
    }
  }

  /** Decides "mine" except when told to fail (a takeover claim the store could not write). */
  static final class FlakyAssignment implements Assignment {
    final Set<Long> failOnce = new HashSet<>();

    @Override
    public Decision decide(long requestId) {
      if (failOnce.remove(requestId)) {
        throw new StoreDown("claim of " + requestId);
      }
      return Decision.SOLE;
    }

    @Override
    public Set<Long> stillMine(Collection<Long> requestIds) {
      return Set.copyOf(requestIds);
    }

    @Override
    public void ended(Collection<Long> requestIds) {}
  }

  private static TreeMap<Long, List<GatewayRequest>> blocks(int n, int perBlock) {
    TreeMap<Long, List<GatewayRequest>> out = new TreeMap<>();
    long id = 1;
    for (long b = 10; b < 10 + n; b++) {
      List<GatewayRequest> events = new ArrayList<>();
      for (int i = 0; i < perBlock; i++) {
        events.add(RequestQueueTest.request(id++, b));
      }
      out.put(b, events);
    }
    return out;
  }

  /**
   * The watcher's loop (chain/EventWatcher) reduced to its calls on the cursor: ask where to read,
   * commit that block, start again after any failure, until the cursor is past the last block.
   */
  private static void watch(RequestQueue queue, TreeMap<Long, List<GatewayRequest>> blocks) {
    for (int turns = 0; turns < 10_000; turns++) {
      try {
        long next = queue.nextBlock();
        if (next > blocks.lastKey()) {
          return;
        }
        queue.commit(next, blocks.get(next));
      } catch (StoreDown e) {
        // the supervisor restarts the watcher, which asks nextBlock() again
      }
    }
    throw new AssertionError("the watcher never got past the last block");
  }

  /** Every request id taken to run, in order taken. */
  private static List<Long> drain(RequestQueue queue) throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    Optional<QueuedRequest> q;
    while ((q = queue.takeToRun(Duration.ZERO)).isPresent()) {
      ids.add(q.get().id());
      queue.executed(q.get().id(), RequestQueueTest.answer(q.get().id()));
    }
    return ids;
  }

  private static void assertQueuedOnceEach(
      RequestQueue queue, TreeMap<Long, List<GatewayRequest>> blocks, String seed)
      throws InterruptedException {
    List<Long> want = new ArrayList<>();
    blocks.values().forEach(l -> l.forEach(r -> want.add(r.requestId())));
    List<Long> ran = drain(queue);
    List<Long> sorted = new ArrayList<>(ran);
    sorted.sort(null);
    assertEquals(want, sorted, seed + "every request runs once, none lost, none twice");
    assertEquals(want.size(), queue.size(), seed + "live requests");
    assertEquals(want.size(), queue.stored().size(), seed + "stored requests");
  }

  @Test
  void aCommitThatLandedButThrewIsQueuedOnTheWatchersRetry() throws InterruptedException {
    FlakyStore store = new FlakyStore();
    RequestQueue queue = new RequestQueue(store, 10, clock, new PipelineMetrics());
    var blocks = blocks(3, 2);
    queue.commit(10, blocks.get(10L));
    store.planned.add(Outcome.LANDS_THEN_THROWS);
    assertThrows(StoreDown.class, () -> queue.commit(11, blocks.get(11L)));
    assertEquals(12, queue.nextBlock(), "the cursor moved with the write that landed");
    watch(queue, blocks);
    assertQueuedOnceEach(queue, blocks, "");
  }

  @Test
  void aCommitThatThrewWithoutWritingIsCommittedAgainOnce() throws InterruptedException {
    FlakyStore store = new FlakyStore();
    RequestQueue queue = new RequestQueue(store, 10, clock, new PipelineMetrics());
    var blocks = blocks(3, 2);
    store.planned.add(Outcome.OK); // block 10's write
    store.planned.add(Outcome.THROWS); // block 11's
    queue.commit(10, blocks.get(10L));
    assertThrows(StoreDown.class, () -> queue.commit(11, blocks.get(11L)));
    assertEquals(11, queue.nextBlock());
    watch(queue, blocks);
    assertQueuedOnceEach(queue, blocks, "");
  }

  @Test
  void theStoreStillDownWhenTheWatcherAsksKeepsTheBatchForTheNextAsk() throws InterruptedException {
    FlakyStore store = new FlakyStore();
    RequestQueue queue = new RequestQueue(store, 10, clock, new PipelineMetrics());
    var blocks = blocks(2, 3);
    store.planned.add(Outcome.LANDS_THEN_THROWS);
    assertThrows(StoreDown.class, () -> queue.commit(10, blocks.get(10L)));
    store.planned.addAll(List.of(Outcome.THROWS, Outcome.THROWS)); // the re-read fails twice
    assertThrows(StoreDown.class, queue::nextBlock);
    assertThrows(StoreDown.class, queue::nextBlock);
    assertEquals(0, queue.backlog(), "nothing queued from a read that failed");
    watch(queue, blocks);
    assertQueuedOnceEach(queue, blocks, "");
  }

  @Test
  void aBlockCommittedAgainAfterItsWriteLandedIsNotQueuedTwice() throws InterruptedException {
    FlakyStore store = new FlakyStore();
    RequestQueue queue = new RequestQueue(store, 10, clock, new PipelineMetrics());
    var blocks = blocks(1, 3);
    store.planned.add(Outcome.LANDS_THEN_THROWS);
    assertThrows(StoreDown.class, () -> queue.commit(10, blocks.get(10L)));
    queue.commit(10, blocks.get(10L)); // a caller that retries without asking nextBlock()
    assertQueuedOnceEach(queue, blocks, "");
  }

  @Test
  void aDecisionThatFailsAfterTheWriteIsAskedAgainOnTheWatchersRetry() throws InterruptedException {
    FlakyAssignment assignment = new FlakyAssignment();
    RequestQueue queue =
        new RequestQueue(new FlakyStore(), 10, clock, new PipelineMetrics(), assignment);
    var blocks = blocks(2, 3);
    assignment.failOnce.add(2L); // the middle request of block 10
    assertThrows(StoreDown.class, () -> queue.commit(10, blocks.get(10L)));
    watch(queue, blocks);
    assertQueuedOnceEach(queue, blocks, "");
  }

  private static final int SEEDS = 50;

  @Test
  void seededRandomFailuresLoseAndDoubleNothing() throws InterruptedException {
    int failures = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      FlakyStore store = new FlakyStore();
      store.random = new Random(seed);
      RequestQueue queue = new RequestQueue(store, 10, clock, new PipelineMetrics());
      var blocks = blocks(20, 3);
      watch(queue, blocks);
      store.random = null;
      assertQueuedOnceEach(queue, blocks, "seed " + seed + ": ");
      failures += store.failures;
    }
    assertTrue(failures > SEEDS * 20 / 6, "the seeds inject failures: " + failures);
  }
}
