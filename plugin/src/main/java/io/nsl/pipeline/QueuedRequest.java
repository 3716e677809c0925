package io.nsl.pipeline;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.util.Optional;

/**
 * A request's place in the durable queue.
 *
 * @param request what the chain asked
 * @param stage how far it got
 * @param fulfilment the signed answer, once executed
 * @param txHash the fulfilment transaction, once submitted
 * @param validUntilBlock that transaction's last valid block
 * @param seenAtMillis when the watcher recorded it (wall clock, for latency metrics only)
 */
public record QueuedRequest(
    GatewayRequest request,
    Stage stage,
    Optional<SignedFulfilment> fulfilment,
    Optional<String> txHash,
    long validUntilBlock,
    long seenAtMillis) {

  /** Stages in order; a request leaves the queue when its fulfilment is confirmed on chain. */
  public enum Stage {
    /** Recorded from the chain; not yet executed. */
    PENDING,
    /** Executed and signed; not yet sent. */
    EXECUTED,
    /** Sent in {@link #txHash}; waiting for inclusion. */
    SUBMITTED
  }

  public QueuedRequest {
    if (stage != Stage.PENDING && fulfilment.isEmpty()) {
      throw new IllegalArgumentException("stage " + stage + " needs a fulfilment");
    }
    if (stage == Stage.SUBMITTED && txHash.isEmpty()) {
      throw new IllegalArgumentException("stage SUBMITTED needs a transaction hash");
    }
  }

  static QueuedRequest pending(GatewayRequest r, long seenAtMillis) {
    return new QueuedRequest(r, Stage.PENDING, Optional.empty(), Optional.empty(), 0, seenAtMillis);
  }

  QueuedRequest executed(SignedFulfilment f) {
    return new QueuedRequest(
        request, Stage.EXECUTED, Optional.of(f), Optional.empty(), 0, seenAtMillis);
  }

  QueuedRequest submitted(String tx, long validUntil) {
    return new QueuedRequest(
        request, Stage.SUBMITTED, fulfilment, Optional.of(tx), validUntil, seenAtMillis);
  }

  /** Back to EXECUTED after a transaction expired, faulted or was refused. */
  QueuedRequest executedAgain() {
    return new QueuedRequest(
        request, Stage.EXECUTED, fulfilment, Optional.empty(), 0, seenAtMillis);
  }

  public long id() {
    return request.requestId();
  }
}
