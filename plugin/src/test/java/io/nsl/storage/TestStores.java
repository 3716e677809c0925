package io.nsl.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Fixtures for storage tests: fixed keys, and raw access to the RocksDB files underneath. */
final class TestStores {
  private TestStores() {}

  static StorageKeyProvider fixedKey(int seed) {
    return purpose -> {
      byte[] k = new byte[32];
      Arrays.fill(k, (byte) seed);
      k[0] = (byte) purpose.length();
      return k;
    };
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The engine's physical key of {@code key} in {@code namespace}: u8 length, name, key. */
  static byte[] physical(String namespace, byte[] key) {
    byte[] ns = namespace.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[1 + ns.length + key.length];
    out[0] = (byte) ns.length;
    System.arraycopy(ns, 0, out, 1, ns.length);
    System.arraycopy(key, 0, out, 1 + ns.length, key.length);
    return out;
  }

  /** Opens the store's RocksDB directly (the store must be closed), like an operator would. */
  static void editRaw(Path path, Consumer<RocksDB> edit) {
    try (Options o = new Options();
        RocksDB db = RocksDB.open(o, path.toString())) {
      edit.accept(db);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] rawGet(RocksDB db, byte[] k) {
    try {
      return db.get(k);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  static void rawPut(RocksDB db, byte[] k, byte[] v) {
    try {
      db.put(k, v);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  static void rawDelete(RocksDB db, byte[] k) {
    try {
      db.delete(k);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Physical keys of all stream chunks, in order. */
  static java.util.List<byte[]> chunkKeys(RocksDB db) {
    byte[] prefix = physical("!chunk", new byte[0]);
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(k);
      }
    }
    return out;
  }
}
