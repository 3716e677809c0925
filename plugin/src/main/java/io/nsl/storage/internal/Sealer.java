package io.nsl.storage.internal;

import io.nsl.storage.StorageTamperedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens stored records: compression, then AES-256-GCM with the record's header and its
 * location (namespace, key, and for chunks the stream id) as associated data. Pure logic apart from
 * the random nonce; the byte layout is documented in {@code docs/storage.md}. Thread-safe.
 *
 * <p>The AES key lives in a {@link SecretKeySpec}, which copies it and cannot be wiped: the JVM
 * cannot promise the key bytes leave the heap before the process ends.
 */
public final class Sealer {
  static final byte FORMAT = 1;

  /**
   * Records sealed under a cluster epoch above 0 carry the epoch in their header (decision 0502):
   * {@code 2 | flags | epoch u32 | …} where format 1 has {@code 1 | flags | …}. Format-1 records
   * are epoch 0, so a store that never rotated keeps the bytes it always had.
   */
  static final byte FORMAT_EPOCH = 2;

  static final int EPOCH = 4;
  static final int F_COMPRESSED = 0x01;
  static final int F_ENCRYPTED = 0x02;
  static final int F_MANIFEST = 0x04;
  static final int F_LAST = 0x08;

  static final int VALUE_HEADER = 18;
  static final int CHUNK_HEADER = 10;
  static final int NONCE = 12;
  static final int TAG = 16;
  static final int STREAM_ID = 16;

  /** Values shorter than this are not worth deflating. */
  private static final int COMPRESS_MIN = 64;

  private static final byte[] VALUE_DOMAIN =
      "nsl/storage/value/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNK_DOMAIN =
      "nsl/storage/chunk/v1".getBytes(StandardCharsets.US_ASCII);

  /**
   * Per-thread cipher and AAD buffer. Cipher.getInstance costs about a microsecond (provider
   * lookup), and the AAD (domain, namespace, key, header) used to be a fresh array per record: on a
   * 1 KiB read both showed in the encrypted-vs-plain gap. The buffer holds key names only, never
   * values.
   */
  private static final class Scratch {
    final Cipher gcm;
    byte[] aad = new byte[256];

    Scratch() {
      try {
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is not available in this JVM", e);
      }
    }

    byte[] aad(int size) {
      if (aad.length < size) {
        aad = new byte[Math.max(size, aad.length * 2)];
      }
      return aad;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * The AES keys of a store, one per cluster epoch: records are sealed under the current epoch's
   * key and opened with the key of the epoch they are tagged with. Thread-safe.
   */
  interface Keys {
    /** The epoch new records are sealed under. */
    int currentEpoch();

    /**
     * The key of {@code epoch}.
     *
     * @throws io.nsl.storage.StorageKeyMismatchException when the provider holds no key for it
     */
    SecretKeySpec key(int epoch);
  }

  /** One fixed key: epoch 0 (a store outside any cluster, and tests). */
  static Keys fixed(byte[] aesKey) {
    SecretKeySpec k = new SecretKeySpec(aesKey, "AES");
    return new Keys() {
      @Override
      public int currentEpoch() {
        return 0;
      }

      @Override
      public SecretKeySpec key(int epoch) {
        if (epoch != 0) {
          throw new io.nsl.storage.StorageKeyMismatchException(
              "a record is sealed under cluster epoch "
                  + epoch
                  + " but this store was opened with the key of epoch 0 only");
        }
        return k;
      }
    };
  }

  private final Keys keys;
  private final boolean compress;
  private final SecureRandom random;

  /**
   * @param aesKey 32 bytes, or {@code null} for a plain store; copied, the caller clears its array
   */
  public Sealer(byte[] aesKey, boolean compress, SecureRandom random) {
    if (aesKey != null && aesKey.length != 32) {
      throw new IllegalArgumentException("AES-256 key must be 32 bytes, got " + aesKey.length);
    }
    this.keys = aesKey == null ? null : fixed(aesKey);
    this.compress = compress;
    this.random = random;
  }

  /** A sealer over per-epoch keys ({@code null} for a plain store). */
  Sealer(Keys keys, boolean compress, SecureRandom random) {
    this.keys = keys;
    this.compress = compress;
    this.random = random;
  }

  public boolean encrypted() {
    return keys != null;
  }

  /** The epoch new records are sealed under (0 in a plain store). */
  int currentEpoch() {
    return keys == null ? 0 : keys.currentEpoch();
  }

  /**
   * Header fields of a stored value, readable without the key (and not yet authenticated).
   *
   * @param epoch the cluster epoch whose key sealed it (0 for format-1 records)
   * @param headerLength 18 (format 1) or 22 (format 2)
   */
  public record ValueHeader(
      int flags, long version, long plainLength, int epoch, int headerLength) {
    public boolean manifest() {
      return (flags & F_MANIFEST) != 0;
    }
  }

  /**
   * The epoch a sealed value or chunk record is tagged with, unauthenticated: 0 for format 1, the
   * header's epoch for format 2; -1 for a plain (unsealed) record or an unknown format.
   */
  static int epochOf(byte[] stored) {
    if (stored.length < 2 || (stored[1] & F_ENCRYPTED) == 0) {
      return -1;
    }
    if (stored[0] == FORMAT) {
      return 0;
    }
    if (stored[0] == FORMAT_EPOCH && stored.length >= 2 + EPOCH) {
      return intAt(stored, 2);
    }
    return -1;
  }

  /** An opened (authenticated) value. */
  public record Opened(ValueHeader header, byte[] body) {}

  /** The manifest body of a streamed value. */
  public record Manifest(byte[] streamId, int chunkCount) {
    byte[] encode() {
      return ByteBuffer.allocate(STREAM_ID + 4).put(streamId).putInt(chunkCount).array();
    }

    static Manifest decode(byte[] body, Object where) {
      if (body.length != STREAM_ID + 4) {
        throw tampered(where, "stream manifest has " + body.length + " bytes");
      }
      ByteBuffer b = ByteBuffer.wrap(body);
      byte[] id = new byte[STREAM_ID];
      b.get(id);
      int count = b.getInt();
      if (count < 1) {
        throw tampered(where, "stream manifest lists " + count + " chunks");
      }
      return new Manifest(id, count);
    }
  }

  /** Reads the unauthenticated header of a stored value. */
  public static ValueHeader peekHeader(byte[] stored, Object where) {
    int off;
    int epoch;
    if (stored.length >= VALUE_HEADER && stored[0] == FORMAT) {
      off = 2;
      epoch = 0;
    } else if (stored.length >= VALUE_HEADER + EPOCH && stored[0] == FORMAT_EPOCH) {
      off = 2 + EPOCH;
      epoch = intAt(stored, 2);
    } else {
      throw tampered(where, "unknown record format");
    }
    int flags = stored[1] & 0xff;
    long version = longAt(stored, off);
    long plainLength = longAt(stored, off + 8);
    if (version < 1 || plainLength < 0 || epoch < 0) {
      throw tampered(where, "bad header");
    }
    return new ValueHeader(flags, version, plainLength, epoch, off + 16);
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static int intAt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  /** Seals an ordinary value. */
  public byte[] sealValue(byte[] ns, byte[] key, long version, byte[] plain) {
    return sealValueBody(ns, key, version, plain, plain.length, 0, compress);
  }

  /** Seals a stream manifest ({@code totalLength} = the streamed value's length). */
  public byte[] sealManifest(byte[] ns, byte[] key, long version, Manifest m, long totalLength) {
    return sealValueBody(ns, key, version, m.encode(), totalLength, F_MANIFEST, false);
  }

  private byte[] sealValueBody(
      byte[] ns, byte[] key, long version, byte[] plain, long plainLength, int kind, boolean zip) {
    byte[] body = plain;
    int flags = kind;
    if (zip) {
      byte[] z = deflate(plain);
      if (z != null) {
        body = z;
        flags |= F_COMPRESSED;
      }
    }
    int epoch = 0;
    if (keys != null) {
      flags |= F_ENCRYPTED;
      epoch = keys.currentEpoch();
    }
    ByteBuffer h = ByteBuffer.allocate(VALUE_HEADER + (epoch > 0 ? EPOCH : 0));
    if (epoch > 0) {
      h.put(FORMAT_EPOCH).put((byte) flags).putInt(epoch);
    } else {
      h.put(FORMAT).put((byte) flags);
    }
    byte[] header = h.putLong(version).putLong(plainLength).array();
    return seal(header, body, ns, key, null, epoch);
  }

  /** Opens (authenticates, decrypts, inflates) a stored value. */
  public Opened openValue(byte[] ns, byte[] key, byte[] stored, Object where) {
    return openValue(ns, key, stored, peekHeader(stored, where), where);
  }

  /**
   * {@link #openValue(byte[], byte[], byte[], Object)} with the header the caller peeked already.
   */
  public Opened openValue(byte[] ns, byte[] key, byte[] stored, ValueHeader h, Object where) {
    byte[] body = open(stored, h.headerLength(), h.flags(), h.epoch(), ns, key, null, where);
    if (h.manifest()) {
      if ((h.flags() & F_COMPRESSED) != 0) {
        throw tampered(where, "compressed manifest");
      }
      return new Opened(h, body);
    }
    if (h.plainLength() > Integer.MAX_VALUE - 16) {
      throw tampered(where, "value length " + h.plainLength());
    }
    return new Opened(h, inflateIfNeeded(body, h.flags(), (int) h.plainLength(), where));
  }

  /** Opens a manifest value. */
  public Manifest openManifest(byte[] ns, byte[] key, byte[] stored, Object where) {
    Opened o = openValue(ns, key, stored, where);
    if (!o.header().manifest()) {
      throw tampered(where, "expected a stream manifest");
    }
    return Manifest.decode(o.body(), where);
  }

  /** Seals chunk {@code index} of stream {@code streamId}. */
  public byte[] sealChunk(
      byte[] ns, byte[] key, byte[] streamId, int index, boolean last, byte[] plain) {
    byte[] body = plain;
    int flags = last ? F_LAST : 0;
    if (compress) {
      byte[] z = deflate(plain);
      if (z != null) {
        body = z;
        flags |= F_COMPRESSED;
      }
    }
    int epoch = 0;
    if (keys != null) {
      flags |= F_ENCRYPTED;
      epoch = keys.currentEpoch();
    }
    ByteBuffer h = ByteBuffer.allocate(CHUNK_HEADER + (epoch > 0 ? EPOCH : 0));
    if (epoch > 0) {
      h.put(FORMAT_EPOCH).put((byte) flags).putInt(epoch);
    } else {
      h.put(FORMAT).put((byte) flags);
    }
    byte[] header = h.putInt(index).putInt(plain.length).array();
    return seal(header, body, ns, key, streamId, epoch);
  }

  /**
   * Opens chunk {@code expectedIndex} of {@code expectedCount}; refuses a chunk from another
   * position, another stream, or a last-chunk flag in the wrong place.
   */
  public byte[] openChunk(
      byte[] ns,
      byte[] key,
      byte[] streamId,
      int expectedIndex,
      int expectedCount,
      byte[] stored,
      Object where) {
    int off;
    int epoch;
    if (stored.length >= CHUNK_HEADER && stored[0] == FORMAT) {
      off = 2;
      epoch = 0;
    } else if (stored.length >= CHUNK_HEADER + EPOCH && stored[0] == FORMAT_EPOCH) {
      off = 2 + EPOCH;
      epoch = intAt(stored, 2);
    } else {
      throw tampered(where, "chunk " + expectedIndex + " has an unknown format");
    }
    int flags = stored[1] & 0xff;
    int index = intAt(stored, off);
    int plainLength = intAt(stored, off + 4);
    byte[] body = open(stored, off + 8, flags, epoch, ns, key, streamId, where);
    // The header is authenticated now; check it is the chunk we asked for.
    if (index != expectedIndex) {
      throw tampered(where, "chunk " + expectedIndex + " holds chunk " + index + " (reordered)");
    }
    boolean last = (flags & F_LAST) != 0;
    if (last != (expectedIndex == expectedCount - 1)) {
      throw tampered(
          where,
          "chunk "
              + expectedIndex
              + " of "
              + expectedCount
              + (last ? " is marked last (truncated)" : " is not marked last"));
    }
    if (plainLength < 0) {
      throw tampered(where, "chunk length " + plainLength);
    }
    return inflateIfNeeded(body, flags, plainLength, where);
  }

  /**
   * Re-seals a stored value ({@code streamId} null) or chunk under the current epoch's key: the
   * body (still compressed when it was) is authenticated with the key of the epoch the record is
   * tagged with and sealed again with a fresh nonce; flags, version, index and lengths stay.
   * Returns {@code null} when the record is already under the current epoch or is not sealed.
   *
   * @throws StorageTamperedException when the record fails authentication
   */
  byte[] resealToCurrent(byte[] ns, byte[] key, byte[] streamId, byte[] stored, Object where) {
    int epoch = epochOf(stored);
    if (keys == null || epoch < 0) {
      return null;
    }
    int target = keys.currentEpoch();
    if (epoch == target) {
      return null;
    }
    int fieldsLen = streamId == null ? 16 : 8;
    int fieldsAt = stored[0] == FORMAT ? 2 : 2 + EPOCH;
    if (stored.length < fieldsAt + fieldsLen) {
      throw tampered(where, "record too short");
    }
    int flags = stored[1] & 0xff;
    byte[] body = open(stored, fieldsAt + fieldsLen, flags, epoch, ns, key, streamId, where);
    ByteBuffer h = ByteBuffer.allocate(2 + (target > 0 ? EPOCH : 0) + fieldsLen);
    if (target > 0) {
      h.put(FORMAT_EPOCH).put((byte) flags).putInt(target);
    } else {
      h.put(FORMAT).put((byte) flags);
    }
    h.put(stored, fieldsAt, fieldsLen);
    return seal(h.array(), body, ns, key, streamId, target);
  }

  /** {@code streamId} null: a value record (value AAD); else a chunk of that stream. */
  private byte[] seal(
      byte[] header, byte[] body, byte[] ns, byte[] key, byte[] streamId, int epoch) {
    if (this.keys == null) {
      byte[] out = Arrays.copyOf(header, header.length + body.length);
      System.arraycopy(body, 0, out, header.length, body.length);
      return out;
    }
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Scratch s = SCRATCH.get();
      Cipher c = s.gcm;
      c.init(Cipher.ENCRYPT_MODE, keys.key(epoch), new GCMParameterSpec(TAG * 8, nonce));
      int aadLen = aad(s, ns, key, streamId, header, 0, header.length);
      c.updateAAD(s.aad, 0, aadLen);
      byte[] out = new byte[header.length + NONCE + c.getOutputSize(body.length)];
      System.arraycopy(header, 0, out, 0, header.length);
      System.arraycopy(nonce, 0, out, header.length, NONCE);
      c.doFinal(body, 0, body.length, out, header.length + NONCE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /** The body of {@code stored} after its {@code headerLen}-byte header, authenticated. */
  private byte[] open(
      byte[] stored,
      int headerLen,
      int flags,
      int epoch,
      byte[] ns,
      byte[] key,
      byte[] streamId,
      Object where) {
    boolean sealed = (flags & F_ENCRYPTED) != 0;
    if (this.keys == null) {
      if (sealed) {
        throw tampered(where, "an encrypted record in a plain store");
      }
      return Arrays.copyOfRange(stored, headerLen, stored.length);
    }
    if (!sealed) {
      // Never accept plaintext in an encrypted store: it would let the operator inject values.
      throw tampered(where, "an unencrypted record in an encrypted store");
    }
    if (stored.length < headerLen + NONCE + TAG) {
      throw tampered(where, "record too short");
    }
    try {
      Scratch s = SCRATCH.get();
      Cipher c = s.gcm;
      c.init(
          Cipher.DECRYPT_MODE,
          keys.key(epoch),
          new GCMParameterSpec(TAG * 8, stored, headerLen, NONCE));
      // The header is read from the stored record in place: no copy of it, no fresh AAD array.
      int aadLen = aad(s, ns, key, streamId, stored, 0, headerLen);
      c.updateAAD(s.aad, 0, aadLen);
      return c.doFinal(stored, headerLen + NONCE, stored.length - headerLen - NONCE);
    } catch (AEADBadTagException e) {
      throw tampered(where, "authentication failed");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * Writes the associated data into the thread's buffer and returns its length. Value records:
   * {@code "nsl/storage/value/v1" || u8 len(ns) || ns || u32 len(key) || key || header}; chunks:
   * {@code "nsl/storage/chunk/v1" || u8 len(ns) || ns || u32 len(key) || key || streamId || header}
   * (docs/storage.md).
   */
  private static int aad(
      Scratch s, byte[] ns, byte[] key, byte[] streamId, byte[] header, int hOff, int hLen) {
    byte[] domain = streamId == null ? VALUE_DOMAIN : CHUNK_DOMAIN;
    int size =
        domain.length + 1 + ns.length + 4 + key.length + (streamId == null ? 0 : STREAM_ID) + hLen;
    byte[] a = s.aad(size);
    int p = 0;
    System.arraycopy(domain, 0, a, p, domain.length);
    p += domain.length;
    a[p++] = (byte) ns.length;
    System.arraycopy(ns, 0, a, p, ns.length);
    p += ns.length;
    a[p++] = (byte) (key.length >>> 24);
    a[p++] = (byte) (key.length >>> 16);
    a[p++] = (byte) (key.length >>> 8);
    a[p++] = (byte) key.length;
    System.arraycopy(key, 0, a, p, key.length);
    p += key.length;
    if (streamId != null) {
      System.arraycopy(streamId, 0, a, p, STREAM_ID);
      p += STREAM_ID;
    }
    System.arraycopy(header, hOff, a, p, hLen);
    return p + hLen;
  }

  /** Deflated bytes, or {@code null} when deflating does not make the value smaller. */
  private static byte[] deflate(byte[] plain) {
    if (plain.length < COMPRESS_MIN) {
      return null;
    }
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    try {
      d.setInput(plain);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 16);
      byte[] buf = new byte[Math.min(plain.length, 64 * 1024)];
      while (!d.finished()) {
        int n = d.deflate(buf);
        out.write(buf, 0, n);
        if (out.size() >= plain.length) {
          return null;
        }
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  private static byte[] inflateIfNeeded(byte[] body, int flags, int plainLength, Object where) {
    if ((flags & F_COMPRESSED) == 0) {
      if (body.length != plainLength) {
        throw tampered(where, "length " + body.length + " differs from header " + plainLength);
      }
      return body;
    }
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(body);
      // The length is authenticated, so this bound also stops a decompression bomb.
      byte[] out = new byte[plainLength];
      byte[] extra = new byte[1];
      int n = 0;
      while (!inf.finished()) {
        int r = n < plainLength ? inf.inflate(out, n, plainLength - n) : inf.inflate(extra, 0, 1);
        if (n >= plainLength && r > 0) {
          throw tampered(where, "compressed body is longer than its length");
        }
        if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw tampered(where, "compressed body is truncated");
        }
        n += r;
      }
      if (n != plainLength) {
        throw tampered(where, "compressed body does not match its length");
      }
      return out;
    } catch (DataFormatException e) {
      throw tampered(where, "compressed body is corrupt");
    } finally {
      inf.end();
    }
  }

  static StorageTamperedException tampered(Object where, String what) {
    return new StorageTamperedException(
        "stored value "
            + where
            + " failed its integrity check ("
            + what
            + "); it was not returned. The store's disk was modified outside NSL or is corrupt:"
            + " restore the key from a backup or delete it");
  }
}
