package io.nsl;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256r1 as Neo uses it: compressed points and ECDSA over SHA-256 with 64-byte r‖s signatures.
 * One place for what the secret envelope, the cluster's owner key and the API's signed requests
 * need. Pure, stateless, thread-safe.
 */
public final class P256 {
  public static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private P256() {}

  /** Decodes a compressed point; {@code null} when it is not a valid point of secp256r1. */
  public static ECPoint decodeCompressed(byte[] compressed) {
    if (compressed == null
        || compressed.length != 33
        || (compressed[0] != 0x02 && compressed[0] != 0x03)) {
      return null;
    }
    try {
      ECPoint p = CURVE.getCurve().decodePoint(compressed);
      return p.isInfinity() || !p.isValid() ? null : p;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The compressed public key of private scalar {@code d} (32 bytes, big-endian). */
  public static byte[] publicKeyOf(byte[] privateKey) {
    return CURVE.getG().multiply(scalar(privateKey)).normalize().getEncoded(true);
  }

  public static byte[] sha256(byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** Verifies a 64-byte r||s secp256r1 signature over SHA-256({@code message}); low or high s. */
  public static boolean verify(byte[] compressedKey, byte[] message, byte[] signature) {
    ECPoint q = decodeCompressed(compressedKey);
    if (q == null || signature == null || signature.length != 64) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    BigInteger n = CURVE.getN();
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return v.verifySignature(sha256(message), r, s);
  }

  /**
   * WARNING: signs with a private key held in memory. Deterministic (RFC 6979) signature over
   * SHA-256({@code message}), s normalised to the lower half: 64 bytes r||s.
   *
   * @throws IllegalArgumentException when the key is not a 32-byte scalar in [1, n-1]
   */
  public static byte[] signDeterministic(byte[] privateKey, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(scalar(privateKey), DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(message));
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    byte[] out = new byte[64];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
    return out;
  }

  /**
   * A private key as a scalar.
   *
   * @throws IllegalArgumentException when it is not 32 bytes in [1, n-1]
   */
  public static BigInteger scalar(byte[] privateKey) {
    BigInteger d = new BigInteger(1, privateKey);
    if (privateKey.length != 32 || d.signum() <= 0 || d.compareTo(CURVE.getN()) >= 0) {
      throw new IllegalArgumentException("a secp256r1 private key is a 32-byte scalar in [1, n-1]");
    }
    return d;
  }
}
