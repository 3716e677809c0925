package io.nsl.js;

import io.nsl.NameRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link FunctionStateStore} in memory, used by the simulator and tests. It refuses what the
 * service's store refuses, with the same exceptions, and lists in the same order (the contract
 * suite {@code FunctionStateStoreContract} runs on both):
 *
 * <ul>
 *   <li>keys are stored as their UTF-8 bytes and listed in unsigned byte order, which differs from
 *       {@link String#compareTo} for characters outside the Basic Multilingual Plane;
 *   <li>a key that breaks {@link NameRules#storageKeyProblem} (empty, over {@value #MAX_KEY_BYTES}
 *       UTF-8 bytes, a lone surrogate): {@link IllegalArgumentException} on every operation;
 *   <li>a value over {@value #MAX_VALUE_BYTES} bytes, or a write that takes the total of key bytes
 *       plus value bytes over the byte quota or the number of keys over the key quota: {@link
 *       StateQuotaExceededException}, and nothing is written. A write that does not grow the total
 *       (or the count) is allowed even when the store is over its quota.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class InMemoryFunctionStateStore implements FunctionStateStore {
  /** Longest key, in UTF-8 bytes (the service store's {@code StorageLimits.defaults()}). */
  public static final int MAX_KEY_BYTES = NameRules.MAX_STORAGE_KEY_BYTES;

  /** Largest value, in bytes (the service store's {@code StorageLimits.defaults()}). */
  public static final int MAX_VALUE_BYTES = 1 << 20;

  /** Keys per function when not given (the service store's {@code StorageQuota.defaults()}). */
  public static final long DEFAULT_MAX_KEYS = 10_000;

  private final ConcurrentSkipListMap<byte[], byte[]> map =
      new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  private final long quotaBytes;
  private final long maxKeys;
  private long usedBytes;

  /** A store with a byte quota and {@value #DEFAULT_MAX_KEYS} keys at most. */
  public InMemoryFunctionStateStore(long quotaBytes) {
    this(quotaBytes, DEFAULT_MAX_KEYS);
  }

  public InMemoryFunctionStateStore(long quotaBytes, long maxKeys) {
    if (quotaBytes <= 0 || maxKeys <= 0) {
      throw new IllegalArgumentException(
          "quota must be positive, got quotaBytes=" + quotaBytes + " maxKeys=" + maxKeys);
    }
    this.quotaBytes = quotaBytes;
    this.maxKeys = maxKeys;
  }

  @Override
  public Optional<byte[]> get(String key) {
    byte[] v = map.get(checkedKey(key));
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    byte[] k = checkedKey(key);
    if (value.length > MAX_VALUE_BYTES) {
      throw new StateQuotaExceededException(
          "value for '"
              + key
              + "' has "
              + value.length
              + " bytes, the limit is "
              + MAX_VALUE_BYTES
              + "; split it");
    }
    byte[] old = map.get(k);
    long bytesDelta = old == null ? k.length + value.length : value.length - old.length;
    long keysDelta = old == null ? 1 : 0;
    long bytes = usedBytes + bytesDelta;
    long keys = map.size() + keysDelta;
    if ((bytesDelta > 0 && bytes > quotaBytes) || (keysDelta > 0 && keys > maxKeys)) {
      throw new StateQuotaExceededException(
          "function state would use "
              + bytes
              + " bytes in "
              + keys
              + " keys, over its quota of "
              + quotaBytes
              + " bytes and "
              + maxKeys
              + " keys; nothing was written. Delete keys you no longer need");
    }
    map.put(k, value.clone());
    usedBytes = bytes;
  }

  @Override
  public synchronized boolean delete(String key) {
    byte[] k = checkedKey(key);
    byte[] old = map.remove(k);
    if (old == null) {
      return false;
    }
    usedBytes -= k.length + old.length;
    return true;
  }

  @Override
  public List<String> list(String prefix, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : map.tailMap(p, true).entrySet()) {
      byte[] k = e.getKey();
      if (out.size() >= limit
          || !Arrays.equals(k, 0, Math.min(p.length, k.length), p, 0, p.length)) {
        break;
      }
      out.add(new String(k, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Key bytes (UTF-8) plus value bytes currently stored. */
  public synchronized long usedBytes() {
    return usedBytes;
  }

  private static byte[] checkedKey(String key) {
    NameRules.storageKeyProblem(key)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
