package io.nsl.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A ServiceStore in a TreeMap, for unit tests of the queue logic (atomic under a lock). */
final class InMemoryServiceStore implements ServiceStore {
  private final TreeMap<String, byte[]> map = new TreeMap<>();

  @Override
  public synchronized Optional<byte[]> get(String key) {
    return Optional.ofNullable(map.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized Map<String, byte[]> scan(String prefix) {
    TreeMap<String, byte[]> out = new TreeMap<>();
    map.tailMap(prefix, true).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix))
        .forEach(e -> out.put(e.getKey(), e.getValue().clone()));
    return out;
  }

  @Override
  public synchronized void apply(Map<String, byte[]> puts, Set<String> deletes) {
    puts.forEach((k, v) -> map.put(k, v.clone()));
    deletes.forEach(map::remove);
  }
}
