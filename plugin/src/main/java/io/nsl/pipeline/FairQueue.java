package io.nsl.pipeline;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

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

  /** Puts {@code item} back at the head of its owner's queue (a retry keeps its place). */
  void addFirst(K owner, T item) {
    queues.computeIfAbsent(owner, k -> new ArrayDeque<>()).addFirst(item);
    size++;
  }

  /** Takes the head of the next owner's queue, moving that owner to the back of the turn. */
  Optional<T> poll() {
    return poll(item -> true);
  }

  /**
   * Takes, in the next owner's turn that has one, the first item {@code eligible} accepts, and
   * moves that owner to the back of the turn. Owners with nothing eligible keep their place; the
   * items skipped keep their order.
   */
  Optional<T> poll(Predicate<T> eligible) {
    for (Iterator<Map.Entry<K, ArrayDeque<T>>> it = queues.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, ArrayDeque<T>> e = it.next();
      K owner = e.getKey();
      ArrayDeque<T> q = e.getValue();
      for (Iterator<T> items = q.iterator(); items.hasNext(); ) {
        T item = items.next();
        if (eligible.test(item)) {
          items.remove();
          it.remove();
          if (!q.isEmpty()) {
            queues.put(owner, q); // re-inserted at the end: next turn goes to another owner
          }
          size--;
          return Optional.of(item);
        }
      }
    }
    return Optional.empty();
  }

  int size() {
    return size;
  }

  int owners() {
    return queues.size();
  }
}
