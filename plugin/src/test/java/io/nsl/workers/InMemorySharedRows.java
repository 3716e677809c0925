package io.nsl.workers;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link SharedRows} in a TreeMap with a growing version counter, for unit tests. */
final class InMemorySharedRows implements SharedRows {
  private final TreeMap<String, Row> map = new TreeMap<>();
  private long version;

  @Override
  public synchronized Optional<Row> get(String key) {
    return Optional.ofNullable(map.get(key));
  }

  @Override
  public synchronized Map<String, Row> scan(String prefix) {
    TreeMap<String, Row> out = new TreeMap<>();
    map.tailMap(prefix, true).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    map.put(key, new Row(value, ++version));
  }

  @Override
  public synchronized long swapIfVersion(String key, long expectedVersion, byte[] value) {
    Row now = map.get(key);
    long current = now == null ? 0 : now.version();
    if (current != expectedVersion) {
      return 0;
    }
    map.put(key, new Row(value, ++version));
    return version;
  }

  @Override
  public synchronized void delete(String key) {
    map.remove(key);
  }

  @Override
  public synchronized boolean deleteIfVersion(String key, long expectedVersion) {
    Row now = map.get(key);
    if (now == null || now.version() != expectedVersion) {
      return false;
    }
    map.remove(key);
    return true;
  }
}
