package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.ChainException;
import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.RunId;
import io.nsl.chain.StackValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerCursorTest {
  static final String GATEWAY = "0x" + "11".repeat(20);
  static final String TARGET = "0x0102030405060708090a0b0c0d0e0f1011121314";

  /** A chain in memory: blocks every 15 s, notifications per block, a switch to fail reads. */
  static final class FakeChain implements TriggerChain {
    final Map<Long, List<Notification>> gatewayNotes = new HashMap<>();
    long height = 100;
    boolean down;

    /** Fails codeHash reads: a node lost after the block's events were read. */
    boolean codeHashDown;

    /** What getSubscription answers: the subscriptions as they stand at the head. */
    List<Subscription> atHead = List.of();

    @Override
    public Header header(long index) {
      if (down) {
        throw new ChainException.RpcError("getblockheader", 0, "node is down");
      }
      return new Header(index, Instant.ofEpochSecond(15 * index), "0xb" + index);
    }

    @Override
    public long height() {
      return height;
    }

    @Override
    public List<Notification> gatewayNotifications(long index) {
      return gatewayNotes.getOrDefault(index, List.of());
    }

    @Override
    public List<Notification> notifications(long index, String contract, String eventName) {
      return List.of();
    }

    @Override
    public Optional<byte[]> codeHash(String functionId) {
      if (codeHashDown) {
        throw new ChainException.RpcError("getcontractstate", 0, "node is down");
      }
      return functionId.equals("price-feed") ? Optional.of(new byte[32]) : Optional.empty();
    }

    @Override
    public Optional<List<Subscription>> subscriptions() {
      return Optional.of(atHead);
    }
  }

  /** A durable store in memory; {@code dropAfter} loses the saves of later blocks (a crash). */
  static final class MemoryStore implements SubscriptionStore {
    Optional<Snapshot> saved = Optional.empty();
    long dropAfter = Long.MAX_VALUE;

    @Override
    public Optional<Snapshot> load() {
      return saved;
    }

    @Override
    public void save(Snapshot snapshot) {
      if (snapshot.block() <= dropAfter) {
        saved = Optional.of(snapshot);
      }
    }
  }

  static Notification paused(long id, boolean paused) {
    return new Notification(
        "0xtx", GATEWAY, "SubscriptionPaused", List.of(integer(id), new StackValue.Bool(paused)));
  }

  /** Every run of blocks {@code from..to} as (block, slot) pairs, in commit order. */
  static List<List<Long>> runs(Committed c, long from, long to) {
    List<List<Long>> out = new ArrayList<>();
    for (long b = from; b <= to; b++) {
      for (GatewayRequest r : c.blocks.getOrDefault(b, List.of())) {
        if (RunId.isRun(r.requestId())) {
          out.add(List.of(b, RunId.slot(r.requestId())));
        }
      }
    }
    return out;
  }

  /** Subscription 1, every block from 10, paused at 14, resumed at 17, paused at 22 for good. */
  static FakeChain pausingChain() {
    FakeChain chain = new FakeChain();
    chain.height = 30;
    chain.gatewayNotes.put(10L, List.of(created(1, "price-feed", 1, 10)));
    chain.gatewayNotes.put(14L, List.of(paused(1, true)));
    chain.gatewayNotes.put(17L, List.of(paused(1, false)));
    chain.gatewayNotes.put(22L, List.of(paused(1, true)));
    Subscription sub = SubscriptionBook.created(created(1, "price-feed", 1, 10).state());
    chain.atHead = List.of(sub.withStatus(Subscription.Status.PAUSED, 22));
    return chain;
  }

  @Test
  void aRestartedCursorMakesTheRunsOfAnUninterruptedOneWhateverTheHeadSays() {
    Committed straight = new Committed();
    TriggerCursor once =
        TriggerCursor.start(straight, pausingChain(), new MemoryStore(), 1_000).orElseThrow();
    for (long b = 10; b <= 30; b++) {
      once.commit(b, List.of());
    }
    List<List<Long>> expected = runs(straight, 10, 30);
    for (long restart = 11; restart <= 30; restart++) {
      for (long lost : new long[] {0, 1, 5}) {
        FakeChain chain = pausingChain();
        MemoryStore store = new MemoryStore();
        Committed queue = new Committed();
        TriggerCursor first = TriggerCursor.start(queue, chain, store, 1_000).orElseThrow();
        store.dropAfter = restart - 1 - lost; // the saves of the last blocks did not land
        for (long b = 10; b < restart; b++) {
          first.commit(b, List.of());
        }
        store.dropAfter = Long.MAX_VALUE;
        TriggerCursor second = TriggerCursor.start(queue, chain, store, 1_000).orElseThrow();
        for (long b = restart; b <= 30; b++) {
          second.commit(b, List.of());
        }
        assertEquals(
            expected,
            runs(queue, 10, 30),
            "restart at block " + restart + ", the last " + lost + " save(s) lost");
      }
    }
  }

  @Test
  void withoutAStoredBookSubscriptionsCreatedFromTheCursorOnComeWithTheirEvent() {
    FakeChain chain = new FakeChain();
    chain.gatewayNotes.put(15L, List.of(created(1, "price-feed", 5, 15)));
    chain.atHead = List.of(SubscriptionBook.created(created(1, "price-feed", 5, 15).state()));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, new MemoryStore(), 1_000).orElseThrow();
    assertEquals(List.of(), cursor.subscriptions(), "created at 15, after the cursor's block 10");
    for (long b = 10; b <= 20; b++) {
      cursor.commit(b, List.of());
    }
    assertEquals(List.of(List.of(15L, 15L), List.of(20L, 20L)), runs(queue, 10, 20));
  }

  static Subscription http(long id, long start) {
    return new Subscription(
        id,
        "price-feed",
        "0x" + "22".repeat(20),
        TriggerKind.HTTP,
        0,
        Optional.empty(),
        Optional.empty(),
        TARGET,
        "onResult",
        start,
        7,
        MissedSlotPolicy.EACH_ONCE,
        Subscription.Status.ACTIVE,
        -1);
  }

  @Test
  void anHttpCallJoinsTheNextCommitNamedByItsBlock() throws Exception {
    FakeChain chain = new FakeChain();
    chain.atHead = List.of(http(4, 5));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    var first = cursor.offerHttpRun(4, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    var second = cursor.offerHttpRun(4, "[2]".getBytes(StandardCharsets.UTF_8));
    assertTrue(!first.isDone(), "named only when a block commits it");
    chain.down = true;
    assertThrows(ChainException.class, () -> cursor.commit(10, List.of()));
    assertTrue(!first.isDone(), "a failed commit keeps the calls for the retry");
    chain.down = false;
    cursor.commit(10, List.of());
    assertEquals(RunId.of(4, RunId.eventSlot(10, 0)), first.get());
    assertEquals(RunId.of(4, RunId.eventSlot(10, 1)), second.get());
    List<GatewayRequest> runs = queue.blocks.get(10L);
    assertEquals(2, runs.size());
    assertEquals(
        "{\"trigger\":\"http\",\"subscriptionId\":4,\"runId\":\""
            + RunId.of(4, RunId.eventSlot(10, 0))
            + "\",\"block\":10,\"blockTime\":150000,\"input\":{\"x\":1}}",
        new String(runs.get(0).input(), StandardCharsets.UTF_8));
    cursor.commit(11, List.of());
    assertTrue(queue.blocks.get(11L).isEmpty(), "each call runs once");
    assertEquals(new TriggerCursor.RunStats(RunId.eventSlot(10, 1), 2), cursor.runStats(4).get());
  }

  @Test
  void anHttpCallOfAScheduleOrAPausedSubscriptionFails() {
    FakeChain chain = new FakeChain();
    chain.atHead =
        List.of(
            http(4, 5).withStatus(Subscription.Status.PAUSED, 6),
            SubscriptionBook.created(created(1, "price-feed", 5, 5).state()));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    var paused = cursor.offerHttpRun(4, "1".getBytes(StandardCharsets.UTF_8));
    var schedule = cursor.offerHttpRun(1, "1".getBytes(StandardCharsets.UTF_8));
    var unknown = cursor.offerHttpRun(9, "1".getBytes(StandardCharsets.UTF_8));
    cursor.commit(10, List.of());
    for (var f : List.of(paused, schedule, unknown)) {
      var e = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
      assertTrue(e.getCause() instanceof TriggerException, e.getCause().toString());
    }
    assertEquals(
        "TRIGGER_NOT_ACTIVE",
        ((TriggerException)
                assertThrows(java.util.concurrent.ExecutionException.class, paused::get).getCause())
            .code());
    assertEquals(List.of(10L), runSlots(queue), "only the schedule's own slot");
  }

  @Test
  void anHttpCallOfAFunctionTheGatewayNoLongerKnowsFailsAndQueuesNothing() {
    FakeChain chain = new FakeChain();
    Subscription gone = http(4, 5);
    chain.atHead =
        List.of(
            new Subscription(
                4,
                "gone",
                gone.owner(),
                TriggerKind.HTTP,
                0,
                Optional.empty(),
                Optional.empty(),
                TARGET,
                "onResult",
                5,
                7,
                MissedSlotPolicy.EACH_ONCE,
                Subscription.Status.ACTIVE,
                -1));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    var call = cursor.offerHttpRun(4, "1".getBytes(StandardCharsets.UTF_8));
    cursor.commit(10, List.of());
    var e = assertThrows(java.util.concurrent.ExecutionException.class, call::get);
    assertEquals("TRIGGER_NOT_ACTIVE", ((TriggerException) e.getCause()).code());
    assertTrue(queue.blocks.get(10L).isEmpty());
  }

  @Test
  void theStoredBookRoundTripsThroughJson() {
    SubscriptionBook book = new SubscriptionBook();
    book.put(SubscriptionBook.created(created(1, "price-feed", 5, 15).state()));
    book.put(
        new Subscription(
            2,
            "onevent",
            "0x" + "22".repeat(20),
            TriggerKind.EVENT,
            0,
            Optional.empty(),
            Optional.of(
                new Subscription.EventTrigger(
                    "0x" + "33".repeat(20), "Transfer", EventFilter.parse("{\"1\":\"0xab\"}"))),
            TARGET,
            "onResult",
            20,
            7,
            MissedSlotPolicy.LATEST_ONLY,
            Subscription.Status.PAUSED,
            21));
    book.put(
        new Subscription(
            3,
            "cron",
            "0x" + "22".repeat(20),
            TriggerKind.CRON,
            0,
            Optional.of(CronSchedule.parse("*/5 * * * *")),
            Optional.empty(),
            TARGET,
            "onResult",
            20,
            7,
            MissedSlotPolicy.EACH_ONCE,
            Subscription.Status.EXHAUSTED,
            -1));
    SubscriptionBook back = SubscriptionBook.fromJson(book.toJson());
    assertEquals(book.all().size(), back.all().size());
    for (int i = 0; i < 3; i++) {
      Subscription a = book.all().get(i);
      Subscription b = back.all().get(i);
      assertEquals(a.cron().map(CronSchedule::expression), b.cron().map(CronSchedule::expression));
      Subscription bSameCron =
          new Subscription(
              b.id(),
              b.functionId(),
              b.owner(),
              b.kind(),
              b.everyBlocks(),
              a.cron(),
              b.event(),
              b.target(),
              b.method(),
              b.startBlock(),
              b.runFee(),
              b.missedPolicy(),
              b.status(),
              b.missedFrom());
      assertEquals(a, bSameCron);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> SubscriptionBook.fromJson("{\"not\":1".getBytes(StandardCharsets.UTF_8)));
  }

  /** The queue's side: what was committed per block, and where the cursor is. */
  static final class Committed implements EventWatcher.Cursor<GatewayRequest> {
    final Map<Long, List<GatewayRequest>> blocks = new HashMap<>();
    long next = 10;

    /** Makes the next commit fail, as a write the store refused. */
    boolean failNext;

    /** Makes the next commit land and then fail, as a write broken at COMMIT that landed. */
    boolean landThenFailNext;

    @Override
    public long nextBlock() {
      return next;
    }

    @Override
    public void commit(long index, List<GatewayRequest> events) {
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("the queue's write failed");
      }
      blocks.put(index, List.copyOf(events));
      next = index + 1;
      if (landThenFailNext) {
        landThenFailNext = false;
        throw new IllegalStateException("the connection broke at COMMIT");
      }
    }
  }

  static Notification created(long id, String functionId, long every, long start) {
    return created(id, functionId, every, start, MissedSlotPolicy.EACH_ONCE);
  }

  static Notification created(
      long id, String functionId, long every, long start, MissedSlotPolicy policy) {
    byte[] le = HexFormat.of().parseHex(TARGET.substring(2));
    for (int i = 0; i < 10; i++) {
      byte t = le[i];
      le[i] = le[19 - i];
      le[19 - i] = t;
    }
    return new Notification(
        "0xtx",
        GATEWAY,
        "SubscriptionCreated",
        List.of(
            integer(id),
            new StackValue.Bytes(functionId.getBytes(StandardCharsets.UTF_8)),
            new StackValue.Bytes(new byte[20]),
            integer(1),
            integer(every),
            new StackValue.Bytes(le),
            new StackValue.Bytes("onResult".getBytes(StandardCharsets.UTF_8)),
            integer(start),
            integer(15_000_000),
            integer(150_000_000),
            integer(240),
            integer(policy.code)));
  }

  static StackValue integer(long v) {
    return new StackValue.Int(BigInteger.valueOf(v));
  }

  static List<Long> runSlots(Committed c) {
    List<Long> out = new ArrayList<>();
    c.blocks.keySet().stream()
        .sorted()
        .forEach(
            b ->
                c.blocks.get(b).stream()
                    .filter(r -> RunId.isRun(r.requestId()))
                    .forEach(r -> out.add(RunId.slot(r.requestId()))));
    return out;
  }

  @Test
  void aBlocksRunsAreCommittedWithItsRequestsAndTheCursorMove() {
    FakeChain chain = new FakeChain();
    chain.gatewayNotes.put(12L, List.of(created(1, "price-feed", 2, 12)));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    for (long b = 10; b <= 20; b++) {
      cursor.commit(b, List.of());
    }
    assertEquals(List.of(12L, 14L, 16L, 18L, 20L), runSlots(queue));
    GatewayRequest run = queue.blocks.get(14L).get(0);
    assertEquals(RunId.of(1, 14), run.requestId());
    assertEquals(TARGET, run.requester());
    assertEquals(1_000, run.gasLimit());
    assertEquals(21, cursor.nextBlock());
  }

  @Test
  void aNodeThatCannotAnswerCommitsNothingAndTheRetryMakesTheSameRuns() {
    FakeChain chain = new FakeChain();
    chain.gatewayNotes.put(10L, List.of(created(1, "price-feed", 1, 10)));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    cursor.commit(10, List.of());
    chain.down = true;
    assertThrows(ChainException.class, () -> cursor.commit(11, List.of()));
    assertEquals(11, queue.nextBlock(), "the cursor did not move");
    chain.down = false;
    cursor.commit(11, List.of());
    assertEquals(List.of(10L, 11L), runSlots(queue));
  }

  @Test
  void catchingUpALatestOnlyScheduleRunsOnlyTheSlotNewestAtTheHead() {
    FakeChain chain = new FakeChain();
    chain.height = 30;
    chain.gatewayNotes.put(
        10L, List.of(created(1, "price-feed", 4, 10, MissedSlotPolicy.LATEST_ONLY)));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    for (long b = 10; b <= 34; b++) {
      chain.height = Math.max(chain.height, b);
      cursor.commit(b, List.of());
    }
    assertEquals(
        List.of(30L, 34L), runSlots(queue), "behind the head at 30: only slot 30, then live");
  }

  @Test
  void aRunOfAFunctionTheGatewayDoesNotKnowIsSkipped() {
    FakeChain chain = new FakeChain();
    chain.gatewayNotes.put(10L, List.of(created(1, "gone", 1, 10)));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    cursor.commit(10, List.of());
    assertTrue(queue.blocks.get(10L).isEmpty());
  }

  /** Subscription 1 every block from 10, paused at 14 and resumed at 16 in one block each. */
  static FakeChain pauseAndResumeChain() {
    FakeChain chain = new FakeChain();
    chain.gatewayNotes.put(10L, List.of(created(1, "price-feed", 1, 10)));
    chain.gatewayNotes.put(14L, List.of(paused(1, true)));
    chain.gatewayNotes.put(16L, List.of(paused(1, false)));
    return chain;
  }

  @Test
  void aCommitRetriedAfterTheQueueFailedEndsWhereAnUninterruptedOneDoes() {
    Committed straight = new Committed();
    MemoryStore straightStore = new MemoryStore();
    TriggerCursor once =
        TriggerCursor.start(straight, pauseAndResumeChain(), straightStore, 1_000).orElseThrow();
    for (long b = 10; b <= 20; b++) {
      once.commit(b, List.of());
    }
    for (long failing : new long[] {10, 14, 16}) {
      Committed queue = new Committed();
      MemoryStore store = new MemoryStore();
      TriggerCursor cursor =
          TriggerCursor.start(queue, pauseAndResumeChain(), store, 1_000).orElseThrow();
      for (long b = 10; b <= 20; b++) {
        if (b == failing) {
          queue.failNext = true;
          long block = b;
          assertThrows(IllegalStateException.class, () -> cursor.commit(block, List.of()));
          assertEquals(block, queue.nextBlock(), "the cursor did not move");
        }
        cursor.commit(b, List.of());
        if (b == failing) {
          assertEquals(
              b,
              store.saved.orElseThrow().block(),
              "the retry of block " + b + " stores the book its events changed");
        }
      }
      assertEquals(runs(straight, 10, 20), runs(queue, 10, 20), "failing at block " + failing);
      assertEquals(once.subscriptions(), cursor.subscriptions(), "failing at block " + failing);
      assertEquals(
          new String(straightStore.saved.orElseThrow().json(), StandardCharsets.UTF_8),
          new String(store.saved.orElseThrow().json(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aCommitThatFailsAfterReadingTheBlocksEventsAppliesThemOnceOnTheRetry() {
    FakeChain chain = pauseAndResumeChain();
    chain.gatewayNotes.put(14L, List.of(paused(1, true), created(2, "price-feed", 1, 14)));
    Committed queue = new Committed();
    MemoryStore store = new MemoryStore();
    TriggerCursor cursor = TriggerCursor.start(queue, chain, store, 1_000).orElseThrow();
    for (long b = 10; b <= 13; b++) {
      cursor.commit(b, List.of());
    }
    chain.codeHashDown = true; // block 14's events are read, then its run's function is not
    assertThrows(ChainException.class, () -> cursor.commit(14, List.of()));
    chain.codeHashDown = false;
    cursor.commit(14, List.of());
    assertEquals(14, store.saved.orElseThrow().block(), "the book block 14 changed is stored");
    SubscriptionBook stored = SubscriptionBook.fromJson(store.saved.orElseThrow().json());
    assertEquals(cursor.subscriptions(), stored.all());
    assertEquals(Subscription.Status.PAUSED, stored.get(1).orElseThrow().status());
    assertEquals(14, stored.get(1).orElseThrow().missedFrom());
    assertEquals(List.of(List.of(14L, 14L)), runs(queue, 14, 14), "only subscription 2 runs");
  }

  @Test
  void anHttpCallWaitsForTheRetryWhenTheCommitFailsAfterTakingIt() throws Exception {
    FakeChain chain = new FakeChain();
    chain.atHead = List.of(http(4, 5));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    var call = cursor.offerHttpRun(4, "1".getBytes(StandardCharsets.UTF_8));
    chain.codeHashDown = true;
    assertThrows(ChainException.class, () -> cursor.commit(10, List.of()));
    chain.codeHashDown = false;
    queue.failNext = true;
    assertThrows(IllegalStateException.class, () -> cursor.commit(10, List.of()));
    assertTrue(!call.isDone(), "a failed commit keeps the call for the retry");
    cursor.commit(10, List.of());
    assertTrue(call.isDone(), "named by the retry's commit, not lost with the failed ones");
    assertEquals(RunId.of(4, RunId.eventSlot(10, 0)), call.getNow(null));
    assertEquals(1, queue.blocks.get(10L).size());
  }

  @Test
  void aCommitThatLandedThoughItFailedCountsOnceWhenTheCursorHasMoved() {
    Committed straight = new Committed();
    MemoryStore straightStore = new MemoryStore();
    TriggerCursor once =
        TriggerCursor.start(straight, pauseAndResumeChain(), straightStore, 1_000).orElseThrow();
    for (long b = 10; b <= 20; b++) {
      once.commit(b, List.of());
    }
    for (long failing : new long[] {10, 14, 16}) {
      Committed queue = new Committed();
      MemoryStore store = new MemoryStore();
      TriggerCursor cursor =
          TriggerCursor.start(queue, pauseAndResumeChain(), store, 1_000).orElseThrow();
      long b = cursor.nextBlock();
      while (b <= 20) {
        if (b == failing) {
          queue.landThenFailNext = true;
          long block = b;
          assertThrows(IllegalStateException.class, () -> cursor.commit(block, List.of()));
        } else {
          cursor.commit(b, List.of());
        }
        b = cursor.nextBlock(); // as the watcher does: the queue's cursor says where to go on
      }
      assertEquals(runs(straight, 10, 20), runs(queue, 10, 20), "failing at block " + failing);
      assertEquals(once.subscriptions(), cursor.subscriptions(), "failing at block " + failing);
      assertEquals(
          new String(straightStore.saved.orElseThrow().json(), StandardCharsets.UTF_8),
          new String(store.saved.orElseThrow().json(), StandardCharsets.UTF_8),
          "failing at block " + failing);
    }
  }

  @Test
  void anHttpCallWhoseCommitLandedThoughItFailedIsNamedOnceAndNotRunAgain() throws Exception {
    FakeChain chain = new FakeChain();
    chain.atHead = List.of(http(4, 5));
    Committed queue = new Committed();
    TriggerCursor cursor =
        TriggerCursor.start(queue, chain, SubscriptionStore.NONE, 1_000).orElseThrow();
    var call = cursor.offerHttpRun(4, "1".getBytes(StandardCharsets.UTF_8));
    queue.landThenFailNext = true;
    assertThrows(IllegalStateException.class, () -> cursor.commit(10, List.of()));
    assertEquals(11, cursor.nextBlock());
    assertTrue(call.isDone(), "the landed commit names the call");
    assertEquals(RunId.of(4, RunId.eventSlot(10, 0)), call.getNow(null));
    cursor.commit(11, List.of());
    assertEquals(1, queue.blocks.get(10L).size());
    assertEquals(0, queue.blocks.get(11L).size(), "the call is not run a second time");
    assertEquals(new TriggerCursor.RunStats(RunId.eventSlot(10, 0), 1), cursor.runStats(4).get());
  }
}
