package io.nsl.js;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link FunctionStateStore} in memory, with a quota on the total of key and value bytes. Used by
 * the simulator and tests. Thread-safe.
 */
public final class InMemoryFunctionStateStore implements FunctionStateStore {
  private final ConcurrentSkipListMap<String, byte[]> map = new ConcurrentSkipListMap<>();
  private final long quotaBytes;

  public InMemoryFunctionStateStore(long quotaBytes) {
    if (quotaBytes <= 0) {
      throw new IllegalArgumentException("quotaBytes must be > 0, was " + quotaBytes);
    }
    this.quotaBytes = quotaBytes;
  }

  @Override
  public Optional<byte[]> get(String key) {
    byte[] v = map.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    byte[] old = map.get(key);
    long after =
        usedBytes() - (old == null ? 0 : key.length() + old.length) + key.length() + value.length;
    if (after > quotaBytes) {
      throw new StateQuotaExceededException(
          "storing "
              + value.length
              + " bytes under '"
              + key
              + "' would make the function's state "
              + after
              + " bytes; the quota is "
              + quotaBytes
              + " bytes. Delete keys you no longer need.");
    }
    map.put(key, value.clone());
  }

  @Override
  public synchronized boolean delete(String key) {
    return map.remove(key) != null;
  }

  @Override
  public List<String> list(String prefix, int limit) {
    return map.tailMap(prefix, true).keySet().stream()
        .takeWhile(k -> k.startsWith(prefix))
        .limit(limit)
        .toList();
  }

  /** Key characters plus value bytes currently stored. */
  public long usedBytes() {
    long n = 0;
    for (var e : map.entrySet()) {
      n += e.getKey().length() + e.getValue().length;
    }
    return n;
  }
}
