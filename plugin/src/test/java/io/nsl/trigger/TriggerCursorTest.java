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
      return functionId.equals("price-feed") ? Optional.of(new byte[32]) : Optional.empty();
    }

    @Override
    public Optional<List<Subscription>> subscriptions() {
      return Optional.of(List.of());
    }
  }

  /** The queue's side: what was committed per block, and where the cursor is. */
  static final class Committed implements EventWatcher.Cursor<GatewayRequest> {
    final Map<Long, List<GatewayRequest>> blocks = new HashMap<>();
    long next = 10;

    @Override
    public long nextBlock() {
      return next;
    }

    @Override
    public void commit(long index, List<GatewayRequest> events) {
      blocks.put(index, List.copyOf(events));
      next = index + 1;
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
    TriggerCursor cursor = TriggerCursor.start(queue, chain, 1_000).orElseThrow();
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
    TriggerCursor cursor = TriggerCursor.start(queue, chain, 1_000).orElseThrow();
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
    TriggerCursor cursor = TriggerCursor.start(queue, chain, 1_000).orElseThrow();
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
    TriggerCursor cursor = TriggerCursor.start(queue, chain, 1_000).orElseThrow();
    cursor.commit(10, List.of());
    assertTrue(queue.blocks.get(10L).isEmpty());
  }
}
