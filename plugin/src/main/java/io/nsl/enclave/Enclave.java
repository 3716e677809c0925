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
   * The running code's measurement, 64 lower-case hex digits: MRENCLAVE in SGX; in SIMULATED the
   * SHA-256 of the service's code or {@code NSL_SIMULATED_MEASUREMENT} (see {@link
   * SimulatedMeasurement}), which nothing proves.
   */
  String measurement();

  /**
   * The cluster keys this instance holds (docs/cluster.md), or empty when it holds none yet. While
   * it holds them, {@link #secretsPublicKey()}, {@link #secretsKeyAgreement} and {@link
   * #deriveStorageKey} use the current epoch's keys instead of the instance's own.
   */
  java.util.Optional<ClusterKeys> clusterKeys();

  /**
   * Makes this instance the first holder of the cluster keys: epoch 0 is made of its own secrets
   * key and storage root secret, so every secret already encrypted to it and every stored value
   * stays readable (migration). Sealed under this instance's measurement into {@code
   * cluster.sealed}. When it already holds cluster keys, returns them unchanged.
   */
  ClusterKeys initCluster();

  /** The current cluster epoch: 0 when this instance holds no cluster keys. A field read. */
  int currentEpoch();

  /**
   * {@link #deriveStorageKey(String)} with the root secret of cluster epoch {@code epoch} (epoch 0
   * without cluster keys is the instance's own root). The caller clears the array.
   *
   * @throws ClusterStateException when this instance holds no key for {@code epoch}
   */
  byte[] deriveStorageKey(int epoch, String purpose);

  /**
   * ECDH between the secrets private key of the live epoch whose public key is {@code ownPublicKey}
   * and {@code peerPublicKey}: envelopes made for an older, not yet retired epoch still open. Empty
   * when no live epoch has that public key.
   *
   * @throws InvalidPeerKeyException when {@code peerPublicKey} is not a valid point
   */
  java.util.Optional<byte[]> secretsKeyAgreement(byte[] ownPublicKey, byte[] peerPublicKey);

  /**
   * Makes cluster epoch current + 1 (a fresh secrets key pair and storage root secret), seals the
   * ring with it (one atomic file replace: a kill leaves the old ring or the new one) and makes it
   * current. Older epochs stay live until {@link #retireEpoch}. Moving stored data to the new epoch
   * is the caller's (docs/cluster.md, "Rotation").
   *
   * @throws ClusterStateException when this instance holds no cluster keys, or already holds the
   *     most live epochs a ring may
   */
  ClusterKeys rotateCluster();

  /**
   * WARNING: drops {@code epoch}'s keys for good (sealed ring replaced); data still sealed under it
   * becomes unreadable. Callers check first that nothing is left under it.
   *
   * @throws ClusterStateException when the epoch is current, not held, or there are no cluster keys
   */
  ClusterKeys retireEpoch(int epoch);

  /** A fresh ephemeral P-256 key for one join, as the newcomer. */
  JoinKey newJoinKey();

  /**
   * WARNING: evidence over any 64-byte {@code reportData}: a DCAP quote in SGX, a SIMULATED
   * document otherwise. Only protocol code that computes report_data from a tagged, fully bound
   * message may call it (the join protocol does; {@link #attest} is the one for the gateway).
   *
   * @throws AttestationException when the platform cannot produce a quote
   */
  byte[] evidenceFor(byte[] reportData);

  /**
   * Wraps every live epoch of the cluster keys to a newcomer's ephemeral key (ECDH + HKDF +
   * AES-GCM, {@code aad} authenticated). Call it only after the newcomer's evidence was verified.
   *
   * @throws ClusterStateException when this instance holds no cluster keys
   * @throws InvalidPeerKeyException when the key is not a secp256r1 point
   */
  byte[] wrapClusterKeys(byte[] peerEphemeralPublicKey, byte[] aad);

  /**
   * Opens cluster keys wrapped to {@code key} and seals them under this instance's measurement.
   * Accepting the same keys again is a no-op (a retried join). A member that already holds keys
   * takes a ring that keeps every epoch it holds, with the same keys, plus newer ones (the epochs a
   * rotation made since it joined).
   *
   * @throws ClusterKeysRejectedException when they do not open with {@code key} and {@code aad}
   * @throws ClusterStateException when this instance already holds other cluster keys, or the
   *     offered ring lacks an epoch it holds (retired elsewhere first)
   */
  ClusterKeys acceptClusterKeys(JoinKey key, byte[] wrapped, byte[] aad);

  /**
   * Terminates the enclave: clears the key material this object holds and makes every later call
   * except {@link #mode()}, {@link #instanceId()} and {@code close()} throw {@link
   * EnclaveClosedException}. Idempotent.
   */
  @Override
  void close();
}
