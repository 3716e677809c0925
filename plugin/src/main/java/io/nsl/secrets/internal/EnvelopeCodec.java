package io.nsl.secrets.internal;

import io.nsl.secrets.SecretEnvelopeMalformedException;
import io.nsl.secrets.SecretOp;
import io.nsl.secrets.SecretOwner;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Byte layout of a v1 secret envelope (docs/secrets-envelope.md). All integers big-endian.
 *
 * <pre>
 * magic "NSLE" 4 | version 1 | op 1 | owner script hash LE 20 | enclave secrets key 33
 * | sequence u64 8 | name length 1 | name | ephemeral key 33 | nonce 12
 * | ciphertext length u32 4 | ciphertext (with 16-byte tag) | owner public key 33 | signature 64
 * </pre>
 *
 * <p>GCM associated data = bytes from magic through nonce. Signed message = every byte before the
 * signature.
 */
public final class EnvelopeCodec {
  public static final byte[] MAGIC = {'N', 'S', 'L', 'E'};
  public static final byte VERSION = 1;
  public static final int TAG = 16;

  /** Bytes of a v1 envelope around the variable-length name and ciphertext. */
  public static final int FIXED = 4 + 1 + 1 + 20 + 33 + 8 + 1 + 33 + 12 + 4 + 33 + 64;

  private EnvelopeCodec() {}

  /** A parsed envelope; {@code aad} and {@code signed} are the exact byte ranges of the format. */
  public record Parsed(
      SecretOp op,
      SecretOwner owner,
      byte[] enclaveKey,
      long sequence,
      byte[] nameBytes,
      byte[] ephemeralKey,
      byte[] nonce,
      byte[] ciphertext,
      byte[] ownerKey,
      byte[] signature,
      byte[] aad,
      byte[] signed) {}

  /** The header (associated data) from magic through nonce. */
  public static byte[] header(
      SecretOp op,
      byte[] ownerLE,
      byte[] enclaveKey,
      long sequence,
      byte[] name,
      byte[] ephemeralKey,
      byte[] nonce) {
    return ByteBuffer.allocate(4 + 1 + 1 + 20 + 33 + 8 + 1 + name.length + 33 + 12)
        .put(MAGIC)
        .put(VERSION)
        .put(op.code())
        .put(ownerLE)
        .put(enclaveKey)
        .putLong(sequence)
        .put((byte) name.length)
        .put(name)
        .put(ephemeralKey)
        .put(nonce)
        .array();
  }

  /** header || u32 length || ciphertext || owner key: the bytes the owner signs. */
  public static byte[] signedPart(byte[] header, byte[] ciphertext, byte[] ownerKey) {
    return ByteBuffer.allocate(header.length + 4 + ciphertext.length + 33)
        .put(header)
        .putInt(ciphertext.length)
        .put(ciphertext)
        .put(ownerKey)
        .array();
  }

  public static Parsed parse(byte[] env, int maxCiphertext) {
    if (env == null || env.length < FIXED + 1 + TAG) {
      throw malformed(
          "it has " + (env == null ? 0 : env.length) + " bytes, fewer than any v1 envelope");
    }
    ByteBuffer b = ByteBuffer.wrap(env);
    byte[] magic = take(b, 4);
    if (!Arrays.equals(magic, MAGIC)) {
      throw malformed("it does not start with \"NSLE\"");
    }
    byte version = b.get();
    if (version != VERSION) {
      throw malformed("version " + (version & 0xff) + " is not supported (this service reads 1)");
    }
    byte opCode = b.get();
    SecretOp op = SecretOp.fromCode(opCode);
    if (op == null) {
      throw malformed("op byte 0x" + String.format("%02x", opCode) + " at offset 5 is unknown");
    }
    SecretOwner owner = new SecretOwner(take(b, 20));
    byte[] enclaveKey = take(b, 33);
    long sequence = b.getLong();
    if (sequence < 1) {
      throw malformed("sequence must be >= 1 (as unsigned below 2^63), got " + sequence);
    }
    int nameLen = b.get() & 0xff;
    if (b.remaining() < nameLen + 33 + 12 + 4) {
      throw malformed("it ends inside the name or header");
    }
    byte[] name = take(b, nameLen);
    byte[] ephemeral = take(b, 33);
    byte[] nonce = take(b, 12);
    int headerEnd = b.position();
    long ctLen = Integer.toUnsignedLong(b.getInt());
    if (ctLen < TAG || ctLen > maxCiphertext) {
      throw malformed(
          "ciphertext length " + ctLen + " is outside " + TAG + ".." + maxCiphertext + " bytes");
    }
    if (b.remaining() != ctLen + 33 + 64) {
      throw malformed(
          "its length does not match: "
              + b.remaining()
              + " bytes follow the ciphertext length, expected "
              + (ctLen + 33 + 64));
    }
    byte[] ct = take(b, (int) ctLen);
    byte[] ownerKey = take(b, 33);
    int signedEnd = b.position();
    byte[] sig = take(b, 64);
    return new Parsed(
        op,
        owner,
        enclaveKey,
        sequence,
        name,
        ephemeral,
        nonce,
        ct,
        ownerKey,
        sig,
        Arrays.copyOf(env, headerEnd),
        Arrays.copyOf(env, signedEnd));
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static SecretEnvelopeMalformedException malformed(String what) {
    return new SecretEnvelopeMalformedException(
        "the secret envelope is malformed: "
            + what
            + ". Build it as docs/secrets-envelope.md describes (format v1)");
  }
}
