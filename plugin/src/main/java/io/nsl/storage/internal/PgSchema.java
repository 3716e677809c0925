package io.nsl.storage.internal;

import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageSchemaTooNewException;
import io.nsl.storage.StorageTamperedException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL store's tables, created and migrated by versioned steps recorded in {@code
 * nsl_schema_version} (decision 1002: our own table, not Flyway), and its metadata: the format
 * record, the key check and the sealed name key that HMACs namespaces and keys. Everything runs in
 * one transaction under an advisory lock, so workers starting at once neither migrate twice nor
 * create two name keys.
 */
final class PgSchema {
  private PgSchema() {}

  /** Migrations, in order: index 0 is version 1. Append only; never edit a published step. */
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "create table nsl_meta (name text primary key, record bytea not null)",
              // ns = HMAC(name key, namespace), k = HMAC(name key, namespace, key); name = the
              // sealed namespace and key (for listings); record = the sealed value record; epoch =
              // the cluster epoch that sealed both (unauthenticated, for the rekey's index only).
              "create table nsl_values (ns bytea not null, k bytea not null, name bytea not null,"
                  + " record bytea not null, epoch int not null, primary key (ns, k))",
              "create table nsl_chunks (ns bytea not null, k bytea not null, stream_id bytea not"
                  + " null, idx int not null, record bytea not null, epoch int not null,"
                  + " primary key (ns, k, stream_id, idx))",
              // generation rises on every deleteNamespace (a stream opened before cannot commit);
              // usage = the sealed usage record of a function-state namespace.
              "create table nsl_namespaces (ns bytea primary key, generation bigint not null,"
                  + " usage bytea, epoch int not null)",
              "create sequence nsl_version_seq"),
          // 2: a namespace's stamp changes, in the same transaction, with every row written,
          // deleted or edited in it, by this store or by anyone with SQL (a trigger, not the
          // application). A read cache validated by the stamp (PgReadCache) therefore also sees
          // an administrator's edits at its next validation.
          List.of(
              "alter table nsl_namespaces add column stamp bigint not null default 0",
              "create sequence nsl_stamp_seq",
              "create function nsl_bump_stamp() returns trigger language plpgsql as $$ begin"
                  + " insert into nsl_namespaces (ns, generation, usage, epoch, stamp) values"
                  + " (coalesce(new.ns, old.ns), 0, null, coalesce(new.epoch, old.epoch),"
                  + " nextval('nsl_stamp_seq')) on conflict (ns) do update set stamp ="
                  + " excluded.stamp; return null; end $$",
              "create trigger nsl_values_stamp after insert or update or delete on nsl_values"
                  + " for each row execute function nsl_bump_stamp()"));

  static final int CURRENT = MIGRATIONS.size();

  /** Serialises schema set-up across processes ("NSLSCHEM"). */
  private static final long SCHEMA_LOCK = 0x4e534c534348454dL;

  static final StoreSchema.MetaRecord<byte[]> NAME_KEY =
      new StoreSchema.MetaRecord<>(
          "name key",
          StoreSchema.ascii("namekey"),
          new StoreSchema.Codec<>() {
            @Override
            public byte[] encode(byte[] value) {
              return value.clone();
            }

            @Override
            public byte[] decode(byte[] bytes, Object where) {
              if (bytes.length != 32) {
                throw Sealer.tampered(where, "name key of " + bytes.length + " bytes");
              }
              return bytes;
            }
          },
          true);

  /**
   * Checks or creates the schema and metadata; returns the name key (the caller clears it).
   *
   * @throws StorageOpenException no store in the database and not allowed to create one
   * @throws StorageSchemaTooNewException a newer NSL migrated the schema
   * @throws StorageKeyMismatchException another storage key or encryption setting
   */
  static byte[] open(
      Connection c, StorageOptions o, Sealer sealer, PgLocation at, SecureRandom random)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      byte[] nameKey = openInTransaction(c, o, sealer, at, random);
      c.commit();
      return nameKey;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static byte[] openInTransaction(
      Connection c, StorageOptions o, Sealer sealer, PgLocation at, SecureRandom random)
      throws SQLException {
    boolean exists;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select to_regclass('nsl_schema_version') is not null")) {
      r.next();
      exists = r.getBoolean(1);
    }
    if (!exists && (o.readOnly() || !o.createIfMissing())) {
      throw new StorageOpenException(
          "database '"
              + at.database()
              + "' at "
              + at.server()
              + " holds no NSL store (no nsl_schema_version table)"
              + (o.readOnly()
                  ? "; a read-only open cannot create one"
                  : "; open it with create-if-missing to create one"));
    }
    if (!o.readOnly()) {
      try (Statement s = c.createStatement()) {
        s.execute("select pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        s.execute(
            "create table if not exists nsl_schema_version (version int primary key,"
                + " applied_at timestamptz not null default now(), by_nsl text not null)");
      }
    }
    int version;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select coalesce(max(version), 0) from nsl_schema_version")) {
      r.next();
      version = r.getInt(1);
    }
    if (version > CURRENT) {
      throw new StorageSchemaTooNewException(
          "the store in database '"
              + at.database()
              + "' at "
              + at.server()
              + " has schema version "
              + version
              + ", newer than this NSL knows ("
              + CURRENT
              + "); a newer NSL migrated it. Run that version (or newer) of NSL, or restore the"
              + " database from before the upgrade");
    }
    if (version < CURRENT && o.readOnly()) {
      throw new StorageOpenException(
          "the store in database '"
              + at.database()
              + "' has schema version "
              + version
              + " and this NSL needs "
              + CURRENT
              + "; a read-only open cannot migrate it: open it writable once");
    }
    for (int v = version + 1; v <= CURRENT; v++) {
      try (Statement s = c.createStatement()) {
        for (String sql : MIGRATIONS.get(v - 1)) {
          s.execute(sql);
        }
      }
      try (PreparedStatement p =
          c.prepareStatement("insert into nsl_schema_version (version, by_nsl) values (?, ?)")) {
        p.setInt(1, v);
        p.setString(2, "schema step " + v);
        p.executeUpdate();
      }
    }
    return checkOrCreateMeta(c, o, sealer, at, random);
  }

  private static byte[] checkOrCreateMeta(
      Connection c, StorageOptions o, Sealer sealer, PgLocation at, SecureRandom random)
      throws SQLException {
    byte[] formatBytes = readMeta(c, StoreSchema.FORMAT.name());
    if (formatBytes == null) {
      if (o.readOnly()) {
        throw new StorageOpenException(
            "database '" + at.database() + "' holds NSL's tables but no store yet");
      }
      byte[] nameKey = new byte[32];
      random.nextBytes(nameKey);
      writeMeta(
          c,
          StoreSchema.FORMAT.name(),
          StoreSchema.FORMAT
              .codec()
              .encode(new StoreSchema.Format(StoreSchema.Format.CURRENT, sealer.encrypted())));
      writeMeta(c, StoreSchema.KEY_CHECK.name(), seal(StoreSchema.KEY_CHECK, true, sealer));
      writeMeta(c, NAME_KEY.name(), seal(NAME_KEY, nameKey, sealer));
      return nameKey;
    }
    StoreSchema.Format format = StoreSchema.FORMAT.codec().decode(formatBytes, at);
    format.requireEncryption(sealer.encrypted(), "the store in database '" + at.database() + "'");
    try {
      byte[] check = readMeta(c, StoreSchema.KEY_CHECK.name());
      if (check == null || !open(StoreSchema.KEY_CHECK, check, sealer)) {
        throw new StorageKeyMismatchException(
            "the store in database '"
                + at.database()
                + "' has no valid key check record; it is corrupt or tampered");
      }
    } catch (StorageTamperedException e) {
      throw new StorageKeyMismatchException(
          "the store in database '"
              + at.database()
              + "' at "
              + at.server()
              + " was sealed with a different storage key (another enclave or cluster, or a"
              + " changed sealing identity); open it with the keys that created it",
          e);
    }
    byte[] sealedName = readMeta(c, NAME_KEY.name());
    if (sealedName == null) {
      throw new StorageTamperedException(
          "the store in database '" + at.database() + "' has lost its name key record");
    }
    return open(NAME_KEY, sealedName, sealer);
  }

  static <V> byte[] seal(StoreSchema.MetaRecord<V> r, V value, Sealer sealer) {
    byte[] plain = r.codec().encode(value);
    return r.sealed() ? sealer.sealValue(StoreSchema.META_NS, r.key(), 1, plain) : plain;
  }

  static <V> V open(StoreSchema.MetaRecord<V> r, byte[] raw, Sealer sealer) {
    byte[] plain =
        r.sealed() ? sealer.openValue(StoreSchema.META_NS, r.key(), raw, r.where()).body() : raw;
    return r.codec().decode(plain, r.where());
  }

  static byte[] readMeta(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("select record from nsl_meta where name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    }
  }

  static void writeMeta(Connection c, String name, byte[] record) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "insert into nsl_meta (name, record) values (?, ?) on conflict (name) do update set"
                + " record = excluded.record")) {
      p.setString(1, name);
      p.setBytes(2, record);
      p.executeUpdate();
    }
  }
}
