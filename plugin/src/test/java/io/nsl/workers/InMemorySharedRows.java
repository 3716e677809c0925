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
  public synchronized long swapAllIfVersions(
      Map<String, Long> expectedVersions, Map<String, byte[]> values) {
    if (!expectedVersions.keySet().equals(values.keySet())) {
      throw new IllegalArgumentException("expected versions and values name different rows");
    }
    for (Map.Entry<String, Long> e : expectedVersions.entrySet()) {
      Row now = map.get(e.getKey());
      if ((now == null ? 0 : now.version()) != e.getValue()) {
        return 0;
      }
    }
    long v = ++version;
    values.forEach((k, value) -> map.put(k, new Row(value, v)));
    return v;
  }

  @Override
  public synchronized boolean deleteAllIfVersions(Map<String, Long> expectedVersions) {
    for (Map.Entry<String, Long> e : expectedVersions.entrySet()) {
      Row now = map.get(e.getKey());
      if (now == null || now.version() != e.getValue()) {
        return false;
      }
    }
    expectedVersions.keySet().forEach(map::remove);
    return true;
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
