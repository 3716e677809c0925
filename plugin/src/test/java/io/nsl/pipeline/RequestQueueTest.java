package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestQueueTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

  static GatewayRequest request(long id, long block) {
    return new GatewayRequest(
        id,
        "double",
        new byte[32],
        "0x" + "ab".repeat(20),
        "{\"value\":42}".getBytes(StandardCharsets.UTF_8),
        100_000,
        Optional.of("0x" + "cd".repeat(20)),
        block,
        "0xtx" + id,
        new byte[21]);
  }

  @Test
  void startsAtConfiguredBlockAndMovesCursorWithRequestsInOneWrite() {
    InMemoryServiceStore store = new InMemoryServiceStore();
    RequestQueue q = new RequestQueue(store, 5, clock);
    assertEquals(5, q.nextBlock());
    q.commit(5, List.of(request(1, 5), request(2, 5)));
    assertEquals(6, q.nextBlock());
    assertEquals(2, q.size());
    q.commit(6, List.of());
    assertEquals(7, q.nextBlock());
  }

  @Test
  void survivesReopenWithEveryStage() {
    InMemoryServiceStore store = new InMemoryServiceStore();
    RequestQueue q = new RequestQueue(store, 0, clock);
    q.commit(3, List.of(request(7, 3), request(8, 3), request(9, 3)));
    QueuedRequest r7 = q.get(7).orElseThrow();
    SignedFulfilment f =
        new SignedFulfilment(
            7, 0, "{\"result\":84}".getBytes(StandardCharsets.UTF_8), 123, new byte[64]);
    q.update(List.of(r7.executed(f)));
    QueuedRequest r8 =
        q.get(8).orElseThrow().executed(new SignedFulfilment(8, 4, new byte[0], 9, new byte[64]));
    q.update(List.of(r8.submitted("0xabc", 99)));
    q.remove(List.of(9L));

    RequestQueue reopened = new RequestQueue(store, 0, clock);
    assertEquals(4, reopened.nextBlock());
    List<QueuedRequest> all = reopened.all();
    assertEquals(2, all.size());
    QueuedRequest back7 = reopened.get(7).orElseThrow();
    assertEquals(QueuedRequest.Stage.EXECUTED, back7.stage());
    assertArrayEquals(f.result(), back7.fulfilment().orElseThrow().result());
    assertEquals(123, back7.fulfilment().orElseThrow().gasUsed());
    assertEquals(request(7, 3), back7.request());
    QueuedRequest back8 = reopened.get(8).orElseThrow();
    assertEquals(QueuedRequest.Stage.SUBMITTED, back8.stage());
    assertEquals("0xabc", back8.txHash().orElseThrow());
    assertEquals(99, back8.validUntilBlock());
    assertTrue(reopened.get(9).isEmpty());
  }

  @Test
  void keyOrderIsIdOrder() {
    assertTrue(RequestQueue.key(9).compareTo(RequestQueue.key(10)) < 0);
  }
}
