package io.nsl.enclave.internal;

import io.nsl.enclave.InvalidPeerKeyException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The enclave's private material: signing key, secrets key, root secret. Pure crypto, no I/O.
 *
 * <p>Erasure: the private scalars live as {@link BigInteger}s inside Bouncy Castle key parameters
 * for the life of the ring; BigInteger is immutable and cannot be wiped, so they stay in the heap
 * until the garbage collector reuses the memory. Every byte[] copy (the serialised form, the root
 * secret, HKDF input) is cleared. Inside SGX the heap is enclave memory, which is what actually
 * protects the keys.
 *
 * <p>Thread-safe: all fields are final; {@link #destroy()} is the only mutation.
 */
public final class KeyRing {
  /** A secp256r1 private scalar, unsigned big-endian. */
  public static final int SCALAR_BYTES = 32;

  /** The root secret storage keys are derived from. */
  public static final int ROOT_SECRET_BYTES = 32;

  /** Length of {@link #serialize()} output: version, signing and secrets scalars, root secret. */
  public static final int SERIALIZED_LENGTH = 1 + SCALAR_BYTES + SCALAR_BYTES + ROOT_SECRET_BYTES;

  private static final byte VERSION = 1;
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);
  private static final byte[] STORAGE_SALT = "NSL-STORAGE-v1".getBytes(StandardCharsets.US_ASCII);

  private final ECPrivateKeyParameters signing;
  private final ECPrivateKeyParameters secrets;
  private final byte[] signingPublic;
  private final byte[] secretsPublic;
  private final byte[] rootSecret;

  private KeyRing(BigInteger signingD, BigInteger secretsD, byte[] rootSecret) {
    this.signing = new ECPrivateKeyParameters(signingD, DOMAIN);
    this.secrets = new ECPrivateKeyParameters(secretsD, DOMAIN);
    this.signingPublic = DOMAIN.getG().multiply(signingD).normalize().getEncoded(true);
    this.secretsPublic = DOMAIN.getG().multiply(secretsD).normalize().getEncoded(true);
    this.rootSecret = rootSecret;
  }

  /** Creates fresh keys from {@code random}. */
  public static KeyRing generate(SecureRandom random) {
    byte[] root = new byte[32];
    random.nextBytes(root);
    return new KeyRing(randomScalar(random), randomScalar(random), root);
  }

  /**
   * Rebuilds the ring from {@link #serialize()} output. The caller clears {@code bytes}.
   *
   * @throws IllegalArgumentException when the bytes are not a serialised ring
   */
  public static KeyRing deserialize(byte[] bytes) {
    if (bytes.length != SERIALIZED_LENGTH || bytes[0] != VERSION) {
      throw new IllegalArgumentException("not a version-1 key ring (" + bytes.length + " bytes)");
    }
    int secretsAt = 1 + SCALAR_BYTES;
    int rootAt = secretsAt + SCALAR_BYTES;
    BigInteger d1 = new BigInteger(1, Arrays.copyOfRange(bytes, 1, secretsAt));
    BigInteger d2 = new BigInteger(1, Arrays.copyOfRange(bytes, secretsAt, rootAt));
    if (!validScalar(d1) || !validScalar(d2)) {
      throw new IllegalArgumentException("a private scalar is out of range");
    }
    return new KeyRing(d1, d2, Arrays.copyOfRange(bytes, rootAt, SERIALIZED_LENGTH));
  }

  /** WARNING: returns private key material. The caller must seal it and clear the array. */
  public byte[] serialize() {
    byte[] out = new byte[SERIALIZED_LENGTH];
    out[0] = VERSION;
    byte[] d1 = BigIntegers.asUnsignedByteArray(SCALAR_BYTES, signing.getD());
    byte[] d2 = BigIntegers.asUnsignedByteArray(SCALAR_BYTES, secrets.getD());
    System.arraycopy(d1, 0, out, 1, SCALAR_BYTES);
    System.arraycopy(d2, 0, out, 1 + SCALAR_BYTES, SCALAR_BYTES);
    System.arraycopy(rootSecret, 0, out, 1 + SCALAR_BYTES + SCALAR_BYTES, ROOT_SECRET_BYTES);
    Arrays.fill(d1, (byte) 0);
    Arrays.fill(d2, (byte) 0);
    return out;
  }

  public byte[] signingPublicKey() {
    return signingPublic.clone();
  }

  public byte[] secretsPublicKey() {
    return secretsPublic.clone();
  }

  /** ECDSA secp256r1 / SHA-256, RFC 6979 nonce, low-s, 64 bytes r‖s. */
  public byte[] sign(byte[] message) {
    SHA256Digest sha = new SHA256Digest();
    sha.update(message, 0, message.length);
    byte[] hash = new byte[32];
    sha.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, signing);
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    byte[] out = new byte[64];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
    return out;
  }

  /** ECDH x-coordinate with the secrets key. */
  public byte[] secretsAgreement(byte[] peerPublicKey) {
    ECPoint peer = decodePoint(peerPublicKey);
    ECPoint shared = peer.multiply(secrets.getD()).normalize();
    if (shared.isInfinity()) {
      throw new InvalidPeerKeyException("the shared point is the point at infinity");
    }
    return BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
  }

  /** HKDF-SHA256(root secret, salt "NSL-STORAGE-v1", info purpose), 32 bytes. */
  public byte[] deriveKey(String purpose) {
    return deriveFrom(rootSecret, purpose);
  }

  /** The secrets key's private scalar, for making cluster epoch 0 from this ring (migration). */
  BigInteger secretsScalar() {
    return secrets.getD();
  }

  /** WARNING: a copy of the root secret, for making cluster epoch 0. The caller clears it. */
  byte[] rootSecretCopy() {
    return rootSecret.clone();
  }

  static BigInteger newScalar(SecureRandom random) {
    return randomScalar(random);
  }

  static boolean isValidScalar(BigInteger d) {
    return validScalar(d);
  }

  /** HKDF-SHA256 over {@code root} with the storage salt, as {@link #deriveKey}. */
  static byte[] deriveFrom(byte[] root, String purpose) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(root, STORAGE_SALT, purpose.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, 32);
    return out;
  }

  /** Clears the root secret. The scalars cannot be wiped (see class doc). */
  public void destroy() {
    Arrays.fill(rootSecret, (byte) 0);
  }

  /**
   * Decodes and validates a secp256r1 point.
   *
   * @throws InvalidPeerKeyException naming what is wrong
   */
  public static ECPoint decodePoint(byte[] encoded) {
    if (encoded == null) {
      throw new InvalidPeerKeyException("it is null");
    }
    if (encoded.length == 33) {
      if (encoded[0] != 2 && encoded[0] != 3) {
        throw new InvalidPeerKeyException(
            String.format("33 bytes but prefix 0x%02x (expected 02 or 03)", encoded[0]));
      }
    } else if (encoded.length == 65) {
      if (encoded[0] != 4) {
        throw new InvalidPeerKeyException(
            String.format("65 bytes but prefix 0x%02x (expected 04)", encoded[0]));
      }
    } else {
      throw new InvalidPeerKeyException("length " + encoded.length + " (expected 33 or 65)");
    }
    ECPoint p;
    try {
      p = DOMAIN.getCurve().decodePoint(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidPeerKeyException("the point is not on the curve");
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new InvalidPeerKeyException("the point is not on the curve");
    }
    return p.normalize();
  }

  private static BigInteger randomScalar(SecureRandom random) {
    while (true) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      BigInteger d = new BigInteger(1, b);
      Arrays.fill(b, (byte) 0);
      if (validScalar(d)) {
        return d;
      }
    }
  }

  private static boolean validScalar(BigInteger d) {
    return d.signum() > 0 && d.compareTo(CURVE.getN()) < 0;
  }
}
