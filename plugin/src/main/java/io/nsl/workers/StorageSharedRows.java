package io.nsl.workers;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFence;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link SharedRows} in a namespace of the encrypted store, under {@code workers/}: the {@code
 * service} namespace (function locks, API nonces and buckets), or {@link #MEMBERSHIP} (leases and
 * takeover claims).
 */
public final class StorageSharedRows implements SharedRows {
  /**
   * The namespace of the workers' leases and takeover claims, apart from {@code service}: on
   * PostgreSQL every write of a namespace waits on that namespace's one advisory lock (decision
   * 1002), and {@code service} is where every worker's queue writes and every run's function lock
   * take and release go. In it, heartbeats and claims queued behind that traffic, and a key listing
   * (claims) opened every key of every worker's queue.
   */
  public static final Namespace MEMBERSHIP = new Namespace("workers");

  private static final String ROOT = "workers/";
  private static final int SCAN_LIMIT = 1_000_000;
  private final PersistentStorageService storage;
  private final Namespace ns;

  /** Rows in the {@code service} namespace. */
  public StorageSharedRows(PersistentStorageService storage) {
    this(storage, Namespace.service());
  }

  public StorageSharedRows(PersistentStorageService storage, Namespace namespace) {
    this.storage = storage;
    this.ns = namespace;
  }

  @Override
  public Optional<Row> get(String key) {
    return storage.readVersioned(ns, utf8(ROOT + key)).map(v -> new Row(v.value(), v.version()));
  }

  @Override
  public Optional<Row> getToTake(String key) {
    return storage.readToTake(ns, utf8(ROOT + key)).map(v -> new Row(v.value(), v.version()));
  }

  /** One store round trip on PostgreSQL ({@link PersistentStorageService#readAll}). */
  @Override
  public Map<String, Row> scan(String prefix) {
    Map<String, Row> out = new TreeMap<>();
    for (Map.Entry<byte[], io.nsl.storage.VersionedValue> e :
        storage.readAll(ns, utf8(ROOT + prefix))) {
      String key = new String(e.getKey(), StandardCharsets.UTF_8).substring(ROOT.length());
      out.put(key, new Row(e.getValue().value(), e.getValue().version()));
    }
    return out;
  }

  @Override
  public java.util.Set<String> keys(String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (byte[] k : storage.listKeys(ns, utf8(ROOT + prefix), SCAN_LIMIT)) {
      out.add(new String(k, StandardCharsets.UTF_8).substring(ROOT.length()));
    }
    return out;
  }

  @Override
  public void put(String key, byte[] value) {
    storage.write(ns, utf8(ROOT + key), value);
  }

  @Override
  public boolean putIfVersion(String key, long expectedVersion, byte[] value) {
    return storage.compareAndSet(ns, utf8(ROOT + key), expectedVersion, value);
  }

  @Override
  public long swapIfVersion(String key, long expectedVersion, byte[] value) {
    return swap(key, expectedVersion, value, false);
  }

  @Override
  public long swapIfVersionLazily(String key, long expectedVersion, byte[] value) {
    return swap(key, expectedVersion, value, true);
  }

  private long swap(String key, long expectedVersion, byte[] value, boolean lazy) {
    byte[] k = utf8(ROOT + key);
    io.nsl.storage.StorageBatch.Builder b =
        io.nsl.storage.StorageBatch.builder()
            .expectVersion(ns, k, expectedVersion)
            .put(ns, k, value);
    try {
      return storage.commit((lazy ? b.lazy() : b).build());
    } catch (io.nsl.storage.StorageVersionConflictException e) {
      return 0;
    }
  }

  /** The function's state namespace, fenced by the lock row (decision 1010). */
  @Override
  public StatePin pinState(String functionId, String lockKey, long lockVersion, byte[] lockValue) {
    return storage.pin(
        Namespace.functionState(functionId),
        new StorageFence(ns, utf8(ROOT + lockKey), lockVersion, lockValue));
  }

  /** One round trip where the store can ({@link PersistentStorageService#takeAndPin}). */
  @Override
  public Optional<StatePin.Taken> swapLazilyAndPinState(
      String functionId, String key, long expectedVersion, byte[] value, byte[] freeValue) {
    return storage.takeAndPin(
        Namespace.functionState(functionId),
        ns,
        utf8(ROOT + key),
        expectedVersion,
        value,
        freeValue);
  }

  /** Two round trips for a take after another worker's release on PostgreSQL, not three. */
  @Override
  public Attempt swapLazilyAndPinStateOrRead(
      String functionId, String key, long expectedVersion, byte[] value, byte[] freeValue) {
    StatePin.Attempt a =
        storage.takeAndPinOrRead(
            Namespace.functionState(functionId),
            ns,
            utf8(ROOT + key),
            expectedVersion,
            value,
            freeValue);
    return new Attempt(a.taken(), a.found().map(v -> new Row(v.value(), v.version())));
  }

  @Override
  public long swapAllIfVersions(Map<String, Long> expectedVersions, Map<String, byte[]> values) {
    if (!expectedVersions.keySet().equals(values.keySet())) {
      throw new IllegalArgumentException("expected versions and values name different rows");
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no row to write");
    }
    io.nsl.storage.StorageBatch.Builder b = io.nsl.storage.StorageBatch.builder();
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      byte[] k = utf8(ROOT + e.getKey());
      b.expectVersion(ns, k, expectedVersions.get(e.getKey())).put(ns, k, e.getValue());
    }
    try {
      return storage.commit(b.build());
    } catch (io.nsl.storage.StorageVersionConflictException e) {
      return 0;
    }
  }

  @Override
  public boolean deleteAllIfVersions(Map<String, Long> expectedVersions) {
    if (expectedVersions.isEmpty()) {
      return true;
    }
    io.nsl.storage.StorageBatch.Builder b = io.nsl.storage.StorageBatch.builder();
    for (Map.Entry<String, Long> e : expectedVersions.entrySet()) {
      byte[] k = utf8(ROOT + e.getKey());
      b.expectVersion(ns, k, e.getValue()).delete(ns, k);
    }
    try {
      storage.commit(b.build());
      return true;
    } catch (io.nsl.storage.StorageVersionConflictException e) {
      return false;
    }
  }

  @Override
  public void delete(String key) {
    storage.delete(ns, utf8(ROOT + key));
  }

  @Override
  public boolean deleteIfVersion(String key, long expectedVersion) {
    byte[] k = utf8(ROOT + key);
    try {
      storage.commit(
          io.nsl.storage.StorageBatch.builder()
              .expectVersion(ns, k, expectedVersion)
              .delete(ns, k)
              .build());
      return true;
    } catch (io.nsl.storage.StorageVersionConflictException e) {
      return false;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
