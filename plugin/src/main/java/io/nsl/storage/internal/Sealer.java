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

  private final SecretKeySpec key;
  private final boolean compress;
  private final SecureRandom random;

  /**
   * @param aesKey 32 bytes, or {@code null} for a plain store; copied, the caller clears its array
   */
  public Sealer(byte[] aesKey, boolean compress, SecureRandom random) {
    if (aesKey != null && aesKey.length != 32) {
      throw new IllegalArgumentException("AES-256 key must be 32 bytes, got " + aesKey.length);
    }
    this.key = aesKey == null ? null : new SecretKeySpec(aesKey, "AES");
    this.compress = compress;
    this.random = random;
  }

  public boolean encrypted() {
    return key != null;
  }

  /** Header fields of a stored value, readable without the key (and not yet authenticated). */
  public record ValueHeader(int flags, long version, long plainLength) {
    public boolean manifest() {
      return (flags & F_MANIFEST) != 0;
    }
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
    if (stored.length < VALUE_HEADER || stored[0] != FORMAT) {
      throw tampered(where, "unknown record format");
    }
    int flags = stored[1] & 0xff;
    long version = longAt(stored, 2);
    long plainLength = longAt(stored, 10);
    if (version < 1 || plainLength < 0) {
      throw tampered(where, "bad header");
    }
    return new ValueHeader(flags, version, plainLength);
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
    if (this.key != null) {
      flags |= F_ENCRYPTED;
    }
    byte[] header =
        ByteBuffer.allocate(VALUE_HEADER)
            .put(FORMAT)
            .put((byte) flags)
            .putLong(version)
            .putLong(plainLength)
            .array();
    return seal(header, body, ns, key, null);
  }

  /** Opens (authenticates, decrypts, inflates) a stored value. */
  public Opened openValue(byte[] ns, byte[] key, byte[] stored, Object where) {
    return openValue(ns, key, stored, peekHeader(stored, where), where);
  }

  /**
   * {@link #openValue(byte[], byte[], byte[], Object)} with the header the caller peeked already.
   */
  public Opened openValue(byte[] ns, byte[] key, byte[] stored, ValueHeader h, Object where) {
    byte[] body = open(stored, VALUE_HEADER, h.flags(), ns, key, null, where);
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
    if (this.key != null) {
      flags |= F_ENCRYPTED;
    }
    byte[] header =
        ByteBuffer.allocate(CHUNK_HEADER)
            .put(FORMAT)
            .put((byte) flags)
            .putInt(index)
            .putInt(plain.length)
            .array();
    return seal(header, body, ns, key, streamId);
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
    if (stored.length < CHUNK_HEADER || stored[0] != FORMAT) {
      throw tampered(where, "chunk " + expectedIndex + " has an unknown format");
    }
    int flags = stored[1] & 0xff;
    int index = intAt(stored, 2);
    int plainLength = intAt(stored, 6);
    byte[] body = open(stored, CHUNK_HEADER, flags, ns, key, streamId, where);
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

  /** {@code streamId} null: a value record (value AAD); else a chunk of that stream. */
  private byte[] seal(byte[] header, byte[] body, byte[] ns, byte[] key, byte[] streamId) {
    if (this.key == null) {
      byte[] out = Arrays.copyOf(header, header.length + body.length);
      System.arraycopy(body, 0, out, header.length, body.length);
      return out;
    }
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Scratch s = SCRATCH.get();
      Cipher c = s.gcm;
      c.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG * 8, nonce));
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
      byte[] ns,
      byte[] key,
      byte[] streamId,
      Object where) {
    boolean sealed = (flags & F_ENCRYPTED) != 0;
    if (this.key == null) {
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
          Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG * 8, stored, headerLen, NONCE));
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
