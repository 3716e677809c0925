package io.nsl.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a store: the original design's {@code initialise(path, encryption, compression,
 * createIfMissing)} plus limits and durability.
 *
 * @param path folder of the RocksDB database
 * @param encrypted seal every value with AES-256-GCM (a store remembers whether it was created
 *     encrypted and refuses to open the other way)
 * @param compressed deflate values before sealing (only kept when smaller)
 * @param createIfMissing create the folder and an empty store when none exists
 * @param readOnly open without writing anything (for example a full disk or a read-only folder);
 *     every write then fails with {@link StorageReadOnlyException}
 * @param syncWrites WARNING: {@code false} acknowledges writes before they reach the disk, so a
 *     crash loses them; only for benchmarks and throw-away stores. Default {@code true}.
 * @param limits key and value size limits
 * @param functionQuota quota applied to each {@link Namespace#functionState} namespace
 */
public record StorageOptions(
    Path path,
    boolean encrypted,
    boolean compressed,
    boolean createIfMissing,
    boolean readOnly,
    boolean syncWrites,
    StorageLimits limits,
    StorageQuota functionQuota) {
  public StorageOptions {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(functionQuota, "functionQuota");
  }

  /** Encrypted, compressed, created if missing, synced writes, default limits and quota. */
  public static StorageOptions defaults(Path path) {
    return new StorageOptions(
        path, true, true, true, false, true, StorageLimits.defaults(), StorageQuota.defaults());
  }

  public StorageOptions withEncrypted(boolean value) {
    return new StorageOptions(
        path, value, compressed, createIfMissing, readOnly, syncWrites, limits, functionQuota);
  }

  public StorageOptions withCompressed(boolean value) {
    return new StorageOptions(
        path, encrypted, value, createIfMissing, readOnly, syncWrites, limits, functionQuota);
  }

  public StorageOptions withCreateIfMissing(boolean value) {
    return new StorageOptions(
        path, encrypted, compressed, value, readOnly, syncWrites, limits, functionQuota);
  }

  public StorageOptions withReadOnly(boolean value) {
    return new StorageOptions(
        path, encrypted, compressed, createIfMissing, value, syncWrites, limits, functionQuota);
  }

  /** WARNING: see {@link #syncWrites()}. */
  public StorageOptions withSyncWrites(boolean value) {
    return new StorageOptions(
        path, encrypted, compressed, createIfMissing, readOnly, value, limits, functionQuota);
  }

  public StorageOptions withLimits(StorageLimits value) {
    return new StorageOptions(
        path, encrypted, compressed, createIfMissing, readOnly, syncWrites, value, functionQuota);
  }

  public StorageOptions withFunctionQuota(StorageQuota value) {
    return new StorageOptions(
        path, encrypted, compressed, createIfMissing, readOnly, syncWrites, limits, value);
  }
}
