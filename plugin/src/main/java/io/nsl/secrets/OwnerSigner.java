package io.nsl.secrets;

/**
 * An owner's Neo key as needed to sign an envelope (client side: CLI, tests). A neow3j {@code
 * ECKeyPair} fits: {@code Sign.signMessage(message, keyPair)} hashes with SHA-256 and returns r||s.
 *
 * <p>Contract: {@link #sign} returns a 64-byte secp256r1 ECDSA signature r||s (each 32 bytes,
 * big-endian) over SHA-256 of {@code message}. Not called concurrently by NSL.
 */
public interface OwnerSigner {
  /** The 33-byte compressed public key. */
  byte[] publicKey();

  /** Signs SHA-256({@code message}); 64 bytes r||s. */
  byte[] sign(byte[] message);
}
