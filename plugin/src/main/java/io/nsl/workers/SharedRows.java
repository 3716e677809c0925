package io.nsl.workers;

import io.nsl.storage.StatePin;
import java.util.Map;
import java.util.Optional;

/**
 * The few rows the workers share (leases, claims, function locks), with versions for
 * compare-and-set. {@link StorageSharedRows} keeps them in the encrypted store's {@code service}
 * namespace, so with PostgreSQL every worker sees every other's rows; tests use a map.
 *
 * <p>Contract: thread-safe; {@link #putIfVersion} is atomic across every process sharing the store.
 * Failures are the store's (unchecked): the caller's loop backs off or its supervisor restarts it.
 */
public interface SharedRows {
  /** A row's value and version (versions only grow; 0 is never a stored version). */
  record Row(byte[] value, long version) {
    public Row {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  Optional<Row> get(String key);

  /**
   * {@link #get} of a row that {@link #swapLazilyAndPinState} at the version read may follow; the
   * store may prepare that take ({@link io.nsl.storage.PersistentStorageService#readToTake}).
   */
  default Optional<Row> getToTake(String key) {
    return get(key);
  }

  /** Every row whose key starts with {@code prefix}, by key. */
  Map<String, Row> scan(String prefix);

  /**
   * The keys of every row whose key starts with {@code prefix}, without their values (one store
   * round trip, where {@link #scan} costs one per row).
   */
  default java.util.Set<String> keys(String prefix) {
    return scan(prefix).keySet();
  }

  /** Writes unconditionally (a worker's own lease row). */
  void put(String key, byte[] value);

  /** Writes only if the row's version is {@code expectedVersion} (0: only if absent). */
  default boolean putIfVersion(String key, long expectedVersion, byte[] value) {
    return swapIfVersion(key, expectedVersion, value) != 0;
  }

  /**
   * {@link #putIfVersion} that answers the row's new version, or 0 when it wrote nothing (the
   * version a function lock's holder fences its state writes with).
   */
  long swapIfVersion(String key, long expectedVersion, byte[] value);

  /**
   * WARNING: {@link #swapIfVersion} whose commit may return before it is on disk ({@link
   * io.nsl.storage.StorageBatch.Builder#lazy}): a crash of the store can lose it and give its
   * version to another write. Only for a function lock's take, whose fence checks the row's value
   * as well as its version (decision 1010). The default waits for the disk.
   */
  default long swapIfVersionLazily(String key, long expectedVersion, byte[] value) {
    return swapIfVersion(key, expectedVersion, value);
  }

  /**
   * Pins the state of {@code functionId} for the holder of its lock row {@code lockKey}, written at
   * {@code lockVersion} with {@code lockValue}: the store holds the run's state writes until {@link
   * StatePin#release}, commits them only while the row is still so, and may cache the state's reads
   * ({@link io.nsl.storage.PersistentStorageService#pin}). The default pins nothing (rows that
   * share no store with the state).
   */
  default StatePin pinState(String functionId, String lockKey, long lockVersion, byte[] lockValue) {
    return StatePin.NONE;
  }

  /**
   * {@link #swapIfVersionLazily} and then {@link #pinState} at the new version, as one step where
   * the store can take both in one round trip ({@link
   * io.nsl.storage.PersistentStorageService#takeAndPin}). If the pin fails, the row is given {@code
   * freeValue} (the lock's release) before the failure is thrown.
   *
   * @return the row's new version and the pin, or empty when the row was not at {@code
   *     expectedVersion} (nothing written)
   */
  default Optional<StatePin.Taken> swapLazilyAndPinState(
      String functionId, String key, long expectedVersion, byte[] value, byte[] freeValue) {
    long version = swapIfVersionLazily(key, expectedVersion, value);
    if (version == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StatePin.Taken(version, pinState(functionId, key, version, value)));
    } catch (RuntimeException e) {
      try {
        swapIfVersion(key, version, freeValue);
      } catch (RuntimeException again) {
        e.addSuppressed(again); // the lock frees itself at its lifetime's end
      }
      throw e;
    }
  }

  /**
   * What {@link #swapLazilyAndPinStateOrRead} did: took the row, or found it as it stands ({@code
   * found}, empty when absent).
   */
  record Attempt(Optional<StatePin.Taken> taken, Optional<Row> found) {
    public Attempt {
      if (taken.isPresent() && found.isPresent()) {
        throw new IllegalArgumentException("a take that took the row found nothing else");
      }
    }
  }

  /**
   * {@link #swapLazilyAndPinState}, and when the row was not at {@code expectedVersion}, the row as
   * it stands ({@link #getToTake}), which a take at its version may follow. The store may read it
   * in the take's own round trip ({@link
   * io.nsl.storage.PersistentStorageService#takeAndPinOrRead}). The default takes, then reads.
   */
  default Attempt swapLazilyAndPinStateOrRead(
      String functionId, String key, long expectedVersion, byte[] value, byte[] freeValue) {
    Optional<StatePin.Taken> taken =
        swapLazilyAndPinState(functionId, key, expectedVersion, value, freeValue);
    return taken.isPresent()
        ? new Attempt(taken, Optional.empty())
        : new Attempt(Optional.empty(), getToTake(key));
  }

  /**
   * Writes every row of {@code values}, each only if it is at its version in {@code
   * expectedVersions} (0: only if absent), all or nothing, in one store transaction: many takeover
   * claims for the price of one.
   *
   * @return the version every row written now has, or 0 when a row was not at its expected version
   *     (nothing written)
   * @throws IllegalArgumentException when the two maps do not name the same keys
   */
  long swapAllIfVersions(Map<String, Long> expectedVersions, Map<String, byte[]> values);

  /**
   * Removes every row of {@code expectedVersions}, each only if it is at that version, all or
   * nothing, in one store transaction.
   *
   * @return whether it removed them (false: a row had moved or gone; nothing removed)
   */
  boolean deleteAllIfVersions(Map<String, Long> expectedVersions);

  /** Removes the row if it is there. */
  void delete(String key);

  /** Removes the row only if its version is {@code expectedVersion}; returns whether it did. */
  boolean deleteIfVersion(String key, long expectedVersion);
}
