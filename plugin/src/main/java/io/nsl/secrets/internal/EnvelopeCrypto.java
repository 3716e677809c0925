package io.nsl.secrets.internal;

import io.nsl.P256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The primitives of the secret envelope (docs/secrets-envelope.md): secp256r1 points, ECDH,
 * HKDF-SHA256, AES-256-GCM, ECDSA over SHA-256, and Neo's single-signature script hash. Pure,
 * stateless, thread-safe.
 */
public final class EnvelopeCrypto {
  public static final X9ECParameters CURVE = P256.CURVE;
  public static final ECDomainParameters DOMAIN = P256.DOMAIN;
  public static final byte[] HKDF_INFO =
      "NSL secret envelope v1".getBytes(StandardCharsets.US_ASCII);

  private EnvelopeCrypto() {}

  /** Decodes a compressed point; {@code null} when it is not a valid point of secp256r1. */
  public static ECPoint decodeCompressed(byte[] compressed) {
    return P256.decodeCompressed(compressed);
  }

  /** The compressed public key of private scalar {@code d} (32 bytes, big-endian). */
  public static byte[] publicKeyOf(byte[] privateKey) {
    return P256.publicKeyOf(privateKey);
  }

  /** ECDH: x coordinate (32 bytes) of {@code d * peer}. WARNING: key material. */
  public static byte[] agree(byte[] privateKey, byte[] peerCompressed) {
    ECPoint peer = decodeCompressed(peerCompressed);
    if (peer == null) {
      throw new IllegalArgumentException("peer key is not a compressed secp256r1 point");
    }
    ECPoint shared = peer.multiply(scalar(privateKey)).normalize();
    if (shared.isInfinity()) {
      throw new IllegalArgumentException("ECDH gave the point at infinity");
    }
    return BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
  }

  /**
   * HKDF-SHA256(ikm = shared x, salt = ephemeral key || enclave key, info = HKDF_INFO), 32 bytes.
   */
  public static byte[] deriveAesKey(byte[] sharedX, byte[] ephemeralKey, byte[] enclaveKey) {
    byte[] salt = new byte[ephemeralKey.length + enclaveKey.length];
    System.arraycopy(ephemeralKey, 0, salt, 0, ephemeralKey.length);
    System.arraycopy(enclaveKey, 0, salt, ephemeralKey.length, enclaveKey.length);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(sharedX, salt, HKDF_INFO));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, 32);
    return key;
  }

  public static byte[] aesGcmEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      return c.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /** Decrypts; {@code null} when authentication fails. */
  public static byte[] aesGcmDecrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  public static byte[] sha256(byte[] data) {
    return P256.sha256(data);
  }

  /** Verifies a 64-byte r||s secp256r1 signature over SHA-256({@code message}); low or high s. */
  public static boolean verify(byte[] compressedKey, byte[] message, byte[] signature) {
    return P256.verify(compressedKey, message, signature);
  }

  /**
   * Deterministic (RFC 6979) signature over SHA-256({@code message}), s normalised to the lower
   * half: 64 bytes r||s. For tests and the test vector; production owners sign with their wallet.
   */
  public static byte[] signDeterministic(byte[] privateKey, byte[] message) {
    return P256.signDeterministic(privateKey, message);
  }

  /**
   * Neo N3 single-signature verification script {@code 0C 21 <key> 41 56 E7 B3 27} hashed with
   * SHA-256 then RIPEMD-160: the account's script hash, little-endian (raw digest order).
   */
  public static byte[] verificationScript(byte[] compressedKey) {
    byte[] script = new byte[40];
    script[0] = 0x0c;
    script[1] = 0x21;
    System.arraycopy(compressedKey, 0, script, 2, 33);
    script[35] = 0x41;
    script[36] = 0x56;
    script[37] = (byte) 0xe7;
    script[38] = (byte) 0xb3;
    script[39] = 0x27;
    return script;
  }

  public static byte[] scriptHashLE(byte[] compressedKey) {
    if (compressedKey == null || compressedKey.length != 33) {
      throw new IllegalArgumentException("a compressed public key has 33 bytes");
    }
    byte[] sha = sha256(verificationScript(compressedKey));
    RIPEMD160Digest r = new RIPEMD160Digest();
    r.update(sha, 0, sha.length);
    byte[] out = new byte[20];
    r.doFinal(out, 0);
    return out;
  }

  private static BigInteger scalar(byte[] privateKey) {
    return P256.scalar(privateKey);
  }
}
