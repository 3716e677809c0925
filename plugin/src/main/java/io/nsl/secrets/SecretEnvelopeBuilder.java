package io.nsl.secrets;

import io.nsl.secrets.internal.EnvelopeCodec;
import io.nsl.secrets.internal.EnvelopeCrypto;
import io.nsl.secrets.internal.Names;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Client side of the secret envelope (the CLI; the JS client follows docs/secrets-envelope.md):
 * encrypts a value to an enclave's secrets public key and signs it with the owner's key. Stateless
 * and thread-safe. Intermediate key material is cleared; the caller clears {@code value}.
 */
public final class SecretEnvelopeBuilder {
  private SecretEnvelopeBuilder() {}

  /** An envelope that sets secret {@code name} to {@code value}. */
  public static byte[] put(
      byte[] enclaveSecretsKey,
      String name,
      byte[] value,
      long sequence,
      OwnerSigner owner,
      SecureRandom random) {
    return withRandom(SecretOp.PUT, enclaveSecretsKey, name, value, sequence, owner, random);
  }

  /** An envelope that deletes secret {@code name} (its ciphertext is the tag of an empty value). */
  public static byte[] delete(
      byte[] enclaveSecretsKey,
      String name,
      long sequence,
      OwnerSigner owner,
      SecureRandom random) {
    return withRandom(
        SecretOp.DELETE, enclaveSecretsKey, name, new byte[0], sequence, owner, random);
  }

  private static byte[] withRandom(
      SecretOp op,
      byte[] enclaveKey,
      String name,
      byte[] value,
      long sequence,
      OwnerSigner owner,
      SecureRandom random) {
    byte[] eph = new byte[32];
    byte[] nonce = new byte[12];
    try {
      do {
        random.nextBytes(eph);
      } while (!validScalar(eph));
      random.nextBytes(nonce);
      return build(op, enclaveKey, name, value, sequence, owner, eph, nonce);
    } finally {
      Arrays.fill(eph, (byte) 0);
    }
  }

  /**
   * WARNING: deterministic form for test vectors only. Reusing an ephemeral key for two values
   * reveals their XOR to anyone; use {@link #put} or {@link #delete}.
   */
  public static byte[] build(
      SecretOp op,
      byte[] enclaveKey,
      String name,
      byte[] value,
      long sequence,
      OwnerSigner owner,
      byte[] ephemeralPrivateKey,
      byte[] nonce) {
    Objects.requireNonNull(op, "op");
    if (EnvelopeCrypto.decodeCompressed(enclaveKey) == null) {
      throw new IllegalArgumentException("the enclave secrets key is not a compressed P-256 key");
    }
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1, got " + sequence);
    }
    if (nonce.length != 12) {
      throw new IllegalArgumentException("the nonce has 12 bytes, got " + nonce.length);
    }
    if (op == SecretOp.DELETE && value.length != 0) {
      throw new IllegalArgumentException("a DELETE envelope carries an empty value");
    }
    byte[] nameBytes = Names.check(name).getBytes(StandardCharsets.US_ASCII);
    byte[] ownerKey = owner.publicKey();
    byte[] ephPub = EnvelopeCrypto.publicKeyOf(ephemeralPrivateKey);
    byte[] header =
        EnvelopeCodec.header(
            op,
            EnvelopeCrypto.scriptHashLE(ownerKey),
            enclaveKey,
            sequence,
            nameBytes,
            ephPub,
            nonce);
    byte[] shared = EnvelopeCrypto.agree(ephemeralPrivateKey, enclaveKey);
    byte[] aesKey = EnvelopeCrypto.deriveAesKey(shared, ephPub, enclaveKey);
    byte[] ct;
    try {
      ct = EnvelopeCrypto.aesGcmEncrypt(aesKey, nonce, header, value);
    } finally {
      Arrays.fill(shared, (byte) 0);
      Arrays.fill(aesKey, (byte) 0);
    }
    byte[] signed = EnvelopeCodec.signedPart(header, ct, ownerKey);
    byte[] sig = owner.sign(signed);
    if (sig == null || sig.length != 64) {
      throw new IllegalArgumentException("the owner signer must return 64 bytes r||s");
    }
    return ByteBuffer.allocate(signed.length + 64).put(signed).put(sig).array();
  }

  private static boolean validScalar(byte[] d) {
    java.math.BigInteger k = new java.math.BigInteger(1, d);
    return k.signum() > 0 && k.compareTo(EnvelopeCrypto.CURVE.getN()) < 0;
  }
}
