package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.checkKey;
import static io.nsl.storage.internal.StorageKeys.describe;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.RekeyProgress;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageClosedException;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageNamespaceDeletedException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuota;
import io.nsl.storage.StorageReadOnlyException;
import io.nsl.storage.StorageUsage;
import io.nsl.storage.StorageValueTooLargeException;
import io.nsl.storage.StorageVersionConflictException;
import io.nsl.storage.StorageWriteStream;
import io.nsl.storage.VersionedValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PersistentStorageService} on PostgreSQL, the engine several NSL instances share (docs/
 * storage.md, "PostgreSQL"; decision 1002). Records are sealed exactly as in RocksDB ({@link
 * Sealer}: the same value and chunk formats, the plaintext namespace and key in the associated
 * data); the database sees no key names: rows are addressed by HMAC-SHA256 of the namespace and key
 * under a random name key kept sealed in the store, and the key itself is stored sealed beside its
 * HMAC for listings.
 *
 * <p>Every mutation is one transaction that first takes a transaction-level advisory lock per
 * namespace it touches (in a fixed order), so writers in different processes serialise per
 * namespace and quota accounting, version checks and namespace deletion stay exact. Versions come
 * from a sequence ({@code nsl_version_seq}): they only grow, across every process. A commit returns
 * once PostgreSQL committed it with {@code synchronous_commit = on}.
 *
 * <p>Streams hold their own connection (not one of the pool's): a writer inserts chunks without
 * waiting for the disk and holds a session advisory lock on its stream id, so the chunk collector
 * of another process leaves a live writer's chunks alone; a reader reads in one repeatable-read
 * transaction, its snapshot.
 *
 * <p>Why still one file of about 1,100 lines: every public method goes through the same private
 * pieces — the pooled-connection plumbing ({@code query}/{@code transaction}) and the one batch
 * path ({@code applyIn}) that takes the namespace locks, checks versions, fences and quotas and
 * writes rows — and they share the pool, the sealer and the lifecycle lock. What stands alone lives
 * apart: the row names ({@link PgNames}), stream chunk runs and their collector ({@link
 * PgStreamChunks}), pinned namespaces and the read cache ({@link PgStatePins}, {@link
 * PgReadCache}), the schema ({@link PgSchema}), streams ({@link PgWriteStream}, {@link
 * PgReadStream}), rekeying ({@link PgRekeying}) and value bookkeeping ({@link StoredValue}).
 */
public final class PgStorage implements PersistentStorageService {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  private static final int TRANSACTION_ATTEMPTS = 5;

  private final StorageOptions options;
  private final PgLocation location;
  private final Properties credentials;
  private final HikariDataSource pool;
  private final Sealer sealer;
  private final EpochKeys epochKeys;
  private final SecureRandom random;
  private final PgNames names;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Set<AutoCloseable> openStreams = ConcurrentHashMap.newKeySet();
  private final PgStatePins pins;
  private volatile boolean closed;

  private PgStorage(
      StorageOptions options,
      PgLocation location,
      Properties credentials,
      HikariDataSource pool,
      Sealer sealer,
      EpochKeys epochKeys,
      SecureRandom random,
      byte[] nameKeyBytes) {
    this.options = options;
    this.location = location;
    this.credentials = credentials;
    this.pool = pool;
    this.sealer = sealer;
    this.epochKeys = epochKeys;
    this.random = random;
    this.names = new PgNames(nameKeyBytes, sealer);
    this.pins = new PgStatePins(this, new PgReadCache(options.readCacheBytes()));
  }

  /** See {@link PersistentStorageService#initialise}; {@code o.databaseUrl()} is set. */
  public static PgStorage open(StorageOptions o, StorageKeyProvider keys) {
    if (!o.syncWrites()) {
      throw new StorageOpenException(
          "the PostgreSQL store always commits durably (synchronous_commit on); open it with"
              + " syncWrites");
    }
    PgLocation at = PgLocation.parse(o.databaseUrl());
    Properties credentials = new Properties();
    if (at.user() != null) {
      credentials.setProperty("user", at.user());
    }
    String password = at.password() != null ? at.password() : System.getenv("PGPASSWORD");
    if (password != null) {
      credentials.setProperty("password", password);
    }
    credentials.setProperty("ApplicationName", "nsl");
    credentials.setProperty("connectTimeout", "10");
    credentials.setProperty("tcpKeepAlive", "true");
    SecureRandom random = new SecureRandom();
    EpochKeys epochKeys = o.encrypted() ? new EpochKeys(keys) : null;
    Sealer sealer = new Sealer(epochKeys, o.compressed(), random);
    byte[] nameKey;
    try (Connection c = DriverManager.getConnection(at.jdbcUrl(), credentials)) {
      nameKey = PgSchema.open(c, o, sealer, at, random);
    } catch (SQLException e) {
      throw PgErrors.map(e, "opening the store", at);
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(at.jdbcUrl());
    hc.setDataSourceProperties(credentials);
    hc.setPoolName("nsl-store");
    hc.setMaximumPoolSize(8);
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(10_000);
    hc.setReadOnly(o.readOnly());
    hc.setInitializationFailTimeout(-1);
    hc.setConnectionInitSql("set synchronous_commit = on");
    PgStorage store;
    try {
      store =
          new PgStorage(
              o, at, credentials, new HikariDataSource(hc), sealer, epochKeys, random, nameKey);
    } finally {
      Arrays.fill(nameKey, (byte) 0);
    }
    if (!o.readOnly()) {
      try {
        new PgStreamChunks(store).collectOrphans();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }
    LOG.info("opened the PostgreSQL store {}", at);
    return store;
  }

  // ------------------------------------------------------------------ plumbing

  @FunctionalInterface
  interface Sql<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code body} on a pooled connection (autocommit), under the lifecycle lock. */
  private <T> T query(String doing, Sql<T> body) {
    return guarded(
        () -> {
          try (Connection c = pool.getConnection()) {
            return body.run(c);
          } catch (SQLException e) {
            throw PgErrors.map(e, doing, location);
          }
        });
  }

  /**
   * Runs {@code body} in one transaction, retried on serialization failures and deadlocks; a
   * storage exception from the body rolls it back and is thrown as is.
   */
  private <T> T transaction(String doing, Sql<T> body) {
    return guarded(
        () -> {
          for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
              c.setAutoCommit(false);
              try {
                T t = body.run(c);
                c.commit();
                return t;
              } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
              } finally {
                resetQuietly(c);
              }
            } catch (SQLException e) {
              if (PgErrors.retryable(e) && attempt < TRANSACTION_ATTEMPTS) {
                continue;
              }
              throw PgErrors.map(e, doing, location);
            }
          }
        });
  }

  private <T> T guarded(java.util.function.Supplier<T> body) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageClosedException("the store " + location + " is closed");
      }
      return body.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool drops it and the server rolled back
    }
  }

  private static void resetQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // as above
    }
  }

  private void checkWritable() {
    if (options.readOnly()) {
      throw new StorageReadOnlyException(
          "the store " + location + " was opened read-only; nothing was written");
    }
  }

  Connection directConnection() throws SQLException {
    Connection c = DriverManager.getConnection(location.jdbcUrl(), credentials);
    return c;
  }

  static long lockId(byte[] nsId) {
    return ByteBuffer.wrap(nsId).getLong();
  }

  private StoreSchema.MetaRecord<StorageUsage> usageRecord(byte[] nsId) {
    return new StoreSchema.MetaRecord<>(
        "usage",
        StoreSchema.ascii("usage:" + HexFormat.of().formatHex(nsId)),
        StoreSchema.UsageCodec.CODEC,
        true);
  }

  // ------------------------------------------------------------------ reads

  static byte[] fetchRecord(Connection c, byte[] nsId, byte[] keyId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("select record from nsl_values where ns = ? and k = ?")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    }
  }

  private byte[] fetch(Namespace namespace, byte[] ns, byte[] key) {
    checkKey(key, options.limits());
    byte[] nsId = names.nsId(ns);
    byte[] keyId = names.keyId(ns, key);
    return query("reading " + describe(namespace, key), c -> fetchRecord(c, nsId, keyId));
  }

  @Override
  public boolean encrypted() {
    return sealer.encrypted();
  }

  @Override
  public Optional<byte[]> read(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    PgReadCache.Entry cached = pins.read(namespace, ns, key);
    if (cached != null) {
      return Optional.ofNullable(cached.value());
    }
    byte[] raw = fetch(namespace, ns, key);
    if (raw == null) {
      return Optional.empty();
    }
    Object where = at(namespace, key);
    Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
    if (!h.manifest()) {
      return Optional.of(sealer.openValue(ns, key, raw, h, where).body());
    }
    return readVersioned(namespace, key).map(VersionedValue::value);
  }

  @Override
  public Optional<VersionedValue> readVersioned(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    PgReadCache.Entry cached = pins.read(namespace, ns, key);
    if (cached != null) {
      return cached.exists()
          ? Optional.of(new VersionedValue(cached.value(), cached.version()))
          : Optional.empty();
    }
    byte[] raw = fetch(namespace, ns, key);
    if (raw == null) {
      return Optional.empty();
    }
    return SealedReadStream.readWhole(
        sealer,
        options.limits().maxValueBytes(),
        ns,
        key,
        raw,
        at(namespace, key),
        () -> openChunks(namespace, key));
  }

  /**
   * {@link #readVersioned} and, in the same round trip, a version reserved for a take of the row at
   * the version read: {@link #takeAndPin} at that version is then one statement ({@link
   * PgStatePins#take}). A function's state (pinned or not) and streamed values are read as usual.
   */
  @Override
  public Optional<VersionedValue> readToTake(Namespace namespace, byte[] key) {
    if (namespace.isFunctionState()) {
      return readVersioned(namespace, key);
    }
    checkKey(key, options.limits());
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = names.nsId(ns);
    byte[] keyId = names.keyId(ns, key);
    Object[] got =
        query(
            "reading " + describe(namespace, key),
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "select (select record from nsl_values where ns = ? and k = ?),"
                          + " nextval('nsl_version_seq')")) {
                p.setBytes(1, nsId);
                p.setBytes(2, keyId);
                try (ResultSet r = p.executeQuery()) {
                  r.next();
                  return new Object[] {r.getBytes(1), r.getLong(2)};
                }
              }
            });
    return openToTake(namespace, key, (byte[]) got[0], (long) got[1]);
  }

  /**
   * A lock row read to be taken ({@code raw}, null when absent) opened, and remembered with the
   * version {@code reserved} in its read for {@link PgStatePins#take}; a streamed value is read
   * whole and not remembered.
   */
  private Optional<VersionedValue> openToTake(
      Namespace namespace, byte[] key, byte[] raw, long reserved) {
    if (raw == null) {
      return Optional.empty();
    }
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    Object where = at(namespace, key);
    Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
    if (h.manifest()) {
      return readVersioned(namespace, key);
    }
    Sealer.Opened o = sealer.openValue(ns, key, raw, h, where);
    pins.sawToTake(names.keyId(ns, key), o.header().version(), raw, reserved);
    return Optional.of(new VersionedValue(o.body(), o.header().version()));
  }

  @Override
  public boolean exists(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    PgReadCache.Entry cached = pins.read(namespace, ns, key);
    if (cached != null) {
      return cached.exists();
    }
    return fetch(namespace, ns, key) != null;
  }

  @Override
  public OptionalLong size(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    PgReadCache.Entry cached = pins.read(namespace, ns, key);
    if (cached != null) {
      return cached.exists() ? OptionalLong.of(cached.valueLength()) : OptionalLong.empty();
    }
    byte[] raw = fetch(namespace, ns, key);
    if (raw == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        sealer.openValue(ns, key, raw, at(namespace, key)).header().plainLength());
  }

  /**
   * Every key of the namespace is read and its sealed name opened, then filtered by prefix and
   * sorted: the database cannot order what it cannot read. O(keys in the namespace); from memory
   * while the namespace is pinned and was listed once.
   */
  @Override
  public List<byte[]> listKeys(Namespace namespace, byte[] prefix, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = names.nsId(ns);
    boolean pinned = pins.pinned(nsId);
    List<byte[]> all = pinned ? pins.cache().keys(nsId).orElse(null) : null;
    if (all == null) {
      all = allKeys(namespace, nsId);
      if (pinned) {
        pins.cache().putKeys(nsId, all);
      }
    }
    if (pinned) {
      all = pins.withWrites(nsId, all);
    }
    List<byte[]> keys = new ArrayList<>();
    for (byte[] key : all) {
      if (key.length >= prefix.length
          && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        keys.add(key);
      }
    }
    keys.sort(Arrays::compareUnsigned);
    return keys.size() > limit ? new ArrayList<>(keys.subList(0, limit)) : keys;
  }

  /**
   * One round trip: every row of the namespace with its sealed name and record, names opened and
   * filtered by prefix in the JVM, each record opened and authenticated as {@link #readVersioned}
   * does (a streamed value is read as usual). A pinned namespace is read through its pin.
   */
  @Override
  public List<Map.Entry<byte[], VersionedValue>> readAll(Namespace namespace, byte[] prefix) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = names.nsId(ns);
    if (pins.pinned(nsId)) {
      return PersistentStorageService.super.readAll(namespace, prefix);
    }
    List<byte[][]> rows =
        query(
            "reading " + namespace,
            c -> {
              List<byte[][]> out = new ArrayList<>();
              try (PreparedStatement p =
                  c.prepareStatement("select k, name, record from nsl_values where ns = ?")) {
                p.setBytes(1, nsId);
                try (ResultSet r = p.executeQuery()) {
                  while (r.next()) {
                    out.add(new byte[][] {r.getBytes(1), r.getBytes(2), r.getBytes(3)});
                  }
                }
              }
              return out;
            });
    List<Map.Entry<byte[], VersionedValue>> out = new ArrayList<>();
    for (byte[][] row : rows) {
      byte[] key = names.open(nsId, row[0], row[1])[1];
      if (key.length < prefix.length
          || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        continue;
      }
      Object where = at(namespace, key);
      Sealer.ValueHeader h = Sealer.peekHeader(row[2], where);
      if (h.manifest()) {
        readVersioned(namespace, key).ifPresent(v -> out.add(Map.entry(key, v)));
        continue;
      }
      Sealer.Opened o = sealer.openValue(ns, key, row[2], h, where);
      out.add(Map.entry(key, new VersionedValue(o.body(), o.header().version())));
    }
    out.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    return out;
  }

  private List<byte[]> allKeys(Namespace namespace, byte[] nsId) {
    List<byte[][]> rows =
        query(
            "listing keys of " + namespace,
            c -> {
              List<byte[][]> out = new ArrayList<>();
              try (PreparedStatement p =
                  c.prepareStatement("select k, name from nsl_values where ns = ?")) {
                p.setBytes(1, nsId);
                try (ResultSet r = p.executeQuery()) {
                  while (r.next()) {
                    out.add(new byte[][] {r.getBytes(1), r.getBytes(2)});
                  }
                }
              }
              return out;
            });
    List<byte[]> keys = new ArrayList<>(rows.size());
    for (byte[][] row : rows) {
      keys.add(names.open(nsId, row[0], row[1])[1]);
    }
    return keys;
  }

  // ------------------------------------------------------------------ pins

  /** See {@link PgStatePins#pin}. */
  @Override
  public StatePin pin(Namespace namespace, StorageFence fence) {
    return pins.pin(namespace, fence);
  }

  /**
   * One round trip when this store last saw the row at {@code expectedVersion}, by its release or
   * {@link #readToTake} ({@link PgStatePins#take}); else the batch and the pin, as the interface
   * says.
   */
  @Override
  public Optional<StatePin.Taken> takeAndPin(
      Namespace state,
      Namespace lockNamespace,
      byte[] lockKey,
      long expectedVersion,
      byte[] lockValue,
      byte[] freeValue) {
    checkWritable();
    PgStatePins.Tried fast = pins.take(state, lockNamespace, lockKey, expectedVersion, lockValue);
    if (fast != null) {
      return fast.taken();
    }
    return PersistentStorageService.super.takeAndPin(
        state, lockNamespace, lockKey, expectedVersion, lockValue, freeValue);
  }

  /**
   * {@link #takeAndPin}; when its one statement finds the row moved on, that statement has read the
   * row and reserved a version too, so the row is answered (and remembered as {@link #readToTake}
   * would) without another round trip. Else as the interface says.
   */
  @Override
  public StatePin.Attempt takeAndPinOrRead(
      Namespace state,
      Namespace lockNamespace,
      byte[] lockKey,
      long expectedVersion,
      byte[] lockValue,
      byte[] freeValue) {
    checkWritable();
    PgStatePins.Tried fast = pins.take(state, lockNamespace, lockKey, expectedVersion, lockValue);
    if (fast == null) {
      return PersistentStorageService.super.takeAndPinOrRead(
          state, lockNamespace, lockKey, expectedVersion, lockValue, freeValue);
    }
    if (fast.taken().isPresent()) {
      return StatePin.Attempt.took(fast.taken().get());
    }
    return StatePin.Attempt.found(
        openToTake(lockNamespace, lockKey, fast.foundRecord(), fast.reserved()));
  }

  /** The pins, for tests. */
  PgStatePins statePins() {
    return pins;
  }

  /** The read cache, for tests and metrics. */
  PgReadCache readCache() {
    return pins.cache();
  }

  @Override
  public Optional<io.nsl.storage.ReadCacheStats> readCacheStats() {
    return Optional.of(pins.cache().stats());
  }

  @Override
  public StorageUsage usage(Namespace namespace) {
    byte[] nsId = names.nsId(StoreSchema.namespaceBytes(namespace));
    return query("measuring " + namespace, c -> usageOf(c, namespace, nsId));
  }

  private StorageUsage usageOf(Connection c, Namespace namespace, byte[] nsId) throws SQLException {
    if (namespace.isFunctionState()) {
      try (PreparedStatement p =
          c.prepareStatement("select usage from nsl_namespaces where ns = ?")) {
        p.setBytes(1, nsId);
        try (ResultSet r = p.executeQuery()) {
          byte[] u = r.next() ? r.getBytes(1) : null;
          return u == null ? StorageUsage.EMPTY : PgSchema.open(usageRecord(nsId), u, sealer);
        }
      }
    }
    long bytes = 0;
    long keys = 0;
    try (PreparedStatement p =
        c.prepareStatement("select k, name, record from nsl_values where ns = ?")) {
      p.setBytes(1, nsId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          byte[] key = names.open(nsId, r.getBytes(1), r.getBytes(2))[1];
          keys++;
          bytes += key.length + Sealer.peekHeader(r.getBytes(3), namespace.name()).plainLength();
        }
      }
    }
    return new StorageUsage(bytes, keys);
  }

  @Override
  public Optional<InputStream> openReadStream(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] raw = fetch(namespace, ns, key);
    if (raw == null) {
      return Optional.empty();
    }
    Object where = at(namespace, key);
    if (!Sealer.peekHeader(raw, where).manifest()) {
      return Optional.of(new ByteArrayInputStream(sealer.openValue(ns, key, raw, where).body()));
    }
    return Optional.ofNullable(openChunks(namespace, key));
  }

  /** A reader over its own connection in a repeatable-read transaction; null if it vanished. */
  private PgReadStream openChunks(Namespace namespace, byte[] key) {
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = names.nsId(ns);
    byte[] keyId = names.keyId(ns, key);
    Object where = at(namespace, key);
    return guarded(
        () -> {
          Connection c = null;
          try {
            c = directConnection();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            byte[] raw = fetchRecord(c, nsId, keyId);
            if (raw == null) {
              c.close();
              return null;
            }
            Sealer.Opened o = sealer.openValue(ns, key, raw, where);
            Sealer.Manifest m =
                o.header().manifest() ? Sealer.Manifest.decode(o.body(), where) : null;
            PgReadStream in =
                new PgReadStream(
                    this,
                    c,
                    ns,
                    key,
                    nsId,
                    keyId,
                    where,
                    m,
                    m == null ? o.body() : null,
                    o.header().plainLength(),
                    o.header().version());
            openStreams.add(in);
            return in;
          } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.map(e, "opening a read stream for " + where, location);
          } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
          }
        });
  }

  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // nothing left to release
      }
    }
  }

  void forgetStream(AutoCloseable s) {
    openStreams.remove(s);
  }

  Sealer sealer() {
    return sealer;
  }

  PgLocation location() {
    return location;
  }

  StorageOptions options() {
    return options;
  }

  SecureRandom random() {
    return random;
  }

  boolean isClosed() {
    return closed;
  }

  // ------------------------------------------------------------------ mutations

  /** One change; a batch of them is applied in one transaction. */
  sealed interface Mut permits PutOp, PutManifestOp, DeleteOp, ExpectOp {
    Namespace namespace();

    byte[] key();
  }

  record PutOp(Namespace namespace, byte[] key, byte[] value) implements Mut {}

  record PutManifestOp(
      Namespace namespace, byte[] key, Sealer.Manifest manifest, long total, long generation)
      implements Mut {}

  record DeleteOp(Namespace namespace, byte[] key) implements Mut {}

  record ExpectOp(Namespace namespace, byte[] key, long version) implements Mut {}

  /** {@code stamps}: per pinned namespace id, its stamp before and after the batch. */
  record Applied(long version, boolean firstExisted, Map<ByteBuffer, long[]> stamps) {}

  /**
   * A write of a pinned namespace is held by its pin until the run's release ({@link
   * PgStatePins#write}) and answers the run's reserved version.
   */
  @Override
  public long write(Namespace namespace, byte[] key, byte[] value) {
    PgStatePins.Pin pin = pins.pinOf(namespace);
    if (pin != null) {
      checkWritable();
      return pins.write(pin, key, value);
    }
    return apply(List.of(new PutOp(namespace, key, value))).version();
  }

  @Override
  public boolean delete(Namespace namespace, byte[] key) {
    PgStatePins.Pin pin = pins.pinOf(namespace);
    if (pin != null) {
      checkWritable();
      return pins.delete(pin, key);
    }
    return apply(List.of(new DeleteOp(namespace, key))).firstExisted();
  }

  @Override
  public boolean compareAndSet(
      Namespace namespace, byte[] key, long expectedVersion, byte[] newValue) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, got " + expectedVersion);
    }
    try {
      apply(
          List.of(
              new ExpectOp(namespace, key, expectedVersion), new PutOp(namespace, key, newValue)));
      return true;
    } catch (StorageVersionConflictException e) {
      return false;
    }
  }

  @Override
  public long commit(StorageBatch batch) {
    List<Mut> ops = new ArrayList<>(batch.ops().size());
    for (StorageBatch.Op op : batch.ops()) {
      ops.add(
          switch (op) {
            case StorageBatch.Put p -> new PutOp(p.namespace(), p.key(), p.value());
            case StorageBatch.Delete d -> new DeleteOp(d.namespace(), d.key());
            case StorageBatch.ExpectVersion e -> new ExpectOp(e.namespace(), e.key(), e.version());
          });
    }
    return apply(ops, batch.lazy()).version();
  }

  /** Takes the advisory lock of every namespace (sorted: no deadlock) and a fresh version. */
  private static long lockAndVersion(Connection c, Set<String> nsIdsHex) throws SQLException {
    StringBuilder sql = new StringBuilder("select nextval('nsl_version_seq')");
    for (int i = 0; i < nsIdsHex.size(); i++) {
      sql.append(", pg_advisory_xact_lock(?)");
    }
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String hex : nsIdsHex) {
        p.setLong(i++, lockId(HexFormat.of().parseHex(hex)));
      }
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  static void checkValueSize(
      Namespace namespace, byte[] key, long length, io.nsl.storage.StorageLimits limits) {
    if (length > limits.maxValueBytes()) {
      throw new StorageValueTooLargeException(
          "value for "
              + describe(namespace, key)
              + " has "
              + length
              + " bytes, the limit is "
              + limits.maxValueBytes()
              + "; write it with openWriteStream or split it");
    }
  }

  Applied apply(List<Mut> ops) {
    return apply(ops, false);
  }

  /** {@code lazy}: commit with {@code synchronous_commit = off} ({@link StorageBatch#lazy}). */
  private Applied apply(List<Mut> ops, boolean lazy) {
    checkWritable();
    checkOps(ops);
    List<PgStatePins.Pin> fenced = pins.of(ops);
    if (!fenced.isEmpty()) {
      throw new IllegalStateException(
          "namespace "
              + fenced.get(0).namespace
              + " is pinned by the run holding its function's lock, which holds its writes until"
              + " it releases the lock: write it with write or delete during the run, anything"
              + " else after it");
    }
    return transaction("writing", c -> applyIn(c, ops, fenced, 0, lazy));
  }

  // Check everything a caller can get wrong before touching the database.
  private void checkOps(List<Mut> ops) {
    for (Mut m : ops) {
      StoreSchema.namespaceBytes(m.namespace());
      checkKey(m.key(), options.limits());
      if (m instanceof PutOp p) {
        checkValueSize(m.namespace(), m.key(), p.value().length, options.limits());
      }
    }
  }

  /**
   * A pinned run's writes and its lock row's release, committed at the pin's version if the lock
   * row is still the fence's ({@link PgStatePins#checkFences}); the cache takes the writes.
   */
  void applyReleasing(List<Mut> ops, PgStatePins.Pin pin) {
    checkWritable();
    checkOps(ops);
    List<PgStatePins.Pin> fenced = List.of(pin);
    Applied applied;
    try {
      applied = transaction("releasing", c -> applyIn(c, ops, fenced, pin.version(), false));
    } catch (RuntimeException e) {
      pins.failed(fenced);
      throw e;
    }
    pins.committed(fenced, ops, applied);
  }

  private Applied applyIn(
      Connection c, List<Mut> ops, List<PgStatePins.Pin> fenced, long reserved, boolean lazy)
      throws SQLException {
    Set<String> locks = new TreeSet<>();
    for (Mut m : ops) {
      locks.add(HexFormat.of().formatHex(names.nsId(StoreSchema.namespaceBytes(m.namespace()))));
    }
    Map<ByteBuffer, long[]> stamps = new HashMap<>();
    Map<ByteBuffer, StorageUsage> usages = new HashMap<>(); // pinned namespaces', prefetched
    Map<ByteBuffer, byte[]> stored = new HashMap<>();
    List<Mut> reads = new ArrayList<>(ops);
    for (PgStatePins.Pin p : fenced) {
      reads.add(new ExpectOp(p.fence.namespace(), p.fence.key(), p.fence.version()));
      stamps.put(ByteBuffer.wrap(p.nsId), new long[2]);
    }
    long version =
        lockAndPrefetch(c, locks, reserved, lazy, reads, !fenced.isEmpty(), stamps, usages, stored);
    if (!fenced.isEmpty()) {
      pins.checkFences(fenced, stored);
    }
    Map<ByteBuffer, byte[][]> rowWrites = new LinkedHashMap<>();
    List<byte[][]> chunkDrops = new ArrayList<>();
    Boolean firstExisted = null;
    Map<ByteBuffer, StoredValue> seen = new HashMap<>();
    Map<Namespace, long[]> deltas = new LinkedHashMap<>();
    for (Mut m : ops) {
      byte[] ns = StoreSchema.namespaceBytes(m.namespace());
      byte[] key = m.key();
      byte[] nsId = names.nsId(ns);
      byte[] keyId = names.keyId(ns, key);
      ByteBuffer id = ByteBuffer.wrap(keyId);
      StoredValue cur = seen.get(id);
      boolean needAuth = m instanceof ExpectOp;
      if (cur == null) {
        cur = load(stored.get(id), m.namespace(), ns, key, needAuth);
      } else if (needAuth && !cur.authentic()) {
        // Written by this batch already, or loaded unauthenticated: read the stored bytes again.
        cur = load(rowWrites.containsKey(id) ? null : stored.get(id), m.namespace(), ns, key, true);
      }
      if (firstExisted == null) {
        firstExisted = cur.exists();
      }
      switch (m) {
        case ExpectOp e -> {
          cur.requireVersion(e.version(), m.namespace(), key);
          seen.put(id, cur);
        }
        case PutOp p -> {
          rowWrites.put(
              id,
              new byte[][] {
                nsId,
                keyId,
                names.seal(ns, key, keyId),
                sealer.sealValue(ns, key, version, p.value())
              });
          dropChunks(chunkDrops, nsId, keyId, cur);
          StoredValue.account(deltas, m.namespace(), key.length, cur, true, p.value().length);
          seen.put(id, new StoredValue(true, version, p.value().length, null, true));
        }
        case PutManifestOp p -> {
          if (generation(c, nsId) != p.generation()) {
            throw new StorageNamespaceDeletedException(
                "namespace "
                    + m.namespace()
                    + " was deleted while the stream for "
                    + describe(m.namespace(), key)
                    + " was open; nothing was committed (its function was deregistered?)");
          }
          rowWrites.put(
              id,
              new byte[][] {
                nsId,
                keyId,
                names.seal(ns, key, keyId),
                sealer.sealManifest(ns, key, version, p.manifest(), p.total())
              });
          dropChunks(chunkDrops, nsId, keyId, cur);
          StoredValue.account(deltas, m.namespace(), key.length, cur, true, p.total());
          seen.put(id, new StoredValue(true, version, p.total(), p.manifest(), true));
        }
        case DeleteOp d -> {
          if (cur.exists()) {
            rowWrites.put(id, new byte[][] {nsId, keyId, null, null});
            dropChunks(chunkDrops, nsId, keyId, cur);
            StoredValue.account(deltas, m.namespace(), key.length, cur, false, 0);
          }
          seen.put(id, StoredValue.ABSENT);
        }
      }
    }
    StorageQuota quota = options.functionQuota();
    List<StorageUsage> newUsage = new ArrayList<>();
    for (Map.Entry<Namespace, long[]> e : deltas.entrySet()) {
      Namespace n = e.getKey();
      long[] d = e.getValue();
      byte[] nsId = names.nsId(StoreSchema.namespaceBytes(n));
      StorageUsage u = usages.get(ByteBuffer.wrap(nsId));
      if (u == null) {
        u = usageOf(c, n, nsId);
      }
      long bytes = Math.max(0, u.bytes() + d[0]);
      long keys = Math.max(0, u.keys() + d[1]);
      quota.checkWrite(n, u.bytes(), u.keys(), bytes, keys);
      newUsage.add(new StorageUsage(bytes, keys));
    }
    writeRows(c, rowWrites.values(), chunkDrops);
    int i = 0;
    for (Namespace n : deltas.keySet()) {
      byte[] nsId = names.nsId(StoreSchema.namespaceBytes(n));
      try (PreparedStatement p =
          c.prepareStatement(
              "insert into nsl_namespaces (ns, generation, usage, epoch) values (?, 0, ?, ?)"
                  + " on conflict (ns) do update set usage = excluded.usage, epoch ="
                  + " excluded.epoch returning stamp")) {
        p.setBytes(1, nsId);
        p.setBytes(2, PgSchema.seal(usageRecord(nsId), newUsage.get(i++), sealer));
        p.setInt(3, sealer.currentEpoch());
        try (ResultSet r = p.executeQuery()) {
          r.next();
          long[] st = stamps.get(ByteBuffer.wrap(nsId));
          if (st != null) {
            st[1] = r.getLong(1);
          }
        }
      }
    }
    for (long[] st : stamps.values()) {
      if (st[1] == 0) {
        st[1] = st[0]; // no row of the namespace changed
      }
    }
    return new Applied(version, firstExisted != null && firstExisted, stamps);
  }

  /**
   * Takes the advisory lock of every namespace (sorted: no deadlock) and the batch's version (a
   * fresh one, or {@code reserved} if not 0; {@code lazy} turns {@code synchronous_commit} off for
   * the transaction), then reads the stored records of every key the batch names into {@code
   * stored} (keyed by the key HMAC, which already binds the namespace). Two statements in one round
   * trip: the driver sends a multi-statement query at once, and the server runs the read after the
   * locks are taken, in a snapshot of its own (read committed), so it sees what they protect.
   *
   * <p>With {@code fenced}, the rows are read {@code for share}, so a worker taking a lock over
   * waits for this commit (or this batch sees its new lock row), and the pinned namespaces' stamps
   * and usages (function state: no row or no usage is none) before the batch are read too, into
   * {@code stamps} (whose keys name them) and {@code usages}.
   */
  private long lockAndPrefetch(
      Connection c,
      Set<String> locks,
      long reserved,
      boolean lazy,
      List<Mut> reads,
      boolean fenced,
      Map<ByteBuffer, long[]> stamps,
      Map<ByteBuffer, StorageUsage> usages,
      Map<ByteBuffer, byte[]> stored)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(reserved == 0 ? "select nextval('nsl_version_seq')" : "select ?::bigint");
    if (lazy) {
      sql.append(", set_config('synchronous_commit', 'off', true)");
    }
    for (int i = 0; i < locks.size(); i++) {
      sql.append(", pg_advisory_xact_lock(?)");
    }
    Map<String, List<byte[]>> byNs = new LinkedHashMap<>();
    for (Mut m : reads) {
      byte[] ns = StoreSchema.namespaceBytes(m.namespace());
      byNs.computeIfAbsent(HexFormat.of().formatHex(names.nsId(ns)), x -> new ArrayList<>())
          .add(names.keyId(ns, m.key()));
    }
    sql.append("; select k, record, null::bigint from (select k, record from nsl_values where ");
    for (int i = 0; i < byNs.size(); i++) {
      sql.append(i == 0 ? "" : " or ").append("(ns = ? and k = any(?))");
    }
    sql.append(
        fenced
            ? " for share) v union all select ns, usage, stamp from nsl_namespaces where ns ="
                + " any(?)"
            : ") v");
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      int i = 1;
      if (reserved != 0) {
        p.setLong(i++, reserved);
      }
      for (String hex : locks) {
        p.setLong(i++, lockId(HexFormat.of().parseHex(hex)));
      }
      for (Map.Entry<String, List<byte[]>> e : byNs.entrySet()) {
        p.setBytes(i++, HexFormat.of().parseHex(e.getKey()));
        p.setArray(i++, c.createArrayOf("bytea", e.getValue().toArray(new byte[0][])));
      }
      if (fenced) {
        List<byte[]> ids = new ArrayList<>();
        for (ByteBuffer b : stamps.keySet()) {
          ids.add(b.array());
          usages.put(b, StorageUsage.EMPTY); // unless its row says otherwise, below
        }
        p.setArray(i, c.createArrayOf("bytea", ids.toArray(new byte[0][])));
      }
      p.execute();
      long version;
      try (ResultSet r = p.getResultSet()) {
        r.next();
        version = r.getLong(1);
      }
      if (!p.getMoreResults()) {
        throw new IllegalStateException("the batch's prefetch answered no rows: a driver bug?");
      }
      try (ResultSet r = p.getResultSet()) {
        while (r.next()) {
          long stamp = r.getLong(3);
          if (r.wasNull()) {
            stored.put(ByteBuffer.wrap(r.getBytes(1)), r.getBytes(2));
          } else {
            byte[] nsId = r.getBytes(1);
            stamps.get(ByteBuffer.wrap(nsId))[0] = stamp;
            byte[] u = r.getBytes(2);
            if (u != null) {
              usages.put(ByteBuffer.wrap(nsId), PgSchema.open(usageRecord(nsId), u, sealer));
            }
          }
        }
      }
      return version;
    }
  }

  /** The batch's final row states (upserts; a null record is a delete) and chunk drops. */
  private void writeRows(
      Connection c, java.util.Collection<byte[][]> rows, List<byte[][]> chunkDrops)
      throws SQLException {
    try (PreparedStatement up =
            c.prepareStatement(
                "insert into nsl_values (ns, k, name, record, epoch) values (?, ?, ?, ?, ?) on"
                    + " conflict (ns, k) do update set name = excluded.name, record ="
                    + " excluded.record, epoch = excluded.epoch");
        PreparedStatement del =
            c.prepareStatement("delete from nsl_values where ns = ? and k = ?")) {
      int ups = 0;
      int dels = 0;
      for (byte[][] r : rows) {
        if (r[3] == null) {
          del.setBytes(1, r[0]);
          del.setBytes(2, r[1]);
          del.addBatch();
          dels++;
        } else {
          up.setBytes(1, r[0]);
          up.setBytes(2, r[1]);
          up.setBytes(3, r[2]);
          up.setBytes(4, r[3]);
          up.setInt(5, sealer.currentEpoch());
          up.addBatch();
          ups++;
        }
      }
      if (dels > 0) {
        del.executeBatch();
      }
      if (ups > 0) {
        up.executeBatch();
      }
    }
    if (!chunkDrops.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement("delete from nsl_chunks where ns = ? and k = ? and stream_id = ?")) {
        for (byte[][] d : chunkDrops) {
          p.setBytes(1, d[0]);
          p.setBytes(2, d[1]);
          p.setBytes(3, d[2]);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
  }

  private StoredValue load(
      byte[] raw, Namespace namespace, byte[] ns, byte[] key, boolean authenticate) {
    return StoredValue.load(sealer, raw, ns, key, at(namespace, key), authenticate, LOG);
  }

  private static void dropChunks(List<byte[][]> drops, byte[] nsId, byte[] keyId, StoredValue cur) {
    if (cur.manifest() != null) {
      drops.add(new byte[][] {nsId, keyId, cur.manifest().streamId()});
    }
  }

  /** The namespace's deletion generation (0 before its first deletion). */
  static long generation(Connection c, byte[] nsId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("select generation from nsl_namespaces where ns = ?")) {
      p.setBytes(1, nsId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  long generationOf(Namespace namespace) {
    byte[] nsId = names.nsId(StoreSchema.namespaceBytes(namespace));
    return query("reading " + namespace, c -> generation(c, nsId));
  }

  @Override
  public StorageUsage deleteNamespace(Namespace namespace) {
    checkWritable();
    byte[] nsId = names.nsId(StoreSchema.namespaceBytes(namespace));
    StorageUsage before =
        transaction(
            "deleting namespace " + namespace,
            c -> {
              lockAndVersion(c, Set.of(HexFormat.of().formatHex(nsId)));
              StorageUsage u = usageOf(c, namespace, nsId);
              for (String table : List.of("nsl_values", "nsl_chunks")) {
                try (PreparedStatement p =
                    c.prepareStatement("delete from " + table + " where ns = ?")) {
                  p.setBytes(1, nsId);
                  p.executeUpdate();
                }
              }
              try (PreparedStatement p =
                  c.prepareStatement(
                      "insert into nsl_namespaces (ns, generation, usage, epoch) values (?, 1,"
                          + " null, ?) on conflict (ns) do update set generation ="
                          + " nsl_namespaces.generation + 1, usage = null")) {
                p.setBytes(1, nsId);
                p.setInt(2, sealer.currentEpoch());
                p.executeUpdate();
              }
              return u;
            });
    pins.cache().invalidate(nsId);
    LOG.info("deleted namespace {} ({} keys, {} bytes)", namespace, before.keys(), before.bytes());
    return before;
  }

  @Override
  public StorageWriteStream openWriteStream(Namespace namespace, byte[] key) {
    checkWritable();
    StoreSchema.namespaceBytes(namespace);
    checkKey(key, options.limits());
    long generation = generationOf(namespace);
    return guarded(
        () -> {
          PgWriteStream s = new PgWriteStream(this, namespace, key, generation);
          openStreams.add(s);
          return s;
        });
  }

  void insertChunk(Connection c, byte[] nsId, byte[] keyId, byte[] streamId, int index, byte[] rec)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "insert into nsl_chunks (ns, k, stream_id, idx, record, epoch) values (?, ?, ?, ?, ?,"
                + " ?)")) {
      p.setBytes(1, nsId);
      p.setBytes(2, keyId);
      p.setBytes(3, streamId);
      p.setInt(4, index);
      p.setBytes(5, rec);
      p.setInt(6, sealer.currentEpoch());
      p.executeUpdate();
    }
  }

  // ------------------------------------------------------------------ epochs

  @Override
  public RekeyProgress rekeyStep(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
    }
    checkWritable();
    if (!sealer.encrypted()) {
      return new RekeyProgress(0, 0, 0, 0, true, Optional.empty());
    }
    return new PgRekeying(this).step(maxRecords);
  }

  @Override
  public Optional<RekeyProgress> rekeyCursor() {
    if (!sealer.encrypted()) {
      return Optional.empty();
    }
    return new PgRekeying(this).cursor();
  }

  @Override
  public void restartRekey() {
    checkWritable();
    query(
        "restarting the rekey",
        c -> {
          try (PreparedStatement p = c.prepareStatement("delete from nsl_meta where name = ?")) {
            p.setString(1, StoreSchema.REKEY_CURSOR.name());
            p.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public SortedMap<Integer, Long> sealedRecordsByEpoch() {
    if (!sealer.encrypted()) {
      return new TreeMap<>();
    }
    return new PgRekeying(this).countByEpoch();
  }

  @Override
  public void forgetEpoch(int epoch) {
    if (epochKeys != null) {
      epochKeys.forget(epoch);
    }
  }

  <T> T inTransaction(String doing, Sql<T> body) {
    return transaction(doing, body);
  }

  <T> T inQuery(String doing, Sql<T> body) {
    return query(doing, body);
  }

  PgNames names() {
    return names;
  }

  /** Runs {@code body} on a connection of its own (not the pool's), under the lifecycle lock. */
  <T> T guardedCall(java.util.function.Supplier<T> body) {
    return guarded(body);
  }

  StoreSchema.MetaRecord<StorageUsage> usageRecordOf(byte[] nsId) {
    return usageRecord(nsId);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Commits are durable when they return; there is nothing to flush. */
  @Override
  public void flush() {
    guarded(() -> null);
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    for (AutoCloseable s : List.copyOf(openStreams)) {
      try {
        if (s instanceof PgWriteStream w) {
          w.release();
        } else if (s instanceof PgReadStream r) {
          r.release();
        }
      } catch (RuntimeException e) {
        LOG.warn("closing a stream of {} failed: {}", location, e.getMessage());
      }
    }
    openStreams.clear();
    pool.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
