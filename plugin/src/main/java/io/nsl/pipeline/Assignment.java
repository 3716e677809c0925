package io.nsl.pipeline;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which requests this worker runs and answers, when several workers watch the same chain and share
 * one store (docs/pipeline.md, "Several workers"). Every worker records every request; only its
 * owner runs it, the others hold it and watch, and take it over when the owner's lease expires.
 * {@link #SOLE} is the one-worker case: every request is this worker's, at no cost.
 *
 * <p>Contract: thread-safe. {@link #decide} answers from the view last read (no store read), except
 * that a takeover is made durable before it is answered. {@link #stillMine} reads the shared rows
 * afresh. Failures are the store's, unchecked.
 */
public interface Assignment {
  /**
   * @param mine this worker runs and answers it
   * @param owner the worker that should (this one's id when mine; empty when nobody is eligible)
   * @param takenOver mine because this worker just took it over from a worker whose lease expired
   * @param takeoverMillis for a takeover: time since the previous owner last renewed its lease
   */
  record Decision(boolean mine, String owner, boolean takenOver, long takeoverMillis) {
    static final Decision SOLE = new Decision(true, "", false, 0);
  }

  Decision decide(long requestId);

  /**
   * {@link #decide} of each request, with the takeovers among them made durable together where the
   * implementation can (one store write for many claims, not one each).
   */
  default Map<Long, Decision> decideAll(Collection<Long> requestIds) {
    Map<Long, Decision> out = new HashMap<>();
    for (long id : requestIds) {
      out.put(id, decide(id));
    }
    return out;
  }

  /** Of {@code requestIds}, those this worker may still answer: read afresh, before sending. */
  Set<Long> stillMine(Collection<Long> requestIds);

  /** These requests reached an end stage at this worker: forget what is kept for them. */
  void ended(Collection<Long> requestIds);

  /** One worker: every request is its own. */
  Assignment SOLE =
      new Assignment() {
        @Override
        public Decision decide(long requestId) {
          return Decision.SOLE;
        }

        @Override
        public Set<Long> stillMine(Collection<Long> requestIds) {
          return Set.copyOf(requestIds);
        }

        @Override
        public void ended(Collection<Long> requestIds) {}
      };
}
