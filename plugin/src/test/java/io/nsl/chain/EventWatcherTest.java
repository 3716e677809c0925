package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * One watcher step at a time, against a node (an OkHttp interceptor) that only reports its height:
 * what the watcher does when the node is behind its cursor or on another chain. No socket.
 */
class EventWatcherTest {
  final AtomicLong blockCount = new AtomicLong();
  final List<Long> committed = new ArrayList<>();
  final List<Long> lags = new ArrayList<>();
  long next;
  Runnable onCommit = () -> {};

  NeoRpcClient node() {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain ->
                    new Response.Builder()
                        .request(chain.request())
                        .protocol(Protocol.HTTP_1_1)
                        .code(200)
                        .message("OK")
                        .body(
                            ResponseBody.create(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + blockCount + "}",
                                MediaType.get("application/json")))
                        .build())
            .build();
    return new NeoRpcClient("http://node.invalid:10332", http);
  }

  EventWatcher<String> watcher(EventWatcher.Guard guard) {
    NotificationSource empty =
        new NotificationSource() {
          @Override
          public List<NeoRpcClient.Notification> blockNotifications(
              long index, String contractHash, String eventName) {
            return List.of();
          }

          @Override
          public String way() {
            return "test";
          }
        };
    EventWatcher.Cursor<String> cursor =
        new EventWatcher.Cursor<>() {
          @Override
          public long nextBlock() {
            return next;
          }

          @Override
          public void commit(long index, List<String> events) {
            onCommit.run();
            committed.add(index);
            next = index + 1;
          }
        };
    return new EventWatcher<>(
        node(),
        empty,
        guard,
        "0x" + "ab".repeat(20),
        "Request",
        (n, i) -> "event",
        cursor,
        new BlockSignal(),
        Duration.ofMillis(1),
        lags::add);
  }

  @Test
  void readsUpToTheHeadAndReportsNoProblem() {
    blockCount.set(13); // height 12
    next = 10;
    var w = watcher(() -> {});
    assertTrue(w.step());
    assertEquals(List.of(10L, 11L, 12L), committed);
    assertEquals(Optional.empty(), w.problem());
    assertEquals(0L, lags.getLast());
  }

  @Test
  void theChainHeightIsPublishedOnlyWithTheLagBehindIt() {
    // Found by CI (WorkersOnChainIT's upgrade): a new worker 465 blocks behind said ready, its
    // readiness had read the height of the first step and the lag of none yet (0).
    blockCount.set(401); // height 400
    next = 11;
    var w = watcher(() -> {});
    List<String> seen = new ArrayList<>();
    onCommit = () -> seen.add(w.chainHeight() + " lag " + (lags.isEmpty() ? "none" : lags.get(0)));
    w.step();
    assertEquals("400 lag 390", seen.get(0));
  }

  @Test
  void aNodeBelowTheCursorIsNotCaughtUpButBehind() {
    // The bug: lag was clamped to 0 and the service said ready.
    blockCount.set(31); // height 30
    next = 244; // block 243 already read
    var w = watcher(() -> {});
    assertTrue(w.step());
    assertEquals(List.of(), committed);
    assertEquals(
        "the node at http://node.invalid:10332 is at block 30, behind block 243 this data folder"
            + " has already read: it is still syncing, or it serves another chain",
        w.problem().orElseThrow());

    blockCount.set(245); // the node caught up: reading resumes, the problem is gone
    w.step();
    assertEquals(List.of(244L), committed);
    assertEquals(Optional.empty(), w.problem());
  }

  @Test
  void readsNothingWhenTheGuardRefusesTheChain() {
    blockCount.set(13);
    next = 10;
    var w =
        watcher(
            () -> {
              throw new ChainException.WrongChain("another chain");
            });
    assertThrows(ChainException.WrongChain.class, w::step);
    assertEquals(List.of(), committed);
  }
}
