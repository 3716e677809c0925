package io.nsl.pipeline;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The stages of a request in this service, and the one table of the moves between them. Only {@link
 * RequestQueue} changes a request's stage, and only along this table.
 *
 * <pre>
 * SEEN ─▶ QUEUED ─▶ RUNNING ─▶ EXECUTED ─▶ SENT ─▶ CONFIRMED
 *   │        ▲         │          │  ▲        │
 *   │        └─────────┘          │  └────────┤ (expired, faulted, refused by the node)
 *   │    (retry after a           ├─▶ DROPPED ◀┤ (no longer pending on chain)
 *   │     failure of ours)        └─▶ FAILED  ◀┘ (the gateway refuses the answer itself)
 *   └──────────────────────────────▶ FAILED      (recorded without request fields by an older
 *                                                  build: no answer can be signed)
 * </pre>
 *
 * <p>With several workers (docs/pipeline.md, "Several workers"), a request another worker owns
 * waits QUEUED but held, not given to an executor, and two more moves exist: QUEUED → DROPPED
 * (another worker's answer is on chain) and EXECUTED → QUEUED (this worker lost the request before
 * sending its answer: it was frozen or cut off past its lease, and the answer is thrown away).
 *
 * <p>Durable: SEEN, QUEUED and RUNNING are stored as one "pending" record (written with the block
 * cursor); SENT is stored with its transaction; the end stages remove the record. EXECUTED is held
 * in memory until it is SENT (docs/pipeline.md says why), or stored when a SENT one comes back.
 */
public enum RequestStage {
  /** Read from the chain and recorded durably with the cursor. */
  SEEN,
  /** Waiting for an executor worker. */
  QUEUED,
  /** A worker is running it. */
  RUNNING,
  /** Executed and signed; waiting for a fulfilment transaction. */
  EXECUTED,
  /** In a fulfilment transaction that is not yet included. */
  SENT,
  /** The gateway accepted its fulfilment. End. */
  CONFIRMED,
  /**
   * The gateway refused its fulfilment for a reason of the answer's own, or no answer can be signed
   * (a record without request fields). End.
   */
  FAILED,
  /** No longer pending on chain (fulfilled by another instance, cancelled, unknown). End. */
  DROPPED;

  private static final Map<RequestStage, Set<RequestStage>> NEXT =
      Map.of(
          SEEN, EnumSet.of(QUEUED, FAILED),
          QUEUED, EnumSet.of(RUNNING, DROPPED),
          RUNNING, EnumSet.of(EXECUTED, QUEUED),
          EXECUTED, EnumSet.of(SENT, DROPPED, FAILED, QUEUED),
          SENT, EnumSet.of(CONFIRMED, EXECUTED, DROPPED, FAILED),
          CONFIRMED, EnumSet.noneOf(RequestStage.class),
          FAILED, EnumSet.noneOf(RequestStage.class),
          DROPPED, EnumSet.noneOf(RequestStage.class));

  /** Whether a request may move from this stage to {@code next}. */
  public boolean canMoveTo(RequestStage next) {
    return NEXT.get(this).contains(next);
  }

  /** True for CONFIRMED, FAILED and DROPPED: the request leaves the queue. */
  public boolean isEnd() {
    return NEXT.get(this).isEmpty();
  }

  /** A stage change the table does not allow: a bug in the pipeline, never a user's error. */
  public static final class IllegalTransition extends IllegalStateException {
    public IllegalTransition(long requestId, RequestStage from, RequestStage to) {
      super("request " + requestId + " cannot move from " + from + " to " + to);
    }
  }
}
