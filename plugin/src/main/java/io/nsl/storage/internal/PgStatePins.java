package io.nsl.storage.internal;

import static io.nsl.storage.internal.StorageKeys.at;
import static io.nsl.storage.internal.StorageKeys.checkKey;
import static io.nsl.storage.internal.StorageKeys.describe;

import io.nsl.storage.Namespace;
import io.nsl.storage.StatePin;
import io.nsl.storage.StorageFence;
import io.nsl.storage.StorageFenceLostException;
import io.nsl.storage.StorageOutcomeUnknownException;
import io.nsl.storage.StorageQuota;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's pinned namespaces (decision 1010; docs/storage.md, "Read cache" and "A
 * run's writes"): the function state whose lock this worker holds. A pin reads the namespace's
 * stamp and usage and reserves the run's commit version, in one round trip, and validates the
 * {@link PgReadCache} with the stamp; reads of the namespace are then served from memory (misses
 * read the database and are remembered). The run's writes are held in the pin (its reads see them;
 * the quota is checked at each write against the usage read at the pin plus the writes held) and
 * committed by {@link Pin#release} together with the lock row's release, in one transaction that
 * checks the lock row is still the fence's; the cache then takes them. When the pin could confirm
 * the fence row's record, the release is one statement that compares that record byte for byte
 * ({@link #releaseInOneStatement}); a take after this store's own release is one statement too
 * ({@link #take}); otherwise the release opens and checks the row in a transaction ({@link
 * #checkFences}).
 *
 * <p>Why this is safe across workers: while a worker holds a function's lock, only it writes the
 * state; a write by anyone else (another worker after a takeover, an administrator with SQL, a
 * rekey) changes the stamp, which the next pin sees. A worker frozen past its lock may read stale
 * values from its cache, but its writes are fenced, and its run is dropped.
 *
 * <p>Threading: any thread; one pin per namespace at a time.
 */
final class PgStatePins {
  private static final Logger LOG = LoggerFactory.getLogger(PgStorage.class);

  private final PgStorage store;
  private final PgReadCache cache;
  private final Map<ByteBuffer, Pin> pins = new ConcurrentHashMap<>();

  PgStatePins(PgStorage store, PgReadCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /**
   * A pinned namespace: its fence, the run's commit version, the namespace's usage with the run's
   * writes, the writes held (a null value is a delete), and whether the commit was refused.
   */
  final class Pin implements StatePin {
    final Namespace namespace;
    final byte[] ns;
    final byte[] nsId;
    final StorageFence fence;
    // The fence row's sealed record as this store wrote or authenticated it (null: unknown), which
    // lets the release compare the row byte for byte in SQL: one round trip.
    final byte[] fenceRecord;
    private final long version;
    private final Map<ByteBuffer, byte[]> writes = new LinkedHashMap<>();
    private long usageBytes;
    private long usageKeys;
    // A key of the run's writes holds a streamed value now: its chunks must go, the general path.
    private boolean overwritesStream;
    private boolean done;
    volatile boolean lost;
    // Set when the release's outcome is unknown: the released value it wrote, for the read-back.
    private volatile byte[] unknownRelease;
    // The run's record the release wrote (null: none), for the read-back; and the record of an
    // earlier run of the same request that the release or the read-back found instead.
    private volatile StatePin.RunRecord record;
    private volatile Namespace records;
    private volatile byte[] earlier;

    Pin(Namespace namespace, byte[] ns, byte[] nsId, StorageFence fence, Opened at) {
      this.namespace = namespace;
      this.ns = ns;
      this.nsId = nsId;
      this.fence = fence;
      this.fenceRecord = at.fenceRecord();
      this.version = at.version();
      this.usageBytes = at.usage().bytes();
      this.usageKeys = at.usage().keys();
    }

    /** The version the run's writes get: reserved at the pin, used by the release's commit. */
    long version() {
      return version;
    }

    @Override
    public boolean fenceLost() {
      return lost;
    }

    @Override
    public long release(byte[] releasedFenceValue) {
      return PgStatePins.this.release(this, releasedFenceValue.clone(), null, null, List.of());
    }

    @Override
    public long release(
        byte[] releasedFenceValue,
        Namespace records,
        StatePin.RunRecord record,
        List<byte[]> forget) {
      if (records.isFunctionState()) {
        throw new IllegalArgumentException(
            "a run's records must not be in a function's namespace, got " + records);
      }
      return PgStatePins.this.release(
          this, releasedFenceValue.clone(), records, record, List.copyOf(forget));
    }

    @Override
    public Optional<byte[]> earlierRecord() {
      byte[] e = earlier;
      return e == null ? Optional.empty() : Optional.of(e.clone());
    }

    @Override
    public ReleaseOutcome readBackRelease() {
      byte[] released = unknownRelease;
      if (released == null) {
        throw new IllegalStateException(
            "the release of " + namespace + " has no unknown outcome to read back");
      }
      ReleaseOutcome o = PgStatePins.this.readBack(this, released);
      LOG.info("the release of {} (its run's version {}) read back: {}", namespace, version, o);
      return o;
    }

    @Override
    public void close() {
      synchronized (this) {
        done = true;
        writes.clear();
      }
      if (pins.remove(ByteBuffer.wrap(nsId), this)) {
        cache.unpin(nsId);
      }
    }

    private synchronized void requireOpen() {
      if (done) {
        throw new IllegalStateException(
            "the pin of " + namespace + " was released or closed; its run is over");
      }
    }
  }

  /**
   * What one round trip reads when pinning: the commit version, the stamp, the usage, and the fence
   * row's record if it is the fence's (else null).
   */
  record Opened(long version, long stamp, io.nsl.storage.StorageUsage usage, byte[] fenceRecord) {}

  /**
   * A fence row as this store last saw it, by its own release or by {@link PgStorage#readToTake}:
   * at {@code version}, sealed as {@code record}, and a version reserved in the same round trip,
   * after the row's, for the next take ({@link #take}).
   */
  private record Known(long version, byte[] record, long nextVersion) {}

  // Per fence row (its key HMAC), how this store last saw it; a take consumes it.
  private final Map<ByteBuffer, Known> known = new ConcurrentHashMap<>();
  // How many takes and releases went in one statement (tests check which path ran).
  private final java.util.concurrent.atomic.LongAdder oneStatementTakes =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder oneStatementReleases =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * Pins {@code namespace} ({@link io.nsl.storage.PersistentStorageService#pin}): one round trip
   * reserves the run's version and reads the namespace's stamp and usage; what the cache holds at
   * another stamp is dropped.
   */
  StatePin pin(Namespace namespace, StorageFence fence) {
    if (!namespace.isFunctionState()) {
      throw new IllegalArgumentException(
          "only a function's state can be pinned, not namespace " + namespace);
    }
    byte[] ns = StoreSchema.namespaceBytes(namespace);
    byte[] nsId = store.names().nsId(ns);
    ByteBuffer id = ByteBuffer.wrap(nsId);
    if (pins.containsKey(id)) {
      throw alreadyPinned(namespace);
    }
    byte[] fns = StoreSchema.namespaceBytes(fence.namespace());
    byte[] fnsId = store.names().nsId(fns);
    byte[] fkeyId = store.names().keyId(fns, fence.key());
    Opened at = store.inQuery("pinning " + namespace, c -> open(c, nsId, fnsId, fkeyId, fence));
    Pin pin = new Pin(namespace, ns, nsId, fence, at);
    if (pins.putIfAbsent(id, pin) != null) {
      throw alreadyPinned(namespace);
    }
    cache.validate(nsId, at.stamp());
    return pin;
  }

  private static IllegalStateException alreadyPinned(Namespace namespace) {
    return new IllegalStateException(
        "namespace "
            + namespace
            + " is already pinned in this store: one run of a function at a time holds its"
            + " lock; close the first pin before taking another");
  }

  /**
   * A fresh version, the namespace's stamp (it changes with every row written, deleted or edited in
   * it) and sealed usage, and the fence row's record, in one round trip.
   */
  private Opened open(Connection c, byte[] nsId, byte[] fnsId, byte[] fkeyId, StorageFence fence)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "select nextval('nsl_version_seq'), (select stamp from nsl_namespaces where ns = ?),"
                + " (select usage from nsl_namespaces where ns = ?), (select record from nsl_values"
                + " where ns = ? and k = ?)")) {
      p.setBytes(1, nsId);
      p.setBytes(2, nsId);
      p.setBytes(3, fnsId);
      p.setBytes(4, fkeyId);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return new Opened(
            r.getLong(1),
            r.getLong(2),
            usage(nsId, r.getBytes(3)),
            fenceRecord(fence, r.getBytes(4)));
      }
    }
  }

  private io.nsl.storage.StorageUsage usage(byte[] nsId, byte[] sealed) {
    return sealed == null
        ? io.nsl.storage.StorageUsage.EMPTY
        : PgSchema.open(store.usageRecordOf(nsId), sealed, store.sealer());
  }

  /**
   * {@code raw} if it is a record of the fence's row, authentic, at its version and value: then a
   * byte comparison in SQL stands for the fence check; else null (the release checks it the long
   * way, and refuses).
   */
  private byte[] fenceRecord(StorageFence f, byte[] raw) {
    if (raw == null) {
      return null;
    }
    byte[] fns = StoreSchema.namespaceBytes(f.namespace());
    try {
      Sealer.Opened o = store.sealer().openValue(fns, f.key(), raw, at(f.namespace(), f.key()));
      return !o.header().manifest() && f.holdsAt(o.header().version(), o.body()) ? raw : null;
    } catch (RuntimeException e) {
      return null; // a tampered or foreign row: the release's full check reports it
    }
  }

  /** The pin holding {@code namespace}'s writes, or null when it is not pinned here. */
  Pin pinOf(Namespace namespace) {
    if (pins.isEmpty() || !namespace.isFunctionState()) {
      return null;
    }
    return pins.get(ByteBuffer.wrap(store.names().nsId(StoreSchema.namespaceBytes(namespace))));
  }

  /**
   * Holds a put of the pinned namespace, after the checks a commit would make: the key, the value's
   * size, and the quota against the usage with the run's earlier writes.
   */
  long write(Pin p, byte[] key, byte[] value) {
    checkKey(key, store.options().limits());
    PgStorage.checkValueSize(p.namespace, key, value.length, store.options().limits());
    synchronized (p) {
      p.requireOpen();
      long before = storedLength(p, key);
      long bytes =
          p.usageBytes - (before < 0 ? 0 : key.length + before) + key.length + value.length;
      long keys = p.usageKeys + (before < 0 ? 1 : 0);
      StorageQuota quota = store.options().functionQuota();
      quota.checkWrite(p.namespace, p.usageBytes, p.usageKeys, bytes, keys);
      p.usageBytes = bytes;
      p.usageKeys = keys;
      p.writes.put(ByteBuffer.wrap(key.clone()), value.clone());
      return p.version;
    }
  }

  /** Holds a delete of the pinned namespace; answers whether the key existed (for this run). */
  boolean delete(Pin p, byte[] key) {
    checkKey(key, store.options().limits());
    synchronized (p) {
      p.requireOpen();
      long before = storedLength(p, key);
      if (before >= 0) {
        p.usageBytes = Math.max(0, p.usageBytes - key.length - before);
        p.usageKeys = Math.max(0, p.usageKeys - 1);
      }
      p.writes.put(ByteBuffer.wrap(key.clone()), null);
      return before >= 0;
    }
  }

  /** The plaintext length of {@code key} as the run sees it, or -1 when absent. */
  private long storedLength(Pin p, byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (p.writes.containsKey(k)) {
      byte[] v = p.writes.get(k);
      return v == null ? -1 : v.length;
    }
    PgReadCache.Entry e = read(p.namespace, p.ns, key);
    if (e != null) {
      return e.exists() ? e.valueLength() : -1;
    }
    // A streamed value (never cached): its header says its length.
    byte[] keyId = store.names().keyId(p.ns, key);
    byte[] raw =
        store.inQuery(
            "reading " + describe(p.namespace, key), c -> PgStorage.fetchRecord(c, p.nsId, keyId));
    if (raw == null) {
      return -1;
    }
    Sealer.ValueHeader h = Sealer.peekHeader(raw, at(p.namespace, key));
    p.overwritesStream |= h.manifest();
    return h.plainLength();
  }

  /** {@code stored}, the namespace's keys in the database, as the run sees them with its writes. */
  List<byte[]> withWrites(byte[] nsId, List<byte[]> stored) {
    Pin p = pins.isEmpty() ? null : pins.get(ByteBuffer.wrap(nsId));
    if (p == null) {
      return stored;
    }
    synchronized (p) {
      if (p.writes.isEmpty()) {
        return stored;
      }
      java.util.TreeMap<ByteBuffer, byte[]> keys = new java.util.TreeMap<>();
      for (byte[] k : stored) {
        keys.put(ByteBuffer.wrap(k), k);
      }
      for (Map.Entry<ByteBuffer, byte[]> w : p.writes.entrySet()) {
        if (w.getValue() == null) {
          keys.remove(w.getKey());
        } else {
          keys.put(w.getKey(), w.getKey().array().clone());
        }
      }
      return new ArrayList<>(keys.values());
    }
  }

  /**
   * {@link Pin#release}: the run's writes and the fence row's new value in one fenced commit at the
   * pin's version: one statement when the pin knows the fence row's record ({@link
   * #releaseInOneStatement}), else a transaction that reads the row and checks it ({@link
   * PgStorage#applyReleasing}). A commit whose outcome is unknown (the connection broke) is
   * resolved by reading the fence row back ({@link #readBack}); when that read fails too, the
   * release throws {@link StorageOutcomeUnknownException} and the pin keeps what the read-back
   * needs.
   */
  private long release(
      Pin p,
      byte[] releasedFenceValue,
      Namespace records,
      StatePin.RunRecord record,
      List<byte[]> forget) {
    Map<ByteBuffer, byte[]> writes;
    synchronized (p) {
      p.requireOpen();
      p.done = true;
      writes = new LinkedHashMap<>(p.writes);
      p.writes.clear();
    }
    p.record = record;
    p.records = records;
    try {
      if (p.fenceRecord != null && !p.overwritesStream) {
        try {
          releaseInOneStatement(p, writes, releasedFenceValue, records, record, forget);
        } catch (RuntimeException e) {
          cache.invalidate(p.nsId);
          throw e;
        }
        return p.version;
      }
      if (record != null) {
        // The long way (rare: a streamed value overwritten, or the fence row unconfirmed at the
        // pin): the record is read first. Only a holder of the lock writes it, and the commit
        // below is fenced, so it cannot appear in between.
        byte[] earlier = readRecord(records, record.key());
        if (earlier != null) {
          p.earlier = earlier;
          writes.clear(); // an earlier run of the request committed: release the lock only
        }
      }
      List<PgStorage.Mut> ops = new ArrayList<>();
      for (Map.Entry<ByteBuffer, byte[]> w : writes.entrySet()) {
        byte[] key = w.getKey().array();
        ops.add(
            w.getValue() == null
                ? new PgStorage.DeleteOp(p.namespace, key)
                : new PgStorage.PutOp(p.namespace, key, w.getValue()));
      }
      ops.add(new PgStorage.PutOp(p.fence.namespace(), p.fence.key(), releasedFenceValue));
      if (record != null && p.earlier == null) {
        ops.add(new PgStorage.PutOp(records, record.key(), record.value()));
      }
      for (byte[] k : forget) {
        ops.add(new PgStorage.DeleteOp(records, k));
      }
      store.applyReleasing(ops, p);
      return p.version;
    } catch (io.nsl.storage.StorageUnreachableException e) {
      StatePin.ReleaseOutcome o;
      try {
        o = readBack(p, releasedFenceValue);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
        p.unknownRelease = releasedFenceValue;
        throw unknown(p, e);
      }
      switch (o) {
        case COMMITTED -> {
          LOG.info(
              "the release of {} lost its connection but had committed (its lock row is at {})",
              p.namespace,
              p.version);
          return p.version;
        }
        case NOT_COMMITTED -> throw e; // nothing written, and nothing can be any more
        case UNDECIDABLE -> {
          p.unknownRelease = releasedFenceValue;
          throw unknown(p, e);
        }
        default -> throw new IllegalStateException("unexpected outcome " + o);
      }
    } finally {
      if (pins.remove(ByteBuffer.wrap(p.nsId), p)) {
        cache.unpin(p.nsId);
      }
    }
  }

  /** The value of {@code records}' row at {@code key} (a run's record), or null. */
  private byte[] readRecord(Namespace records, byte[] key) {
    byte[] rns = StoreSchema.namespaceBytes(records);
    byte[] rnsId = store.names().nsId(rns);
    byte[] keyId = store.names().keyId(rns, key);
    byte[] raw =
        store.inQuery(
            "reading the record " + describe(records, key),
            c -> PgStorage.fetchRecord(c, rnsId, keyId));
    return openRecord(records, key, raw);
  }

  private byte[] openRecord(Namespace records, byte[] key, byte[] raw) {
    if (raw == null) {
      return null;
    }
    byte[] rns = StoreSchema.namespaceBytes(records);
    return store.sealer().openValue(rns, key, raw, at(records, key)).body();
  }

  private static final String FENCED =
      " where exists (select 1 from nsl_values where ns = ? and k = ? and record = ?)";

  /**
   * The release as one statement sent in one round trip and committed as one (autocommit: the
   * driver sends its parts with one Sync, which the server runs as one implicit transaction): the
   * namespaces' advisory locks (sorted, as every writer takes them); the fence row replaced by its
   * released record only if it still holds, byte for byte, the record of the fence (sealed with its
   * version and value: the check {@link #checkFences} makes after opening it); the stamp before;
   * then the run's upserts, deletes and sealed usage, each only if the row now holds the released
   * record (random nonce: nobody else's). A fence that no longer holds writes nothing.
   */
  private void releaseInOneStatement(
      Pin p,
      Map<ByteBuffer, byte[]> writes,
      byte[] releasedValue,
      Namespace records,
      StatePin.RunRecord record,
      List<byte[]> forget) {
    PgNames names = store.names();
    Sealer sealer = store.sealer();
    int epoch = sealer.currentEpoch();
    byte[] fns = StoreSchema.namespaceBytes(p.fence.namespace());
    byte[] fnsId = names.nsId(fns);
    byte[] fkey = p.fence.key();
    byte[] fkeyId = names.keyId(fns, fkey);
    byte[] releasedRecord = sealer.sealValue(fns, fkey, p.version, releasedValue);
    // The run's record: its key id (the state's writes apply only where no row is there yet), and
    // its row, inserted last (where still absent).
    byte[] rns = records == null ? null : StoreSchema.namespaceBytes(records);
    byte[] rnsId = rns == null ? null : names.nsId(rns);
    byte[] recKeyId = record == null ? null : names.keyId(rns, record.key());
    String absent = record == null ? "" : ABSENT;
    List<byte[]> forgetIds = new ArrayList<>();
    for (byte[] k : forget) {
      forgetIds.add(names.keyId(rns, k));
    }
    List<byte[]> putKeys = new ArrayList<>();
    List<byte[]> putNames = new ArrayList<>();
    List<byte[]> putRecords = new ArrayList<>();
    List<byte[]> delKeys = new ArrayList<>();
    Map<ByteBuffer, PgReadCache.Entry> written = new LinkedHashMap<>();
    for (Map.Entry<ByteBuffer, byte[]> w : writes.entrySet()) {
      byte[] key = w.getKey().array();
      byte[] keyId = names.keyId(p.ns, key);
      if (w.getValue() == null) {
        delKeys.add(keyId);
        written.put(w.getKey(), new PgReadCache.Entry(null, 0));
      } else {
        putKeys.add(keyId);
        putNames.add(names.seal(p.ns, key, keyId));
        putRecords.add(sealer.sealValue(p.ns, key, p.version, w.getValue()));
        written.put(w.getKey(), new PgReadCache.Entry(w.getValue(), p.version));
      }
    }
    long usageBytes;
    long usageKeys;
    synchronized (p) {
      usageBytes = p.usageBytes;
      usageKeys = p.usageKeys;
    }
    byte[] usage =
        writes.isEmpty()
            ? null
            : PgSchema.seal(
                store.usageRecordOf(p.nsId),
                new io.nsl.storage.StorageUsage(usageBytes, usageKeys),
                sealer);
    // The namespaces' advisory locks in the order every writer takes them (PgStorage.applyIn).
    java.util.HexFormat hex = java.util.HexFormat.of();
    java.util.TreeMap<String, byte[]> locked = new java.util.TreeMap<>();
    locked.put(hex.formatHex(p.nsId), p.nsId);
    locked.put(hex.formatHex(fnsId), fnsId);
    if (record != null || !forgetIds.isEmpty()) {
      locked.put(hex.formatHex(rnsId), rnsId);
    }
    StringBuilder sql =
        new StringBuilder(
            "select "
                + String.join(
                    ", ", java.util.Collections.nCopies(locked.size(), "pg_advisory_xact_lock(?)"))
                + "; with released as (update"
                + " nsl_values set name = ?, record = ?, epoch = ? where ns = ? and k = ? and"
                + " record = ? returning 1) select (select count(*) from released), (select stamp"
                + " from nsl_namespaces where ns = ?), nextval('nsl_version_seq')"
                + (record == null
                    ? ""
                    : ", (select record from nsl_values where ns = ? and k = ?)"));
    if (!putKeys.isEmpty()) {
      sql.append(
              "; insert into nsl_values (ns, k, name, record, epoch) select ?, u.k, u.n, u.r, ?"
                  + " from unnest(?::bytea[], ?::bytea[], ?::bytea[]) as u(k, n, r)")
          .append(FENCED)
          .append(absent)
          .append(
              " on conflict (ns, k) do update set name = excluded.name, record ="
                  + " excluded.record, epoch = excluded.epoch");
    }
    if (!delKeys.isEmpty()) {
      sql.append("; delete from nsl_values v where v.ns = ? and v.k = any(?) and exists (select 1")
          .append(" from nsl_values where ns = ? and k = ? and record = ?)")
          .append(absent);
    }
    if (usage != null) {
      sql.append("; insert into nsl_namespaces (ns, generation, usage, epoch) select ?, 0, ?, ?")
          .append(FENCED)
          .append(absent)
          .append(
              " on conflict (ns) do update set usage = excluded.usage, epoch = excluded.epoch"
                  + " returning stamp");
    }
    if (record != null) {
      sql.append("; insert into nsl_values (ns, k, name, record, epoch) select ?, ?, ?, ?, ?")
          .append(FENCED)
          .append(" on conflict (ns, k) do nothing");
    }
    if (!forgetIds.isEmpty()) {
      sql.append("; delete from nsl_values v where v.ns = ? and v.k = any(?) and exists (select 1")
          .append(" from nsl_values where ns = ? and k = ? and record = ?)");
    }
    Released outcome =
        store.inQuery(
            "releasing the lock of " + p.namespace,
            c -> {
              try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (byte[] id : locked.values()) {
                  q.setLong(i++, PgStorage.lockId(id));
                }
                q.setBytes(i++, names.seal(fns, fkey, fkeyId));
                q.setBytes(i++, releasedRecord);
                q.setInt(i++, epoch);
                q.setBytes(i++, fnsId);
                q.setBytes(i++, fkeyId);
                q.setBytes(i++, p.fenceRecord);
                q.setBytes(i++, p.nsId);
                if (record != null) {
                  q.setBytes(i++, rnsId);
                  q.setBytes(i++, recKeyId);
                }
                if (!putKeys.isEmpty()) {
                  q.setBytes(i++, p.nsId);
                  q.setInt(i++, epoch);
                  q.setArray(i++, c.createArrayOf("bytea", putKeys.toArray(new byte[0][])));
                  q.setArray(i++, c.createArrayOf("bytea", putNames.toArray(new byte[0][])));
                  q.setArray(i++, c.createArrayOf("bytea", putRecords.toArray(new byte[0][])));
                  i = fenced(q, i, fnsId, fkeyId, releasedRecord);
                  i = absent(q, i, rnsId, recKeyId);
                }
                if (!delKeys.isEmpty()) {
                  q.setBytes(i++, p.nsId);
                  q.setArray(i++, c.createArrayOf("bytea", delKeys.toArray(new byte[0][])));
                  i = fenced(q, i, fnsId, fkeyId, releasedRecord);
                  i = absent(q, i, rnsId, recKeyId);
                }
                if (usage != null) {
                  q.setBytes(i++, p.nsId);
                  q.setBytes(i++, usage);
                  q.setInt(i++, epoch);
                  i = fenced(q, i, fnsId, fkeyId, releasedRecord);
                  i = absent(q, i, rnsId, recKeyId);
                }
                if (record != null) {
                  q.setBytes(i++, rnsId);
                  q.setBytes(i++, recKeyId);
                  q.setBytes(i++, names.seal(rns, record.key(), recKeyId));
                  q.setBytes(i++, sealer.sealValue(rns, record.key(), p.version, record.value()));
                  q.setInt(i++, epoch);
                  i = fenced(q, i, fnsId, fkeyId, releasedRecord);
                }
                if (!forgetIds.isEmpty()) {
                  q.setBytes(i++, rnsId);
                  q.setArray(i++, c.createArrayOf("bytea", forgetIds.toArray(new byte[0][])));
                  fenced(q, i, fnsId, fkeyId, releasedRecord);
                }
                return results(q, record != null);
              }
            });
    if (outcome.released() != 1) {
      p.lost = true;
      throw new StorageFenceLostException(
          "the lock of "
              + p.namespace
              + " was taken over by another worker while this run went on (its lock row "
              + describe(p.fence.namespace(), fkey)
              + " no longer holds what this run wrote at version "
              + p.fence.version()
              + "); nothing of the run was written: drop this run, the request runs again under a"
              + " fresh lock");
    }
    oneStatementReleases.increment();
    known.put(ByteBuffer.wrap(fkeyId), new Known(p.version, releasedRecord, outcome.nextVersion()));
    if (outcome.earlierRecord() != null) {
      // An earlier run of this request committed: the run's writes were not applied.
      p.earlier = openRecord(records, record.key(), outcome.earlierRecord());
      return;
    }
    if (!written.isEmpty()) {
      cache.wrote(p.nsId, outcome.stampBefore(), outcome.stampAfter(), written, Set.of());
    }
  }

  /** Where the run's record is absent (a state write applies only then). */
  private static final String ABSENT =
      " and not exists (select 1 from nsl_values where ns = ? and k = ?)";

  private static int absent(PreparedStatement q, int i, byte[] nsId, byte[] keyId)
      throws SQLException {
    if (keyId == null) {
      return i;
    }
    q.setBytes(i++, nsId);
    q.setBytes(i++, keyId);
    return i;
  }

  private static int fenced(PreparedStatement q, int i, byte[] nsId, byte[] keyId, byte[] record)
      throws SQLException {
    q.setBytes(i++, nsId);
    q.setBytes(i++, keyId);
    q.setBytes(i++, record);
    return i;
  }

  /**
   * The release's answers: rows released (1, or 0 when the fence moved), the state's stamp before,
   * the version reserved for the next take, the stamp after (the usage's upsert's, when it wrote),
   * and the run's record found already there (sealed; null when absent or not asked).
   */
  private record Released(
      long released, long stampBefore, long nextVersion, long stampAfter, byte[] earlierRecord) {}

  private static Released results(PreparedStatement q, boolean withRecord) throws SQLException {
    long[] out = new long[4];
    byte[] earlier = null;
    int sets = 0;
    boolean isSet = q.execute();
    while (isSet || q.getUpdateCount() != -1) {
      if (isSet) {
        try (ResultSet r = q.getResultSet()) {
          sets++;
          if (sets == 2 && r.next()) {
            out[0] = r.getLong(1);
            out[1] = r.getLong(2);
            out[2] = r.getLong(3);
            if (withRecord) {
              earlier = r.getBytes(4);
            }
          } else if (sets == 3 && r.next()) {
            out[3] = r.getLong(1);
          }
        }
      }
      isSet = q.getMoreResults();
    }
    if (sets < 2) {
      throw new IllegalStateException("the release answered " + sets + " rows: a driver bug?");
    }
    return new Released(out[0], out[1], out[2], out[3], earlier);
  }

  /**
   * What {@link #take} did: took the row, or found it moved on, sealed as {@code foundRecord}
   * (null: absent), with {@code reserved} drawn after it in the same statement.
   */
  record Tried(Optional<StatePin.Taken> taken, byte[] foundRecord, long reserved) {}

  /** Remembers a fence row as {@link PgStorage#readToTake} read it, for {@link #take}. */
  void sawToTake(byte[] keyId, long version, byte[] record, long reserved) {
    known.put(ByteBuffer.wrap(keyId.clone()), new Known(version, record, reserved));
  }

  /**
   * {@link PgStorage#takeAndPin} in one round trip, when this store last saw the lock row at {@code
   * expectedVersion} (its own release, or {@link PgStorage#readToTake}): the row is replaced, at
   * the version reserved then, only if it still holds the record seen byte for byte, and the pin's
   * version, stamp and usage are read in the same commit (lazy: {@code synchronous_commit} off,
   * decision 1010).
   *
   * <p>When the row moved on, the same statement has read it as it stands and reserved a version
   * (the one the pin would have had), which {@link PgStorage#takeAndPinOrRead} keeps as {@link
   * #sawToTake} would: a take after another worker's release is then two round trips.
   *
   * @return the taken row and its pin, or the row found instead (nothing written); null when this
   *     store does not know the row at that version, or it was resealed (take it the long way)
   */
  Tried take(
      Namespace state, Namespace lockNs, byte[] lockKey, long expectedVersion, byte[] lockValue) {
    byte[] fns = StoreSchema.namespaceBytes(lockNs);
    byte[] fnsId = store.names().nsId(fns);
    byte[] fkeyId = store.names().keyId(fns, lockKey);
    Known r = known.get(ByteBuffer.wrap(fkeyId));
    if (r == null
        || r.version() != expectedVersion
        || !state.isFunctionState()
        || !known.remove(ByteBuffer.wrap(fkeyId), r)) {
      return null; // a stale version is refused the long way; the record stays for the right one
    }
    checkKey(lockKey, store.options().limits());
    byte[] ns = StoreSchema.namespaceBytes(state);
    byte[] nsId = store.names().nsId(ns);
    ByteBuffer id = ByteBuffer.wrap(nsId);
    if (pins.containsKey(id)) {
      throw alreadyPinned(state);
    }
    Sealer sealer = store.sealer();
    byte[] takeRecord = sealer.sealValue(fns, lockKey, r.nextVersion(), lockValue);
    byte[] name = store.names().seal(fns, lockKey, fkeyId);
    Object[] row =
        store.inQuery(
            "taking " + describe(lockNs, lockKey),
            c -> {
              try (PreparedStatement q =
                  c.prepareStatement(
                      "select set_config('synchronous_commit', 'off', true),"
                          + " pg_advisory_xact_lock(?); with took as (update nsl_values set name"
                          + " = ?, record = ?, epoch = ? where ns = ? and k = ? and record = ?"
                          + " returning 1) select (select count(*) from took),"
                          + " nextval('nsl_version_seq'), (select stamp from nsl_namespaces where"
                          + " ns = ?), (select usage from nsl_namespaces where ns = ?), (select"
                          + " record from nsl_values where ns = ? and k = ?)")) {
                q.setLong(1, PgStorage.lockId(fnsId));
                q.setBytes(2, name);
                q.setBytes(3, takeRecord);
                q.setInt(4, sealer.currentEpoch());
                q.setBytes(5, fnsId);
                q.setBytes(6, fkeyId);
                q.setBytes(7, r.record());
                q.setBytes(8, nsId);
                q.setBytes(9, nsId);
                q.setBytes(10, fnsId);
                q.setBytes(11, fkeyId);
                q.execute();
                if (!q.getMoreResults()) {
                  throw new IllegalStateException("the take answered no row: a driver bug?");
                }
                try (ResultSet a = q.getResultSet()) {
                  a.next();
                  return new Object[] {
                    a.getLong(1), a.getLong(2), a.getLong(3), a.getBytes(4), a.getBytes(5)
                  };
                }
              }
            });
    if ((long) row[0] != 1) {
      byte[] now = (byte[]) row[4];
      boolean resealed =
          now != null && Sealer.peekHeader(now, at(lockNs, lockKey)).version() == expectedVersion;
      // The version drawn for the pin is unused: drawn after the row's, it may be the next take's.
      return resealed ? null : new Tried(Optional.empty(), now, (long) row[1]);
    }
    StorageFence fence = new StorageFence(lockNs, lockKey, r.nextVersion(), lockValue);
    try {
      Opened at =
          new Opened((long) row[1], (long) row[2], usage(nsId, (byte[]) row[3]), takeRecord);
      Pin pin = new Pin(state, ns, nsId, fence, at);
      if (pins.putIfAbsent(id, pin) != null) {
        throw alreadyPinned(state);
      }
      cache.validate(nsId, at.stamp());
      oneStatementTakes.increment();
      return new Tried(Optional.of(new StatePin.Taken(r.nextVersion(), pin)), null, 0);
    } catch (RuntimeException e) {
      undoTake(fnsId, fkeyId, takeRecord, r.record(), e);
      throw e;
    }
  }

  /** Puts the released record back after a take whose pin failed (else the lock waits out). */
  private void undoTake(
      byte[] fnsId, byte[] fkeyId, byte[] takeRecord, byte[] releasedRecord, RuntimeException e) {
    try {
      store.inQuery(
          "undoing a take",
          c -> {
            try (PreparedStatement q =
                c.prepareStatement(
                    "select pg_advisory_xact_lock(?); update nsl_values set record = ?, epoch = ?"
                        + " where ns = ? and k = ? and record = ?")) {
              q.setLong(1, PgStorage.lockId(fnsId));
              q.setBytes(2, releasedRecord);
              // The epoch that sealed the record put back (the rekey's index must not miss it).
              q.setInt(3, Sealer.peekHeader(releasedRecord, "the lock row put back").epoch());
              q.setBytes(4, fnsId);
              q.setBytes(5, fkeyId);
              q.setBytes(6, takeRecord);
              q.execute();
              return null;
            }
          });
    } catch (RuntimeException again) {
      e.addSuppressed(again); // the lock frees itself at its lifetime's end
    }
  }

  private static StorageOutcomeUnknownException unknown(Pin p, RuntimeException cause) {
    return new StorageOutcomeUnknownException(
        "the release of the lock of "
            + p.namespace
            + " (its run's writes at version "
            + p.version
            + ") lost its connection during the commit, and its lock row could not be read back"
            + " to learn whether it landed ("
            + cause.getMessage()
            + "); the run may have been written: do not run it again before reading the row back"
            + " (StatePin.readBackRelease) once PostgreSQL answers",
        cause);
  }

  /**
   * Reads the fence row back after a release whose outcome is unknown, and makes the answer final
   * (decision 1010, "A release of unknown outcome"). In one transaction: the fence namespace's
   * advisory lock first, which the release holds until its commit ends, so a release still in
   * flight on the broken connection has committed or rolled back before the row is read (in a
   * statement of its own: a statement's snapshot is taken when it starts); then the row. At the
   * pin's version: committed. Still the fence's (its version and value): not committed, and the row
   * is replaced by {@code releasedValue} at a fresh version in the same transaction, so the lost
   * release, were it to reach the server late, finds the row moved and writes nothing (found again
   * by a later read-back, whose answer to an earlier one was lost: the row holds this worker's
   * released value at a version after the fence's). Anything else: another worker took the lock
   * since, and the row cannot tell.
   */
  private StatePin.ReleaseOutcome readBack(Pin p, byte[] releasedValue) {
    StorageFence f = p.fence;
    byte[] fns = StoreSchema.namespaceBytes(f.namespace());
    byte[] fnsId = store.names().nsId(fns);
    byte[] fkey = f.key();
    byte[] fkeyId = store.names().keyId(fns, fkey);
    StatePin.RunRecord record = p.record;
    Namespace records = p.records;
    byte[] rns = records == null ? null : StoreSchema.namespaceBytes(records);
    byte[] rnsId = rns == null ? new byte[0] : store.names().nsId(rns);
    byte[] recKeyId = record == null ? null : store.names().keyId(rns, record.key());
    return store.inTransaction(
        "reading back the release of the lock of " + p.namespace,
        c -> {
          try (PreparedStatement q = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            q.setLong(1, PgStorage.lockId(fnsId));
            q.execute();
          }
          long fresh;
          byte[] raw;
          byte[] recordRaw;
          try (PreparedStatement q =
              c.prepareStatement(
                  "select nextval('nsl_version_seq'), (select record from nsl_values where ns = ?"
                      + " and k = ?), (select record from nsl_values where ns = ? and k = ?)")) {
            q.setBytes(1, fnsId);
            q.setBytes(2, fkeyId);
            q.setBytes(3, rnsId);
            q.setBytes(4, recKeyId == null ? new byte[0] : recKeyId);
            try (ResultSet r = q.executeQuery()) {
              r.next();
              fresh = r.getLong(1);
              raw = r.getBytes(2);
              recordRaw = r.getBytes(3);
            }
          }
          // The run's record decides where the lock row cannot: it commits only with the release
          // (this run's, or an earlier run's of the same request, whose answer then stands), and
          // it is removed only a while after its request ended (io.nsl.workers.EndedAnswers).
          byte[] found = record == null ? null : openRecord(records, record.key(), recordRaw);
          boolean ours = found != null && java.util.Arrays.equals(found, record.value());
          if (found != null && !ours) {
            p.earlier = found;
          }
          StatePin.ReleaseOutcome byRecord =
              record == null
                  ? StatePin.ReleaseOutcome.UNDECIDABLE
                  : ours
                      ? StatePin.ReleaseOutcome.COMMITTED
                      : StatePin.ReleaseOutcome.NOT_COMMITTED;
          if (raw == null) {
            return byRecord;
          }
          Sealer.Opened row = store.sealer().openValue(fns, fkey, raw, at(f.namespace(), fkey));
          if (row.header().manifest()) {
            return byRecord;
          }
          if (row.header().version() == p.version) {
            return StatePin.ReleaseOutcome.COMMITTED;
          }
          if (row.header().version() > f.version()
              && java.util.Arrays.equals(row.body(), releasedValue)) {
            // An earlier read-back released it (its commit's answer was lost): only this worker
            // writes this value, and it releases nothing else of this lock while the run waits.
            return StatePin.ReleaseOutcome.NOT_COMMITTED;
          }
          if (!f.holdsAt(row.header().version(), row.body())) {
            return byRecord;
          }
          Sealer sealer = store.sealer();
          try (PreparedStatement q =
              c.prepareStatement(
                  "update nsl_values set name = ?, record = ?, epoch = ? where ns = ? and k = ?"
                      + " and record = ?")) {
            q.setBytes(1, store.names().seal(fns, fkey, fkeyId));
            q.setBytes(2, sealer.sealValue(fns, fkey, fresh, releasedValue));
            q.setInt(3, sealer.currentEpoch());
            q.setBytes(4, fnsId);
            q.setBytes(5, fkeyId);
            q.setBytes(6, raw);
            if (q.executeUpdate() != 1) {
              throw new IllegalStateException(
                  "the lock row of " + p.namespace + " moved under its advisory lock: a bug?");
            }
          }
          return StatePin.ReleaseOutcome.NOT_COMMITTED;
        });
  }

  /**
   * A read of a pinned namespace, from the cache or from the database into it; null when the
   * namespace is not pinned or the value is streamed (the caller reads it as usual).
   */
  PgReadCache.Entry read(Namespace namespace, byte[] ns, byte[] key) {
    if (pins.isEmpty() || !namespace.isFunctionState()) {
      return null;
    }
    byte[] nsId = store.names().nsId(ns);
    Pin pin = pins.get(ByteBuffer.wrap(nsId));
    if (pin == null) {
      return null;
    }
    checkKey(key, store.options().limits());
    synchronized (pin) {
      ByteBuffer k = ByteBuffer.wrap(key);
      if (pin.writes.containsKey(k)) {
        return new PgReadCache.Entry(
            pin.writes.get(k), pin.writes.get(k) == null ? 0 : pin.version);
      }
    }
    Optional<PgReadCache.Entry> hit = cache.get(nsId, key);
    if (hit.isPresent()) {
      return hit.get();
    }
    byte[] keyId = store.names().keyId(ns, key);
    byte[] raw =
        store.inQuery(
            "reading " + describe(namespace, key), c -> PgStorage.fetchRecord(c, nsId, keyId));
    PgReadCache.Entry e;
    if (raw == null) {
      e = new PgReadCache.Entry(null, 0);
    } else {
      Object where = at(namespace, key);
      Sealer.ValueHeader h = Sealer.peekHeader(raw, where);
      if (h.manifest()) {
        return null;
      }
      Sealer.Opened o = store.sealer().openValue(ns, key, raw, h, where);
      e = new PgReadCache.Entry(o.body(), o.header().version());
    }
    cache.put(nsId, key, e);
    return e;
  }

  /** The pins among the namespaces a batch writes. */
  List<Pin> of(List<PgStorage.Mut> ops) {
    if (pins.isEmpty()) {
      return List.of();
    }
    List<Pin> out = new ArrayList<>();
    for (PgStorage.Mut m : ops) {
      if (m instanceof PgStorage.ExpectOp || !m.namespace().isFunctionState()) {
        continue;
      }
      Pin p =
          pins.get(ByteBuffer.wrap(store.names().nsId(StoreSchema.namespaceBytes(m.namespace()))));
      if (p != null && !out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Refuses the batch if a pin's lock row is no longer at its fence's version and value. */
  void checkFences(List<Pin> fenced, Map<ByteBuffer, byte[]> stored) {
    for (Pin p : fenced) {
      StorageFence f = p.fence;
      byte[] fns = StoreSchema.namespaceBytes(f.namespace());
      byte[] fkey = f.key();
      byte[] raw = stored.get(ByteBuffer.wrap(store.names().keyId(fns, fkey)));
      Sealer.Opened lockRow =
          raw == null ? null : store.sealer().openValue(fns, fkey, raw, at(f.namespace(), fkey));
      if (lockRow == null
          || lockRow.header().manifest()
          || !f.holdsAt(lockRow.header().version(), lockRow.body())) {
        p.lost = true;
        throw new StorageFenceLostException(
            "the lock of "
                + p.namespace
                + " was taken over by another worker while this run went on (its lock row "
                + describe(f.namespace(), fkey)
                + " is at version "
                + (lockRow == null ? "none" : lockRow.header().version())
                + ", this run holds "
                + f.version()
                + " or holds another value); nothing of the run was written: drop this run, the"
                + " request runs again under a fresh lock");
      }
    }
  }

  /** After a committed batch: the pinned namespaces' caches take its writes. */
  void committed(List<Pin> fenced, List<PgStorage.Mut> ops, PgStorage.Applied applied) {
    for (Pin p : fenced) {
      Map<ByteBuffer, PgReadCache.Entry> written = new LinkedHashMap<>();
      Set<ByteBuffer> uncached = new HashSet<>();
      for (PgStorage.Mut m : ops) {
        if (!m.namespace().equals(p.namespace)) {
          continue;
        }
        ByteBuffer k = ByteBuffer.wrap(m.key().clone());
        switch (m) {
          case PgStorage.PutOp put -> {
            written.put(k, new PgReadCache.Entry(put.value(), applied.version()));
            uncached.remove(k);
          }
          case PgStorage.DeleteOp d -> {
            written.put(k, new PgReadCache.Entry(null, 0));
            uncached.remove(k);
          }
          case PgStorage.PutManifestOp pm -> {
            written.remove(k);
            uncached.add(k);
          }
          case PgStorage.ExpectOp e -> {}
        }
      }
      long[] st = applied.stamps().get(ByteBuffer.wrap(p.nsId));
      if (st == null) {
        cache.invalidate(p.nsId);
      } else {
        cache.wrote(p.nsId, st[0], st[1], written, uncached);
      }
    }
  }

  /** After a batch failed (perhaps committed, if the connection broke): forget what is cached. */
  void failed(List<Pin> fenced) {
    for (Pin p : fenced) {
      cache.invalidate(p.nsId);
    }
  }

  boolean pinned(byte[] nsId) {
    return !pins.isEmpty() && pins.containsKey(ByteBuffer.wrap(nsId));
  }

  PgReadCache cache() {
    return cache;
  }

  /** Takes made in one statement ({@link #take}) since the store opened. */
  long oneStatementTakes() {
    return oneStatementTakes.sum();
  }

  /** Releases made in one statement ({@link #releaseInOneStatement}) since the store opened. */
  long oneStatementReleases() {
    return oneStatementReleases.sum();
  }
}
