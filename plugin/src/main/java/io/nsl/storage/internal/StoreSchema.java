package io.nsl.storage.internal;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageTamperedException;
import io.nsl.storage.StorageUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every key space of a store, with its key layout and its value codec: the only class that knows
 * which bytes a physical key or a metadata record holds. docs/storage.md describes the same layout
 * for operators; docs/decisions/0201-storage-key-spaces.md says why it looks like this.
 *
 * <p>Every physical key is {@code u8 len(ns) || ns || key} in one RocksDB column family, so two
 * namespaces never overlap (the length byte keeps {@code fn:a} from being a prefix of {@code
 * fn:ab}). Public {@link Namespace} names start with {@code [a-z0-9]}; internal ones start with
 * {@code '!'}, which public names cannot.
 *
 * <table>
 *   <caption>Key spaces</caption>
 *   <tr><th>space</th><th>ns</th><th>key</th><th>value (before sealing)</th><th>sealed as</th></tr>
 *   <tr><td>{@link #VALUES}</td><td>public name</td><td>caller's key</td>
 *       <td>caller's bytes, or a stream {@link Sealer.Manifest}</td><td>value record</td></tr>
 *   <tr><td>{@link #CHUNKS}</td><td>{@code !chunk}</td>
 *       <td>{@code u8 len(ns) || ns || u32 len(key) || key || streamId[16] || u32 index}</td>
 *       <td>chunk bytes</td><td>chunk record</td></tr>
 *   <tr><td>{@link #FORMAT}</td><td>{@code !meta}</td><td>{@code format}</td>
 *       <td>{@code "NSLS" || u8 1 || u8 encrypted}</td><td>not sealed</td></tr>
 *   <tr><td>{@link #KEY_CHECK}</td><td>{@code !meta}</td><td>{@code keycheck}</td>
 *       <td>{@code "nsl-storage-keycheck-v1"}</td><td>value record, version 1</td></tr>
 *   <tr><td>{@link #VERSION_CEILING}</td><td>{@code !meta}</td><td>{@code seq}</td>
 *       <td>{@code i64} highest leased version</td><td>value record, version 1</td></tr>
 *   <tr><td>{@link #usage}</td><td>{@code !meta}</td><td>{@code usage:<ns>}</td>
 *       <td>{@code i64 bytes || i64 keys}</td><td>value record, version 1</td></tr>
 *   <tr><td>{@link #REKEY_CURSOR}</td><td>{@code !meta}</td><td>{@code rekey}</td>
 *       <td>{@code u32 target epoch || u32 pass || i64 moved in pass || i64 moved in total
 *       || u8 done || u16 len || next physical key}</td><td>value record, version 1</td></tr>
 * </table>
 *
 * <p>Records sealed under cluster epoch 0 have record format 1; under a later epoch, format 2,
 * which adds {@code u32 epoch} after the flags byte (docs/storage.md, decision 0502).
 *
 * <p>Integers are big-endian. A metadata record is sealed like a value with the namespace {@code
 * !meta} and its key bound in, so a record moved to another key does not open. Changing any byte of
 * this layout needs a migration and a test that opens a store written by the previous layout.
 */
final class StoreSchema {
  private StoreSchema() {}

  static final byte[] META_NS = ascii("!meta");
  static final byte[] CHUNK_NS = ascii("!chunk");

  /** A value record, decoded from and encoded to the bytes that are sealed (or stored plain). */
  interface Codec<T> {
    byte[] encode(T value);

    /**
     * @param where names the record in messages
     * @throws StorageTamperedException the bytes are not a value of this codec
     */
    T decode(byte[] bytes, Object where);
  }

  /** One record under {@code !meta}: its key, codec, and whether it is sealed. */
  record MetaRecord<V>(String name, byte[] key, Codec<V> codec, boolean sealed) {
    byte[] physicalKey() {
      return physical(META_NS, key);
    }

    /** How messages name it: {@code !meta/<key>}. */
    String where() {
      return "!meta/" + new String(key, StandardCharsets.US_ASCII);
    }
  }

  /** A key space: a name, and how its physical keys are laid out (for listings and docs). */
  record KeySpace(String name, byte[] namespace, String keyLayout, String valueLayout) {}

  // ------------------------------------------------------------------ the key spaces

  /** Values of public namespaces, including the manifests of streamed values. */
  static final KeySpace VALUES =
      new KeySpace(
          "values", null, "u8 len(ns) || ns || key", "sealed value or stream manifest record");

  /** Chunks of streamed values; {@link ChunkKey} is the key codec. */
  static final KeySpace CHUNKS =
      new KeySpace(
          "chunks",
          CHUNK_NS,
          "u8 len(ns) || ns || u32 len(key) || key || streamId[16] || u32 index",
          "sealed chunk record");

  /** Metadata records; {@link #FORMAT}, {@link #KEY_CHECK}, {@link #VERSION_CEILING}, usage. */
  static final KeySpace META =
      new KeySpace("meta", META_NS, "record name", "one codec per record (below)");

  /** Every key space, in the order of their physical keys' first bytes. */
  static final List<KeySpace> ALL = List.of(CHUNKS, META, VALUES);

  /** The format record: written plain so a store's kind is readable without its key. */
  static final MetaRecord<Format> FORMAT =
      new MetaRecord<>("format", ascii("format"), Format.CODEC, false);

  /** A known plaintext sealed at creation: opening it proves the storage key is the right one. */
  static final MetaRecord<Boolean> KEY_CHECK =
      new MetaRecord<>("keycheck", ascii("keycheck"), KeyCheck.CODEC, true);

  /** The version ceiling: versions are leased from disk up to it. */
  static final MetaRecord<Long> VERSION_CEILING =
      new MetaRecord<>("version ceiling", ascii("seq"), LongCodec.CODEC, true);

  /** Where the move to a new cluster epoch stands (decision 0502). */
  static final MetaRecord<RekeyCursor> REKEY_CURSOR =
      new MetaRecord<>("rekey cursor", ascii("rekey"), RekeyCursor.CODEC, true);

  /** The tracked usage of one function-state namespace (others are measured by scanning). */
  static MetaRecord<StorageUsage> usage(Namespace n) {
    return new MetaRecord<>("usage of " + n, ascii("usage:" + n.name()), UsageCodec.CODEC, true);
  }

  // ------------------------------------------------------------------ value codecs

  /** {@code "NSLS" || u8 version || u8 encrypted}. */
  record Format(int version, boolean encrypted) {
    static final byte[] MAGIC = ascii("NSLS");
    static final int CURRENT = 1;

    static final Codec<Format> CODEC =
        new Codec<>() {
          @Override
          public byte[] encode(Format f) {
            return ByteBuffer.allocate(6)
                .put(MAGIC)
                .put((byte) f.version())
                .put((byte) (f.encrypted() ? 1 : 0))
                .array();
          }

          /** Unknown or damaged format records are an open error: nothing else can be read. */
          @Override
          public Format decode(byte[] b, Object where) {
            if (b.length != 6 || !Arrays.equals(Arrays.copyOf(b, 4), MAGIC) || b[4] != CURRENT) {
              throw new StorageOpenException(
                  "the store at "
                      + where
                      + " has an unknown format record; it needs another NSL version");
            }
            return new Format(b[4], b[5] == 1);
          }
        };

    /**
     * Throws {@link StorageKeyMismatchException} unless the store, created with this format, is
     * being opened with the same encryption setting.
     *
     * @param store how the message names the store, e.g. {@code "the store at /var/nsl"}
     */
    void requireEncryption(boolean openedEncrypted, String store) {
      if (encrypted != openedEncrypted) {
        throw new StorageKeyMismatchException(
            store
                + " was created "
                + (encrypted ? "encrypted" : "without encryption")
                + " and was opened "
                + (openedEncrypted ? "with" : "without")
                + " encryption; open it with encryption "
                + (encrypted ? "on" : "off"));
      }
    }
  }

  /** The key check's plaintext; decodes to whether the bytes are the expected ones. */
  static final class KeyCheck {
    private KeyCheck() {}

    static final byte[] PLAIN = ascii("nsl-storage-keycheck-v1");

    static final Codec<Boolean> CODEC =
        new Codec<>() {
          @Override
          public byte[] encode(Boolean ok) {
            if (!ok) {
              throw new IllegalArgumentException("only a valid key check is ever written");
            }
            return PLAIN.clone();
          }

          @Override
          public Boolean decode(byte[] b, Object where) {
            return Arrays.equals(b, PLAIN);
          }
        };
  }

  /** One {@code i64}. */
  static final class LongCodec {
    private LongCodec() {}

    static final Codec<Long> CODEC =
        new Codec<>() {
          @Override
          public byte[] encode(Long v) {
            return ByteBuffer.allocate(8).putLong(v).array();
          }

          @Override
          public Long decode(byte[] b, Object where) {
            if (b.length != 8) {
              throw Sealer.tampered(where, "expected 8 bytes, found " + b.length);
            }
            return ByteBuffer.wrap(b).getLong();
          }
        };
  }

  /** {@code i64 bytes || i64 keys}. */
  static final class UsageCodec {
    private UsageCodec() {}

    static final Codec<StorageUsage> CODEC =
        new Codec<>() {
          @Override
          public byte[] encode(StorageUsage u) {
            return ByteBuffer.allocate(16).putLong(u.bytes()).putLong(u.keys()).array();
          }

          @Override
          public StorageUsage decode(byte[] b, Object where) {
            if (b.length != 16) {
              throw Sealer.tampered(where, "expected 16 bytes, found " + b.length);
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            return new StorageUsage(buf.getLong(), buf.getLong());
          }
        };
  }

  /**
   * The durable position of a move to {@code target}: the next physical key to look at (empty: the
   * start of a pass).
   */
  record RekeyCursor(
      int target, int pass, long movedInPass, long movedTotal, boolean done, byte[] next) {
    static final Codec<RekeyCursor> CODEC =
        new Codec<>() {
          @Override
          public byte[] encode(RekeyCursor c) {
            return ByteBuffer.allocate(4 + 4 + 8 + 8 + 1 + 2 + c.next().length)
                .putInt(c.target())
                .putInt(c.pass())
                .putLong(c.movedInPass())
                .putLong(c.movedTotal())
                .put((byte) (c.done() ? 1 : 0))
                .putShort((short) c.next().length)
                .put(c.next())
                .array();
          }

          @Override
          public RekeyCursor decode(byte[] b, Object where) {
            if (b.length < 27) {
              throw Sealer.tampered(where, "rekey cursor of " + b.length + " bytes");
            }
            ByteBuffer in = ByteBuffer.wrap(b);
            int target = in.getInt();
            int pass = in.getInt();
            long inPass = in.getLong();
            long total = in.getLong();
            int done = in.get();
            int len = Short.toUnsignedInt(in.getShort());
            if (target < 0
                || pass < 0
                || inPass < 0
                || total < inPass
                || done > 1
                || in.remaining() != len) {
              throw Sealer.tampered(where, "rekey cursor fields out of range");
            }
            byte[] next = new byte[len];
            in.get(next);
            return new RekeyCursor(target, pass, inPass, total, done == 1, next);
          }
        };
  }

  // ------------------------------------------------------------------ key codecs

  /** The physical key of {@code key} in the namespace whose ASCII name is {@code ns}. */
  static byte[] physical(byte[] ns, byte[] key) {
    byte[] out = new byte[1 + ns.length + key.length];
    out[0] = (byte) ns.length;
    System.arraycopy(ns, 0, out, 1, ns.length);
    System.arraycopy(key, 0, out, 1 + ns.length, key.length);
    return out;
  }

  /** The prefix every physical key of namespace {@code ns} starts with, and no other key. */
  static byte[] namespacePrefix(byte[] ns) {
    return physical(ns, new byte[0]);
  }

  /** The prefix every chunk of every stream in namespace {@code ns} starts with. */
  static byte[] chunkPrefix(byte[] ns) {
    return physical(CHUNK_NS, namespacePrefix(ns));
  }

  /** The prefix every chunk key starts with. */
  static byte[] allChunksPrefix() {
    return namespacePrefix(CHUNK_NS);
  }

  static byte[] namespaceBytes(Namespace n) {
    return n.name().getBytes(StandardCharsets.US_ASCII);
  }

  /** The key of chunk {@code index} of stream {@code streamId} of {@code key} in {@code ns}. */
  record ChunkKey(byte[] ns, byte[] key, byte[] streamId, int index) {
    ChunkKey {
      if (ns.length < 1
          || ns.length > 255
          || key.length < 1
          || streamId.length != Sealer.STREAM_ID) {
        throw new IllegalArgumentException(
            "chunk key parts: ns "
                + ns.length
                + " bytes, key "
                + key.length
                + " bytes, stream id "
                + streamId.length
                + " bytes");
      }
    }

    byte[] encode() {
      byte[] inner =
          ByteBuffer.allocate(1 + ns.length + 4 + key.length + streamId.length + 4)
              .put((byte) ns.length)
              .put(ns)
              .putInt(key.length)
              .put(key)
              .put(streamId)
              .putInt(index)
              .array();
      return physical(CHUNK_NS, inner);
    }

    /** Parses a physical chunk key; empty when it is not one (damaged or foreign). */
    static Optional<ChunkKey> decode(byte[] k) {
      byte[] prefix = allChunksPrefix();
      if (k.length < prefix.length
          || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
        return Optional.empty();
      }
      int p = prefix.length;
      int nsLen = k.length > p ? k[p] & 0xff : -1;
      int keyLenAt = p + 1 + nsLen;
      if (nsLen < 1 || k.length < keyLenAt + 4) {
        return Optional.empty();
      }
      int keyLen = ByteBuffer.wrap(k, keyLenAt, 4).getInt();
      int idAt = keyLenAt + 4 + keyLen;
      if (keyLen < 1 || idAt < 0 || k.length != idAt + Sealer.STREAM_ID + 4) {
        return Optional.empty();
      }
      int index = ByteBuffer.wrap(k, idAt + Sealer.STREAM_ID, 4).getInt();
      return Optional.of(
          new ChunkKey(
              Arrays.copyOfRange(k, p + 1, p + 1 + nsLen),
              Arrays.copyOfRange(k, keyLenAt + 4, idAt),
              Arrays.copyOfRange(k, idAt, idAt + Sealer.STREAM_ID),
              index));
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
