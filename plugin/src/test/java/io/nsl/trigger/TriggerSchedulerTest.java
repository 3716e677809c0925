package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.RunId;
import io.nsl.chain.StackValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TriggerSchedulerTest {
  static final String OWNER = "0x" + "ab".repeat(20);
  static final String TARGET = "0x0102030405060708090a0b0c0d0e0f1011121314";
  static final String TOKEN = "0x" + "cd".repeat(20);
  static final Instant GENESIS = Instant.parse("2026-12-06T00:00:00Z");

  static Subscription every(long id, long n, long start, MissedSlotPolicy policy) {
    return new Subscription(
        id,
        "price-feed",
        OWNER,
        TriggerKind.EVERY_BLOCKS,
        n,
        Optional.empty(),
        Optional.empty(),
        TARGET,
        "onResult",
        start,
        15_000_000,
        policy,
        Subscription.Status.ACTIVE,
        -1);
  }

  static Subscription onTransfer(long id, String filter) {
    return new Subscription(
        id,
        "settle",
        OWNER,
        TriggerKind.EVENT,
        0,
        Optional.empty(),
        Optional.of(new Subscription.EventTrigger(TOKEN, "Transfer", EventFilter.parse(filter))),
        TARGET,
        "onResult",
        0,
        15_000_000,
        MissedSlotPolicy.EACH_ONCE,
        Subscription.Status.ACTIVE,
        -1);
  }

  /** Blocks every 15 s from GENESIS. */
  static TriggerScheduler.Block block(long i) {
    return new TriggerScheduler.Block(
        i, GENESIS.plusSeconds(15 * i), GENESIS.plusSeconds(15 * (i - 1)), "0xb" + i);
  }

  static TriggerScheduler.Head head(long i) {
    return new TriggerScheduler.Head(i, GENESIS.plusSeconds(15 * i));
  }

  /** Handles blocks from..to one by one, the head at each block or at {@code headAt}. */
  static List<TriggerRun> follow(SubscriptionBook book, long from, long to, long headAt) {
    List<TriggerRun> runs = new ArrayList<>();
    for (long b = from; b <= to; b++) {
      runs.addAll(TriggerScheduler.due(book.all(), block(b), head(Math.max(b, headAt)), List.of()));
      book.afterBlock(b);
    }
    return runs;
  }

  static List<Long> slots(List<TriggerRun> runs) {
    return runs.stream().map(r -> RunId.slot(r.runId())).toList();
  }

  static Notification paused(long id, boolean p) {
    return new Notification(
        "0xtx",
        "0xgw",
        "SubscriptionPaused",
        List.of(new StackValue.Int(BigInteger.valueOf(id)), new StackValue.Bool(p)));
  }

  @Test
  void everyTwoBlocksOverSixtyBlocksRunsEachSlotOnce() {
    SubscriptionBook book = new SubscriptionBook();
    book.put(every(1, 2, 10, MissedSlotPolicy.EACH_ONCE));
    List<TriggerRun> runs = follow(book, 0, 70, 0);
    assertEquals(LongStream.rangeClosed(5, 35).map(k -> 2 * k).boxed().toList(), slots(runs));
    assertEquals(runs.size(), runs.stream().map(TriggerRun::runId).distinct().count());
  }

  @Test
  void aBlockHandledAgainMakesTheSameRuns() {
    SubscriptionBook book = new SubscriptionBook();
    book.put(every(1, 2, 10, MissedSlotPolicy.EACH_ONCE));
    TriggerRun first = TriggerScheduler.due(book.all(), block(20), head(20), List.of()).get(0);
    TriggerRun again = TriggerScheduler.due(book.all(), block(20), head(25), List.of()).get(0);
    assertEquals(first.runId(), again.runId());
    assertArrayEquals(first.input(), again.input());
    assertEquals(
        "{\"trigger\":\"schedule\",\"subscriptionId\":1,\"runId\":\""
            + first.runId()
            + "\",\"slot\":20}",
        new String(first.input(), StandardCharsets.UTF_8));
  }

  @Test
  void catchingUpRunsEachMissedSlotOnceOrOnlyTheLatest() {
    SubscriptionBook each = new SubscriptionBook();
    each.put(every(1, 2, 10, MissedSlotPolicy.EACH_ONCE));
    assertEquals(List.of(10L, 12L, 14L, 16L, 18L, 20L), slots(follow(each, 10, 20, 21)));

    SubscriptionBook latest = new SubscriptionBook();
    latest.put(every(1, 2, 10, MissedSlotPolicy.LATEST_ONLY));
    assertEquals(
        List.of(20L), slots(follow(latest, 10, 21, 21)), "only the slot newest at the head");
    assertEquals(List.of(22L, 24L), slots(follow(latest, 22, 24, 0)), "live again: every slot");
  }

  @Test
  void slotsMissedWhilePausedRunByThePolicyOnResume() {
    SubscriptionBook each = new SubscriptionBook();
    each.put(every(1, 2, 10, MissedSlotPolicy.EACH_ONCE));
    List<TriggerRun> runs = new ArrayList<>(follow(each, 10, 14, 0));
    each.apply(paused(1, true), 15);
    runs.addAll(follow(each, 15, 24, 0));
    each.apply(paused(1, false), 25);
    runs.addAll(follow(each, 25, 30, 0));
    assertEquals(List.of(10L, 12L, 14L, 16L, 18L, 20L, 22L, 24L, 26L, 28L, 30L), slots(runs));
    assertEquals(5, runs.stream().filter(r -> r.blockIndex() > 15 && r.blockIndex() < 25).count());

    SubscriptionBook latest = new SubscriptionBook();
    latest.put(every(1, 2, 10, MissedSlotPolicy.LATEST_ONLY));
    runs = new ArrayList<>(follow(latest, 10, 14, 0));
    latest.apply(paused(1, true), 15);
    runs.addAll(follow(latest, 15, 24, 0));
    latest.apply(paused(1, false), 25);
    runs.addAll(follow(latest, 25, 30, 0));
    assertEquals(List.of(10L, 12L, 14L, 24L, 26L, 28L, 30L), slots(runs));
  }

  @Test
  void eventRunsAreTheMatchingNotificationsInBlockOrder() {
    Subscription s = onTransfer(3, "{\"2\":\"5\"}");
    List<Notification> notes =
        List.of(
            transfer("0xtx0", TOKEN, "Transfer", 5),
            transfer("0xtx1", TOKEN, "Transfer", 6), // filtered out
            transfer("0xtx2", "0x" + "ee".repeat(20), "Transfer", 5), // another contract
            transfer("0xtx3", TOKEN, "Approval", 5), // another event
            transfer("0xtx4", TOKEN.toUpperCase().replace("0X", "0x"), "Transfer", 5));
    List<TriggerRun> runs = TriggerScheduler.due(List.of(s), block(40), head(40), notes);
    assertEquals(
        List.of(RunId.of(3, RunId.eventSlot(40, 0)), RunId.of(3, RunId.eventSlot(40, 1))),
        runs.stream().map(TriggerRun::runId).toList());
    JsonNode input = read(runs.get(1).input());
    assertEquals("event", input.get("trigger").asText());
    assertEquals("0xtx4", input.get("txHash").asText());
    assertEquals(1, input.get("index").asInt());
    assertEquals(5, input.get("arguments").get(2).asInt());
  }

  @Test
  void cronRunsOnTheBlockThatPassesATick() {
    Subscription s =
        new Subscription(
            4,
            "price-feed",
            OWNER,
            TriggerKind.CRON,
            0,
            Optional.of(CronSchedule.parse("* * * * *")),
            Optional.empty(),
            TARGET,
            "onResult",
            0,
            15_000_000,
            MissedSlotPolicy.EACH_ONCE,
            Subscription.Status.ACTIVE,
            -1);
    SubscriptionBook book = new SubscriptionBook();
    book.put(s);
    // Blocks every 15 s: blocks 4, 8, 12 (times 1:00, 2:00, 3:00) pass the minute ticks.
    assertEquals(List.of(4L, 8L, 12L), slots(follow(book, 1, 13, 0)));
  }

  @Test
  void pausedExhaustedAndCancelledSubscriptionsMakeNoRuns() {
    for (Subscription.Status st :
        List.of(
            Subscription.Status.PAUSED,
            Subscription.Status.EXHAUSTED,
            Subscription.Status.CANCELLED)) {
      Subscription s = every(1, 1, 0, MissedSlotPolicy.EACH_ONCE).withStatus(st, 0);
      assertEquals(List.of(), TriggerScheduler.due(List.of(s), block(5), head(5), List.of()));
    }
  }

  @Test
  void aRunEntersThePipelineAsARequestToTheTarget() {
    TriggerRun run =
        TriggerScheduler.due(
                List.of(every(1, 1, 0, MissedSlotPolicy.EACH_ONCE)), block(7), head(7), List.of())
            .get(0);
    GatewayRequest r = run.toRequest(new byte[32], 1_000_000);
    assertEquals(RunId.of(1, 7), r.requestId());
    assertEquals(TARGET, r.requester());
    assertEquals(Optional.of(OWNER), r.functionOwner());
    assertEquals(7, r.blockIndex(), "context.blockTime is the slot's block time");
    assertEquals(
        "14131211100f0e0d0c0b0a090807060504030201"
            + "08"
            + HexFormat.of().formatHex("onResult".getBytes(StandardCharsets.UTF_8)),
        HexFormat.of().formatHex(r.fields()),
        "the fields of a request without userData, as the gateway commits to them");
  }

  static Notification transfer(String tx, String contract, String name, long amount) {
    return new Notification(
        tx,
        contract,
        name,
        List.of(
            new StackValue.Bytes(new byte[20]),
            new StackValue.Bytes(new byte[20]),
            new StackValue.Int(BigInteger.valueOf(amount))));
  }

  static JsonNode read(byte[] json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
