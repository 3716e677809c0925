package io.nsl.secrets;

/**
 * The enclave's secrets key pair (secp256r1), seen from the secrets layer: it gives out its public
 * key and performs ECDH, and never hands out the private key. The composition root adapts the
 * enclave's {@code secretsPublicKey()} and {@code secretsKeyAgreement(byte[])}.
 *
 * <p>Threading: both methods may be called concurrently. Failures: implementations throw their own
 * {@link io.nsl.NslException}; the caller has validated the peer key as a point on the curve.
 */
public interface SecretsKey {
  /** The 33-byte compressed public key clients encrypt their secrets to; a new array each call. */
  byte[] publicKey();

  /**
   * ECDH with {@code peerPublicKeyCompressed} (33 bytes, a valid secp256r1 point): returns the
   * 32-byte x coordinate of the shared point, big-endian. WARNING: the result is key material; the
   * caller clears it after use.
   */
  byte[] agree(byte[] peerPublicKeyCompressed);

  /**
   * Whether envelopes encrypted to {@code publicKey} open here: the current key, and after a
   * cluster rotation (docs/cluster.md) every older epoch's key not yet retired.
   */
  default boolean holds(byte[] publicKey) {
    return java.util.Arrays.equals(publicKey, publicKey());
  }

  /**
   * ECDH as {@link #agree(byte[])}, with the private half of {@code ownPublicKey}, one that {@link
   * #holds} says is held. WARNING: the result is key material; the caller clears it after use.
   */
  default byte[] agree(byte[] ownPublicKey, byte[] peerPublicKeyCompressed) {
    if (!java.util.Arrays.equals(ownPublicKey, publicKey())) {
      throw new IllegalArgumentException("not this key pair's public key");
    }
    return agree(peerPublicKeyCompressed);
  }
}
