package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.chain.RunId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RunOrder}: which answers wait behind a subscription's transaction in flight. */
class RunOrderTest {
  private final RunOrder order = new RunOrder();

  private static QueuedRequest answer(long id) {
    return new QueuedRequest(
        RequestQueueTest.request(id, 90),
        RequestStage.SEEN,
        Optional.empty(),
        Optional.empty(),
        0,
        0);
  }

  private static List<Long> ids(List<QueuedRequest> answers) {
    return answers.stream().map(QueuedRequest::id).toList();
  }

  @Test
  void requestsAndRunsOfSubscriptionsWithNothingInFlightGoAtOnce() {
    long a = RunId.of(3, 10);
    long b = RunId.of(4, 10);
    assertEquals(List.of(7L, a, b), ids(order.admit(List.of(answer(7), answer(a), answer(b)))));
    assertEquals(0, order.heldCount());
  }

  @Test
  void aSubscriptionsRunsWaitWhileItsTransactionIsInFlightAndComeBackInSlotOrder() {
    long a10 = RunId.of(3, 10);
    order.sent("0xtx1", List.of(answer(a10), answer(5)));
    long a12 = RunId.of(3, 12);
    long a11 = RunId.of(3, 11);
    long b1 = RunId.of(4, 1);
    assertEquals(
        List.of(6L, b1),
        ids(order.admit(List.of(answer(a12), answer(6), answer(b1), answer(a11)))));
    assertEquals(2, order.heldCount());
    assertEquals(List.of(), order.release(10), "nothing while 0xtx1 is in flight");

    order.ended("0xtx1");
    assertEquals(List.of(a11, a12), ids(order.release(10)));
    assertEquals(0, order.heldCount());
  }

  @Test
  void aRunArrivingAfterItsSubscriptionIsFreeStillWaitsBehindTheHeldOnes() {
    long a10 = RunId.of(3, 10);
    order.sent("0xtx1", List.of(answer(a10)));
    order.admit(List.of(answer(RunId.of(3, 11)), answer(RunId.of(3, 12))));
    order.ended("0xtx1");
    assertEquals(List.of(RunId.of(3, 11)), ids(order.release(1)), "at most max");
    assertEquals(List.of(), order.admit(List.of(answer(RunId.of(3, 13)))), "behind 12, still held");
    assertEquals(List.of(RunId.of(3, 12), RunId.of(3, 13)), ids(order.release(10)));
  }

  @Test
  void aSubscriptionInTwoTransactionsWaitsForBoth() {
    order.sent("0xtx1", List.of(answer(RunId.of(3, 10))));
    order.sent("0xtx2", List.of(answer(RunId.of(3, 11))));
    order.admit(List.of(answer(RunId.of(3, 12))));
    order.ended("0xtx1");
    order.ended("0xtx1"); // idempotent
    assertEquals(List.of(), order.release(10));
    order.ended("0xtx2");
    assertEquals(List.of(RunId.of(3, 12)), ids(order.release(10)));
  }
}
