package io.nsl.pipeline;

import io.nsl.chain.RunId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps each subscription's run answers on chain in run order. The node orders the transactions of
 * one block by fee per byte, not by when they were sent, so two transactions that both carry runs
 * of one subscription can be accepted in either order (docs/triggers.md, "Order"). This holds a
 * subscription's later answers back while a transaction with its runs is in flight; they go, in run
 * id order, in the first transaction sent after that one is included or given up. Requests and the
 * runs of other subscriptions are never held (decision 0932).
 *
 * <p>Bookkeeping only: no I/O, no clock. Thread-safe: the sending loop admits, releases and records
 * sends, the tracking loop ends transactions. Held answers stay EXECUTED in the {@link
 * RequestQueue} (taken, in memory, as a batch in the making is): a restart takes them again.
 */
final class RunOrder {
  /** Subscriptions with runs in each transaction in flight. */
  private final Map<String, Set<Long>> subscriptionsByTx = new HashMap<>();

  /** Transactions in flight per subscription. */
  private final Map<Long, Integer> inFlight = new HashMap<>();

  /** Held answers by id: one subscription's runs are together, in slot order. */
  private final TreeMap<Long, QueuedRequest> held = new TreeMap<>();

  /**
   * Of answers just taken from the queue, those that may be sent now; the others are held. A run is
   * held while a transaction with runs of its subscription is in flight, or an earlier answer of
   * its subscription is held.
   */
  synchronized List<QueuedRequest> admit(List<QueuedRequest> taken) {
    List<QueuedRequest> now = new ArrayList<>(taken.size());
    for (QueuedRequest q : taken) {
      if (!RunId.isRun(q.id())) {
        now.add(q);
        continue;
      }
      long sub = RunId.subscriptionId(q.id());
      if (inFlight.containsKey(sub) || hasHeld(sub)) {
        held.put(q.id(), q);
      } else {
        now.add(q);
      }
    }
    return now;
  }

  /**
   * Held answers whose subscription has no transaction in flight any more, at most {@code max}, in
   * id order; they are no longer held.
   */
  synchronized List<QueuedRequest> release(int max) {
    List<QueuedRequest> out = new ArrayList<>();
    Iterator<QueuedRequest> it = held.values().iterator();
    while (it.hasNext() && out.size() < max) {
      QueuedRequest q = it.next();
      if (!inFlight.containsKey(RunId.subscriptionId(q.id()))) {
        out.add(q);
        it.remove();
      }
    }
    return out;
  }

  /** Transaction {@code txHash}, carrying {@code answers}, is in flight. */
  synchronized void sent(String txHash, List<QueuedRequest> answers) {
    Set<Long> subs = new HashSet<>();
    for (QueuedRequest q : answers) {
      if (RunId.isRun(q.id())) {
        subs.add(RunId.subscriptionId(q.id()));
      }
    }
    if (subs.isEmpty() || subscriptionsByTx.containsKey(txHash)) {
      return;
    }
    subscriptionsByTx.put(txHash, subs);
    subs.forEach(s -> inFlight.merge(s, 1, Integer::sum));
  }

  /** Transaction {@code txHash} is included, expired, faulted or was never sent. Idempotent. */
  synchronized void ended(String txHash) {
    Set<Long> subs = subscriptionsByTx.remove(txHash);
    if (subs == null) {
      return;
    }
    for (long s : subs) {
      inFlight.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  synchronized int heldCount() {
    return held.size();
  }

  private boolean hasHeld(long sub) {
    long first = RunId.of(sub, 0);
    return !held.subMap(first, true, first + RunId.MAX_SLOT, true).isEmpty();
  }
}
