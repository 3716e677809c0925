package io.nsl.cluster;

import io.nsl.P256;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The gateway owner's secp256r1 key as the cluster sees it: a pinned public key that verifies
 * policy signatures (ECDSA over SHA-256, 64 bytes r‖s, as a Neo wallet signs). Pure; thread-safe.
 */
public record OwnerKey(byte[] publicKey) {
  public OwnerKey {
    if (publicKey == null || P256.decodeCompressed(publicKey) == null) {
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
    return P256.verify(publicKey, message, signature);
  }

  /**
   * WARNING: signs with a private key held in memory. For the owner's offline tooling ({@code ./nsl
   * cluster policy sign}) and tests; a service never holds the owner key.
   */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    return P256.signDeterministic(privateKey, message);
  }

  /** The public key of a 32-byte private scalar. */
  public static OwnerKey ofPrivate(byte[] privateKey) {
    return new OwnerKey(P256.publicKeyOf(privateKey));
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
