package io.nsl.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a store: the original design's {@code initialise(path, encryption, compression,
 * createIfMissing)} plus limits and durability.
 *
 * @param path folder of the RocksDB database; unused (may be null) when {@code databaseUrl} is set
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
 * @param databaseUrl {@code null} for the embedded RocksDB store at {@code path}; else the shared
 *     PostgreSQL store at this location, {@code postgresql://user[:password]@host[:port]/database}
 *     or {@code jdbc:postgresql://…} (docs/storage.md, "PostgreSQL"). {@code createIfMissing} then
 *     means "create the schema in an empty database"; {@code syncWrites} must stay on.
 * @param readCacheBytes PostgreSQL only: memory for the read cache of pinned function-state
 *     namespaces (docs/storage.md, "Read cache"); 0 turns it off. Default 64 MiB.
 */
public record StorageOptions(
    Path path,
    boolean encrypted,
    boolean compressed,
    boolean createIfMissing,
    boolean readOnly,
    boolean syncWrites,
    StorageLimits limits,
    StorageQuota functionQuota,
    String databaseUrl,
    long readCacheBytes) {
  /** {@link #readCacheBytes} unless set: 64 MiB. */
  public static final long DEFAULT_READ_CACHE_BYTES = 64L << 20;

  public StorageOptions {
    if (databaseUrl == null) {
      Objects.requireNonNull(path, "path");
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(functionQuota, "functionQuota");
    if (readCacheBytes < 0) {
      throw new IllegalArgumentException(
          "readCacheBytes must be >= 0 (0 turns the read cache off), got " + readCacheBytes);
    }
  }

  /** A RocksDB store at {@code path}. */
  public StorageOptions(
      Path path,
      boolean encrypted,
      boolean compressed,
      boolean createIfMissing,
      boolean readOnly,
      boolean syncWrites,
      StorageLimits limits,
      StorageQuota functionQuota) {
    this(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        null,
        DEFAULT_READ_CACHE_BYTES);
  }

  /** Encrypted, compressed, created if missing, synced writes, default limits and quota. */
  public static StorageOptions defaults(Path path) {
    return new StorageOptions(
        path, true, true, true, false, true, StorageLimits.defaults(), StorageQuota.defaults());
  }

  /** {@link #defaults} for the PostgreSQL store at {@code databaseUrl}. */
  public static StorageOptions postgres(String databaseUrl) {
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    return new StorageOptions(
        null,
        true,
        true,
        true,
        false,
        true,
        StorageLimits.defaults(),
        StorageQuota.defaults(),
        databaseUrl,
        DEFAULT_READ_CACHE_BYTES);
  }

  /**
   * Options for a store location as an operator writes it ({@code --store}, {@code storage.url}): a
   * {@code postgresql://} or {@code jdbc:postgresql://} URL is the PostgreSQL engine, anything else
   * a RocksDB folder.
   */
  public static StorageOptions forLocation(String location) {
    return isDatabaseUrl(location) ? postgres(location) : defaults(Path.of(location));
  }

  /** Whether {@code location} names a PostgreSQL database rather than a folder. */
  public static boolean isDatabaseUrl(String location) {
    return location.startsWith("postgresql://")
        || location.startsWith("postgres://")
        || location.startsWith("jdbc:postgresql://");
  }

  /** Whether this is the PostgreSQL engine. */
  public boolean postgres() {
    return databaseUrl != null;
  }

  public StorageOptions withDatabaseUrl(String value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        value,
        readCacheBytes);
  }

  public StorageOptions withEncrypted(boolean value) {
    return new StorageOptions(
        path,
        value,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withCompressed(boolean value) {
    return new StorageOptions(
        path,
        encrypted,
        value,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withCreateIfMissing(boolean value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        value,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withReadOnly(boolean value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        value,
        syncWrites,
        limits,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  /** WARNING: see {@link #syncWrites()}. */
  public StorageOptions withSyncWrites(boolean value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        value,
        limits,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withLimits(StorageLimits value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        value,
        functionQuota,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withFunctionQuota(StorageQuota value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        value,
        databaseUrl,
        readCacheBytes);
  }

  public StorageOptions withReadCacheBytes(long value) {
    return new StorageOptions(
        path,
        encrypted,
        compressed,
        createIfMissing,
        readOnly,
        syncWrites,
        limits,
        functionQuota,
        databaseUrl,
        value);
  }
}
