package io.nsl.cluster;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
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
 * The gateway owner's secp256r1 key as the cluster sees it: a pinned public key that verifies
 * policy signatures (ECDSA over SHA-256, 64 bytes r‖s, as a Neo wallet signs). Pure; thread-safe.
 */
public record OwnerKey(byte[] publicKey) {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  public OwnerKey {
    if (publicKey == null || decode(publicKey) == null) {
      throw new IllegalArgumentException(
          "the owner key must be a 33-byte compressed secp256r1 public key (66 hex digits)");
    }
    publicKey = publicKey.clone();
  }

  /**
   * Parses 66 hex digits.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static OwnerKey ofHex(String hex) {
    byte[] b;
    try {
      b = HexFormat.of().parseHex(hex.strip().replaceFirst("^0x", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the owner key must be 66 hex digits (compressed secp256r1), got '" + hex + "'");
    }
    return new OwnerKey(b);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /** Whether {@code signature} (r‖s) signs SHA-256({@code message}) under this key. */
  public boolean verifies(byte[] message, byte[] signature) {
    if (signature == null || signature.length != 64) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    BigInteger n = CURVE.getN();
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(decode(publicKey), DOMAIN));
    return v.verifySignature(sha256(message), r, s);
  }

  /**
   * WARNING: signs with a private key held in memory. For the owner's offline tooling ({@code ./nsl
   * cluster policy sign}) and tests; a service never holds the owner key.
   */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    BigInteger d = new BigInteger(1, privateKey);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(message));
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    byte[] out = new byte[64];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
    return out;
  }

  /** The public key of a 32-byte private scalar. */
  public static OwnerKey ofPrivate(byte[] privateKey) {
    return new OwnerKey(
        CURVE.getG().multiply(new BigInteger(1, privateKey)).normalize().getEncoded(true));
  }

  private static ECPoint decode(byte[] b) {
    if (b.length != 33 || (b[0] != 2 && b[0] != 3)) {
      return null;
    }
    try {
      ECPoint p = CURVE.getCurve().decodePoint(b);
      return p.isInfinity() || !p.isValid() ? null : p;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] sha256(byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwnerKey k && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "OwnerKey[" + hex() + "]";
  }
}
