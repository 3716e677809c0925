package io.nsl.testing;

import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the gateway's events back from a real chain, for end-to-end assertions. */
public final class GatewayEvents {
  public record Requested(long id, String functionId, long block, String requester) {}

  public record Fulfilled(long id, int status, long gasUsed, long block, String tx) {}

  public record Rejected(long id, String reason, long block, String tx) {}

  private final NeoRpcClient rpc;
  private final String gateway;
  private long next;
  public final Map<Long, Requested> requested = new HashMap<>();
  public final Map<Long, List<Fulfilled>> fulfilled = new HashMap<>();
  public final List<Rejected> rejected = new ArrayList<>();
  public final List<String> fulfilTxs = new ArrayList<>();

  public GatewayEvents(NeoRpcClient rpc, String gatewayHash, long fromBlock) {
    this.rpc = rpc;
    this.gateway = gatewayHash;
    this.next = fromBlock;
  }

  /** Reads every block up to the chain's head. */
  public void poll() {
    long height = rpc.blockCount() - 1;
    for (; next <= height; next++) {
      for (var n : rpc.blockNotifications(next, gateway, "Request")) {
        long id = n.state().get(0).asInt().longValue();
        requested.put(
            id,
            new Requested(
                id,
                new String(n.state().get(1).asBytes(), StandardCharsets.UTF_8),
                next,
                n.containerHash()));
      }
      for (var n : rpc.blockNotifications(next, gateway, "Fulfilled")) {
        for (var f : GatewayClient.parseFulfilled(n.state().get(0).asBytes())) {
          fulfilled
              .computeIfAbsent(f.requestId(), k -> new ArrayList<>())
              .add(new Fulfilled(f.requestId(), f.status(), f.gasUsed(), next, n.containerHash()));
        }
        if (!fulfilTxs.contains(n.containerHash())) {
          fulfilTxs.add(n.containerHash());
        }
      }
      for (var n : rpc.blockNotifications(next, gateway, "FulfilmentRejected")) {
        rejected.add(
            new Rejected(
                n.state().get(0).asInt().longValue(),
                new String(n.state().get(1).asBytes(), StandardCharsets.UTF_8),
                next,
                n.containerHash()));
      }
    }
  }

  /** Polls until every requested id is fulfilled (or the timeout passes). */
  public boolean awaitAllFulfilled(int expectedRequests, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      poll();
      if (requested.size() >= expectedRequests
          && fulfilled.keySet().containsAll(requested.keySet())) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /**
   * Polls until every requested id is fulfilled, for as long as answers keep coming: false once no
   * new request was answered for {@code stall}, or after {@code cap}. A loaded machine answers
   * slowly; a lost request stops the count.
   */
  public boolean awaitAllFulfilledWhileAnswering(
      int expectedRequests, java.time.Duration stall, java.time.Duration cap)
      throws InterruptedException {
    long deadline = System.nanoTime() + cap.toNanos();
    int answered = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      poll();
      if (requested.size() >= expectedRequests
          && fulfilled.keySet().containsAll(requested.keySet())) {
        return true;
      }
      if (fulfilled.size() != answered) {
        answered = fulfilled.size();
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
        return false;
      }
      Thread.sleep(250);
    }
    return false;
  }
}
