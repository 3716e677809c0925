package io.nsl.storage;

import io.nsl.storage.internal.PgStorage;
import io.nsl.storage.internal.RocksStorage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Encrypted, authenticated, durable key-value store, split into {@link Namespace}s, on one of two
 * engines: RocksDB (embedded, one process) or PostgreSQL (shared by several instances), chosen by
 * {@link StorageOptions#databaseUrl()}. Both seal the same way and pass the same contract suite.
 *
 * <p><b>Sealing.</b> With {@link StorageOptions#encrypted()} every value is sealed with AES-256-GCM
 * under the key of the {@link StorageKeyProvider}, a fresh random 96-bit nonce per write, and the
 * namespace, key, version and flags bound in as associated data: a flipped bit, a value copied to
 * another key, or an unsealed value slipped in is reported as {@link StorageTamperedException} and
 * never returned. Compression happens before sealing. See {@code docs/storage.md} for the exact
 * format and what the encryption does not protect (key names, sizes, access pattern, rollback).
 *
 * <p><b>Durability.</b> With {@link StorageOptions#syncWrites()} (the default) a mutating method
 * returns only after the RocksDB write-ahead log is synced to disk: an acknowledged write survives
 * a process kill or power loss.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Mutations are serialised inside the store
 * (version counter, quota accounting); reads run in parallel. Using the store after {@link
 * #close()} throws {@link StorageClosedException}.
 *
 * <p><b>Failures.</b> Bad input: {@link InvalidStorageKeyException}, {@link
 * StorageValueTooLargeException}, {@link StorageQuotaExceededException}. Concurrency: {@link
 * StorageVersionConflictException}, {@link StorageNamespaceDeletedException}. Disk: {@link
 * StorageDiskFullException}, {@link StorageReadOnlyException}, {@link StorageIoException}.
 * Integrity: {@link StorageTamperedException}, {@link StorageKeyMismatchException}. Nothing is
 * written when a mutation throws.
 *
 * <p>Values are handed out as fresh {@code byte[]} copies: callers holding secrets clear them.
 */
public interface PersistentStorageService extends AutoCloseable {

  /**
   * Opens (or creates) the store described by {@code options}. The key provider is asked once for
   * {@link StorageKeyProvider#STORAGE_PURPOSE} when the store is encrypted; the key bytes are
   * cleared right after.
   *
   * @throws StorageOpenException missing folder without create-if-missing, locked, unknown format
   * @throws StorageKeyMismatchException the store was sealed with another key, or created with the
   *     other encryption setting
   * @throws StorageReadOnlyException the folder is not writable (open with {@code readOnly})
   * @throws StorageUnreachableException the PostgreSQL server of {@link
   *     StorageOptions#databaseUrl()} cannot be reached
   * @throws StorageAuthenticationFailedException it refused the user or password
   * @throws StorageSchemaTooNewException a newer NSL migrated its schema
   */
  static PersistentStorageService initialise(StorageOptions options, StorageKeyProvider keys) {
    return options.postgres() ? PgStorage.open(options, keys) : RocksStorage.open(options, keys);
  }

  /** Whether values are sealed (as opened). */
  boolean encrypted();

  /** The value of {@code key}, or empty when absent. */
  Optional<byte[]> read(Namespace namespace, byte[] key);

  /** The value and its version, or empty when absent. */
  Optional<VersionedValue> readVersioned(Namespace namespace, byte[] key);

  /** Writes {@code value} (replacing any previous one, streamed or not) and returns its version. */
  long write(Namespace namespace, byte[] key, byte[] value);

  /** Removes {@code key}; returns whether it existed. */
  boolean delete(Namespace namespace, byte[] key);

  /**
   * Whether {@code key} has a value. Does not authenticate the value (a tampered value "exists";
   * reading it throws).
   */
  boolean exists(Namespace namespace, byte[] key);

  /**
   * Keys of {@code namespace} starting with {@code prefix}, in unsigned byte order, at most {@code
   * limit} of them. Key names are not encrypted (see {@code docs/storage.md}).
   */
  List<byte[]> listKeys(Namespace namespace, byte[] prefix, int limit);

  /**
   * Every value of {@code namespace} whose key starts with {@code prefix}, with its key and
   * version, in unsigned key order. The default lists the keys and reads each (a round trip per key
   * on a networked engine); PostgreSQL reads them in one (the workers' leases and claims, hundreds
   * after a worker died: a joining worker read them one by one for 19 s at load ~40 and its first
   * lease lapsed meanwhile).
   */
  default List<java.util.Map.Entry<byte[], VersionedValue>> readAll(
      Namespace namespace, byte[] prefix) {
    List<java.util.Map.Entry<byte[], VersionedValue>> out = new java.util.ArrayList<>();
    for (byte[] key : listKeys(namespace, prefix, Integer.MAX_VALUE)) {
      readVersioned(namespace, key).ifPresent(v -> out.add(java.util.Map.entry(key, v)));
    }
    return out;
  }

  /** Size in bytes of the value (as written, before compression), or empty when absent. */
  OptionalLong size(Namespace namespace, byte[] key);

  /**
   * Starts writing a large value in chunks (up to {@link StorageLimits#maxStreamBytes()}); the
   * value replaces the key's previous one when the stream is closed.
   */
  StorageWriteStream openWriteStream(Namespace namespace, byte[] key);

  /**
   * Reads a value chunk by chunk (any value, streamed or not), or empty when absent. Each chunk is
   * authenticated before its bytes are handed out; a missing, reordered or truncated chunk throws
   * {@link StorageTamperedException} from {@code read}. The stream reads a consistent snapshot;
   * close it to release the snapshot.
   */
  Optional<InputStream> openReadStream(Namespace namespace, byte[] key);

  /**
   * Writes {@code newValue} only if the key's version is {@code expectedVersion} ({@code 0} = only
   * if absent). Returns whether it was written.
   */
  boolean compareAndSet(Namespace namespace, byte[] key, long expectedVersion, byte[] newValue);

  /**
   * Applies a batch atomically: all of it or nothing. Every put of the batch gets the returned
   * version.
   *
   * @throws StorageVersionConflictException an {@link StorageBatch.ExpectVersion} did not hold
   */
  long commit(StorageBatch batch);

  /**
   * WARNING: removes every key of {@code namespace}, streamed values included, for good — meant for
   * a function's state when the function is deregistered. One synced batch of range deletions that
   * also resets the namespace's tracked usage: after a crash the namespace is either whole or empty
   * with usage zero. Versions keep rising (a key written again never gets an old version back).
   * Read streams opened before keep reading their snapshot; a write stream open in the namespace
   * fails at {@code close()} with {@link StorageNamespaceDeletedException} and commits nothing.
   * Cost: O(1) range tombstones for the delete; for a namespace without tracked usage, the answer
   * is computed by a scan first.
   *
   * @return what the namespace held just before (tracked usage for function state, a scan
   *     otherwise)
   * @throws StorageReadOnlyException on a read-only store
   */
  StorageUsage deleteNamespace(Namespace namespace);

  /** What a namespace uses; tracked for function-state namespaces, computed by scan otherwise. */
  StorageUsage usage(Namespace namespace);

  /** Flushes memtables to SST files and syncs the WAL (writes are already durable without it). */
  void flush();

  /** Closes the store; waits for running operations. Idempotent. */
  /**
   * One step of moving the store to the key provider's current epoch (decision 0502): re-seals up
   * to {@code maxRecords} records (values, stream chunks, metadata) that are sealed under another
   * epoch, resuming where the durable rekey cursor ({@code !meta/rekey}) says, and writes the
   * re-sealed records and the advanced cursor in one synced batch, so a kill leaves the cursor and
   * the records consistent. Holds the write lock for the step: writers wait for at most one step.
   * Values, versions and usage do not change. A plain store has nothing to move and is done at
   * once. A cursor that fails authentication is reported in {@link RekeyProgress#cursorRejected()}
   * and the move starts again from the first record (re-sealing is idempotent, and done is only
   * ever decided by a whole pass that found nothing to move).
   *
   * @param maxRecords at least 1
   * @throws StorageTamperedException when a record to move fails authentication (it is left as it
   *     is; the move cannot pass it)
   * @throws StorageKeyMismatchException when a record's epoch has no key at the provider
   */
  RekeyProgress rekeyStep(int maxRecords);

  /**
   * The durable rekey cursor as it stands, without moving anything; empty when none was written (no
   * move since the store was created) or it fails authentication.
   */
  Optional<RekeyProgress> rekeyCursor();

  /**
   * Drops the rekey cursor, so that the next {@link #rekeyStep} begins a new first pass even when
   * the last move was done (a record of another epoch appeared after it, which only a store rolled
   * back from a copy can show).
   */
  void restartRekey();

  /**
   * How many sealed records (values, chunks, metadata) each epoch's key sealed: a full scan of the
   * store's headers (no decryption). Empty for a plain store. This, not the cursor, decides whether
   * an epoch may be retired.
   */
  java.util.SortedMap<Integer, Long> sealedRecordsByEpoch();

  /** Forgets the cached key of {@code epoch} (after the provider retired it). */
  void forgetEpoch(int epoch);

  @Override
  void close();

  /** {@link #read} with a UTF-8 key. */
  /**
   * Pins a function-state namespace for the run that holds its function's lock (decision 1010).
   * Until the pin is released or closed, {@link #write} and {@link #delete} of the namespace are
   * held in memory (checked at once: key, size, quota against the usage with the run's earlier
   * writes) and seen by this store's reads and listings of it; {@link StatePin#release} commits
   * them together with the lock row's release in one transaction, only while the lock row is still
   * as {@code fence} says (else {@link StorageFenceLostException}, nothing written, and {@link
   * StatePin#fenceLost}). Reads may be served from a cache validated once here (PostgreSQL: one
   * round trip; docs/storage.md, "Read cache", "A run's writes"). Other writes of the namespace
   * ({@link #commit}, {@link #compareAndSet}, streams) are refused while it is pinned. Pin only
   * while holding the lock, one pin per namespace at a time.
   *
   * <p>The default pins nothing ({@link StatePin#NONE}): an engine that one process owns has no
   * other writer to fence, and writes each value at once.
   *
   * @throws IllegalArgumentException {@code namespace} is not a function's state
   */
  default StatePin pin(Namespace namespace, StorageFence fence) {
    if (!namespace.isFunctionState()) {
      throw new IllegalArgumentException(
          "only a function's state can be pinned, not namespace " + namespace);
    }
    return StatePin.NONE;
  }

  /**
   * {@link #readVersioned} of a row that a {@link #takeAndPin} at the version read may follow (a
   * function lock's row); an engine may prepare that take here (PostgreSQL: a version reserved in
   * the same round trip, so the take is one statement). The default only reads.
   */
  default Optional<VersionedValue> readToTake(Namespace namespace, byte[] key) {
    return readVersioned(namespace, key);
  }

  /**
   * Takes a lock row by compare-and-set and pins the state it fences: {@link #commit} of a {@link
   * StorageBatch.Builder#lazy lazy} batch that expects {@code expectedVersion} of {@code lockKey}
   * and puts {@code lockValue}, then {@link #pin} with that row at its new version as the fence. An
   * engine may do both in one round trip (PostgreSQL, when this store released the row at {@code
   * expectedVersion} itself; docs/storage.md, "A run's round trips"). If the pin fails after the
   * take, the row is given {@code freeValue} (the lock's release) before the failure is thrown.
   *
   * <p>WARNING: the take is lazily durable, as {@link StorageBatch.Builder#lazy} says: only for a
   * lock whose pinned writes are fenced by the row's version and value (decision 1010).
   *
   * @param expectedVersion the row's version now, 0 when it must be absent
   * @return the row's new version and the pin, or empty when the row was not at {@code
   *     expectedVersion} (nothing written)
   */
  default Optional<StatePin.Taken> takeAndPin(
      Namespace state,
      Namespace lockNamespace,
      byte[] lockKey,
      long expectedVersion,
      byte[] lockValue,
      byte[] freeValue) {
    long version;
    try {
      version =
          commit(
              StorageBatch.builder()
                  .expectVersion(lockNamespace, lockKey, expectedVersion)
                  .put(lockNamespace, lockKey, lockValue)
                  .lazy()
                  .build());
    } catch (StorageVersionConflictException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new StatePin.Taken(
              version, pin(state, new StorageFence(lockNamespace, lockKey, version, lockValue))));
    } catch (RuntimeException e) {
      try {
        commit(
            StorageBatch.builder()
                .expectVersion(lockNamespace, lockKey, version)
                .put(lockNamespace, lockKey, freeValue)
                .build());
      } catch (RuntimeException again) {
        e.addSuppressed(again); // the lock frees itself at its lifetime's end
      }
      throw e;
    }
  }

  /**
   * {@link #takeAndPin}, and when the row was not at {@code expectedVersion}, the row as it stands
   * ({@link #readToTake}: a take at the version found may follow). An engine may read the row in
   * the take's own round trip (PostgreSQL, when this store last saw the row at {@code
   * expectedVersion}: a take after another worker's release is then two round trips, not three).
   * The default takes, then reads.
   */
  default StatePin.Attempt takeAndPinOrRead(
      Namespace state,
      Namespace lockNamespace,
      byte[] lockKey,
      long expectedVersion,
      byte[] lockValue,
      byte[] freeValue) {
    Optional<StatePin.Taken> taken =
        takeAndPin(state, lockNamespace, lockKey, expectedVersion, lockValue, freeValue);
    return taken.isPresent()
        ? StatePin.Attempt.took(taken.get())
        : StatePin.Attempt.found(readToTake(lockNamespace, lockKey));
  }

  /**
   * The read cache's counts since the store opened; empty for an engine without one (RocksDB). Fast
   * and side-effect free: {@code /metrics} calls it on every scrape.
   */
  default Optional<ReadCacheStats> readCacheStats() {
    return Optional.empty();
  }

  default Optional<byte[]> read(Namespace namespace, String key) {
    return read(namespace, key.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #write} with a UTF-8 key. */
  default long write(Namespace namespace, String key, byte[] value) {
    return write(namespace, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** {@link #delete} with a UTF-8 key. */
  default boolean delete(Namespace namespace, String key) {
    return delete(namespace, key.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #exists} with a UTF-8 key. */
  default boolean exists(Namespace namespace, String key) {
    return exists(namespace, key.getBytes(StandardCharsets.UTF_8));
  }
}
