package io.nsl.pipeline;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Round-robin over per-owner FIFO queues, so one owner's flood of requests does not starve the
 * others: each take serves the next owner in turn. Pure logic; not thread-safe (callers lock).
 *
 * @param <K> owner key
 * @param <T> item
 */
final class FairQueue<K, T> {
  private final LinkedHashMap<K, ArrayDeque<T>> queues = new LinkedHashMap<>();
  private int size;

  void add(K owner, T item) {
    queues.computeIfAbsent(owner, k -> new ArrayDeque<>()).addLast(item);
    size++;
  }

  /** Takes the head of the next owner's queue, moving that owner to the back of the turn. */
  Optional<T> poll() {
    Iterator<Map.Entry<K, ArrayDeque<T>>> it = queues.entrySet().iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Map.Entry<K, ArrayDeque<T>> first = it.next();
    K owner = first.getKey();
    ArrayDeque<T> q = first.getValue();
    T item = q.pollFirst();
    it.remove();
    if (!q.isEmpty()) {
      queues.put(owner, q); // re-inserted at the end: next turn goes to another owner
    }
    size--;
    return Optional.of(item);
  }

  int size() {
    return size;
  }

  int owners() {
    return queues.size();
  }
}
