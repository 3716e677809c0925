package io.nsl.workers;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link SharedRows} that hands every call to another, for tests that watch or count some calls:
 * override those only. {@link #getToTake} and {@link #swapLazilyAndPinStateOrRead} are the
 * interface's defaults, through this one's {@link #get} and {@link #swapLazilyAndPinState}.
 */
class ForwardingSharedRows implements SharedRows {
  final SharedRows rows;

  ForwardingSharedRows(SharedRows rows) {
    this.rows = rows;
  }

  @Override
  public Optional<Row> get(String key) {
    return rows.get(key);
  }

  @Override
  public long swapIfVersionLazily(String key, long expectedVersion, byte[] value) {
    return rows.swapIfVersionLazily(key, expectedVersion, value);
  }

  @Override
  public io.nsl.storage.StatePin pinState(
      String functionId, String lockKey, long lockVersion, byte[] lockValue) {
    return rows.pinState(functionId, lockKey, lockVersion, lockValue);
  }

  @Override
  public Optional<io.nsl.storage.StatePin.Taken> swapLazilyAndPinState(
      String functionId, String key, long expectedVersion, byte[] value, byte[] freeValue) {
    return rows.swapLazilyAndPinState(functionId, key, expectedVersion, value, freeValue);
  }

  @Override
  public Map<String, Row> scan(String prefix) {
    return rows.scan(prefix);
  }

  @Override
  public Set<String> keys(String prefix) {
    return rows.keys(prefix);
  }

  @Override
  public void put(String key, byte[] value) {
    rows.put(key, value);
  }

  @Override
  public long swapIfVersion(String key, long expectedVersion, byte[] value) {
    return rows.swapIfVersion(key, expectedVersion, value);
  }

  @Override
  public long swapAllIfVersions(Map<String, Long> expectedVersions, Map<String, byte[]> values) {
    return rows.swapAllIfVersions(expectedVersions, values);
  }

  @Override
  public boolean deleteAllIfVersions(Map<String, Long> expectedVersions) {
    return rows.deleteAllIfVersions(expectedVersions);
  }

  @Override
  public void delete(String key) {
    rows.delete(key);
  }

  @Override
  public boolean deleteIfVersion(String key, long expectedVersion) {
    return rows.deleteIfVersion(key, expectedVersion);
  }
}
