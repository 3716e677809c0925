package io.nsl.pipeline;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.util.Optional;

/**
 * A request's place in the durable queue.
 *
 * @param request what the chain asked
 * @param stage how far it got ({@link RequestQueue} is the only one that changes it)
 * @param fulfilment the signed answer, once executed
 * @param txHash the fulfilment transaction, once submitted
 * @param validUntilBlock that transaction's last valid block
 * @param seenAtMillis when the watcher recorded it (wall clock, for latency metrics only)
 */
public record QueuedRequest(
    GatewayRequest request,
    RequestStage stage,
    Optional<SignedFulfilment> fulfilment,
    Optional<String> txHash,
    long validUntilBlock,
    long seenAtMillis) {

  public QueuedRequest {
    if ((stage == RequestStage.EXECUTED || stage == RequestStage.SENT) && fulfilment.isEmpty()) {
      throw new IllegalArgumentException("stage " + stage + " needs a fulfilment");
    }
    if (stage == RequestStage.SENT && txHash.isEmpty()) {
      throw new IllegalArgumentException("stage SENT needs a transaction hash");
    }
  }

  static QueuedRequest seen(GatewayRequest r, long seenAtMillis) {
    return new QueuedRequest(
        r, RequestStage.SEEN, Optional.empty(), Optional.empty(), 0, seenAtMillis);
  }

  /** The same request at {@code next}, with nothing else changed. */
  QueuedRequest at(RequestStage next) {
    return new QueuedRequest(request, next, fulfilment, txHash, validUntilBlock, seenAtMillis);
  }

  QueuedRequest executed(SignedFulfilment f) {
    return new QueuedRequest(
        request, RequestStage.EXECUTED, Optional.of(f), Optional.empty(), 0, seenAtMillis);
  }

  QueuedRequest sent(String tx, long validUntil) {
    return new QueuedRequest(
        request, RequestStage.SENT, fulfilment, Optional.of(tx), validUntil, seenAtMillis);
  }

  /** Back to EXECUTED after a transaction expired, faulted or was refused. */
  QueuedRequest unsent() {
    return new QueuedRequest(
        request, RequestStage.EXECUTED, fulfilment, Optional.empty(), 0, seenAtMillis);
  }

  public long id() {
    return request.requestId();
  }
}
