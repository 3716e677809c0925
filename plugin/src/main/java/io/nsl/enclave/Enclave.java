package io.nsl.enclave;

/**
 * The trusted part of the service (the original design's {@code OcclumInterface}): two key pairs
 * that never leave it, a sealed root secret, randomness, and attestation evidence binding the
 * public keys.
 *
 * <p>Keys. At first start the implementation creates a secp256r1 <em>signing key</em> (signs
 * results for the gateway) and a secp256r1 <em>secrets key</em> (dApp developers encrypt their
 * secrets to it), plus a 32-byte root secret for storage keys. All three are sealed at rest and
 * unsealed at the next start, so the public keys are the same after a restart. No method returns a
 * private key.
 *
 * <p>TEE-neutral: callers depend on this interface and {@link EnclaveMode} only. {@link
 * SimulatedEnclave} runs anywhere; {@link OcclumEnclave} runs inside an Occlum SGX enclave. Another
 * LibOS or a TDX implementation plugs in here without touching callers.
 *
 * <p>Threading: every method is safe to call from any thread, concurrently. Signing and key
 * agreement do not block on I/O.
 *
 * <p>Failures: methods throw {@link io.nsl.NslException} subclasses from this package ({@link
 * EnclaveClosedException} after {@link #close()}, {@link InvalidPeerKeyException} for a bad peer
 * key, {@link AttestationException} when evidence cannot be made). Arguments that break the
 * documented contract (null, wrong sizes) throw {@link IllegalArgumentException}.
 */
public interface Enclave extends AutoCloseable {

  /** SGX or SIMULATED. Callers that must not run on simulated keys check this. */
  EnclaveMode mode();

  /** This instance's id, stable across restarts on the same sealed keys (derived from them). */
  String instanceId();

  /** The 33-byte compressed secp256r1 public key that verifies {@link #sign} signatures. */
  byte[] signingPublicKey();

  /**
   * Signs {@code message} with the signing key: ECDSA secp256r1 over SHA-256(message), RFC 6979
   * deterministic nonce, low-s normalised, returned as 64 bytes r‖s (each 32 bytes big-endian).
   * This is what Neo's {@code CryptoLib.verifyWithECDsa(message, pubKey, sig, secp256r1SHA256)}
   * accepts.
   */
  byte[] sign(byte[] message);

  /** The 33-byte compressed secp256r1 public key dApp developers encrypt secrets to. */
  byte[] secretsPublicKey();

  /**
   * ECDH between the secrets private key and {@code peerPublicKey}.
   *
   * @param peerPublicKey a secp256r1 point, 33 bytes compressed or 65 bytes uncompressed
   * @return the 32-byte x-coordinate of the shared point (unhashed: run it through a KDF). The
   *     caller owns the array and should clear it when done.
   * @throws InvalidPeerKeyException when the bytes are not a valid point on secp256r1 (wrong
   *     length, bad prefix, off the curve, or the point at infinity)
   */
  byte[] secretsKeyAgreement(byte[] peerPublicKey);

  /**
   * Derives a 32-byte key from the sealed root secret: HKDF-SHA256(ikm = root secret, salt =
   * "NSL-STORAGE-v1", info = UTF-8 of {@code purpose}). The same purpose gives the same key after a
   * restart; different purposes give independent keys. The caller owns the array and should clear
   * it when done.
   *
   * @param purpose a non-empty label naming what the key is for, e.g. {@code "storage/values/v1"}
   */
  byte[] deriveStorageKey(String purpose);

  /**
   * {@code n} random bytes from the enclave's source (in SGX, Occlum serves /dev/urandom from
   * RDRAND inside the enclave).
   *
   * @param n between 0 and 1 MiB
   */
  byte[] randomBytes(int n);

  /**
   * Makes fresh evidence that this instance holds the two public keys, for {@code gateway}. The
   * evidence's report_data is {@link ReportData#compute}{@code (gateway, signingPublicKey(),
   * secretsPublicKey())}.
   *
   * @throws AttestationException when the platform cannot produce a quote
   */
  Attestation attest(GatewayIdentity gateway);

  /**
   * Checks the enclave's own state: that the sealed keys on disk still unseal to the keys in memory
   * and, in SGX, reads the running enclave's own measurement. Never throws for a failed check: the
   * report says what failed. The service's readiness ({@code /ready}) runs it on every call.
   */
  IntegrityReport integrityCheck();

  /**
   * Terminates the enclave: clears the key material this object holds and makes every later call
   * except {@link #mode()}, {@link #instanceId()} and {@code close()} throw {@link
   * EnclaveClosedException}. Idempotent.
   */
  @Override
  void close();
}
