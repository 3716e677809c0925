package io.nsl.storage;

/**
 * Source of the key that seals every stored value. The enclave layer implements it (the composition
 * root adapts {@code enclave::deriveStorageKey}); tests use a fixed key.
 *
 * <p>Contract: returns a fresh 32-byte array holding an AES-256 key, the same bytes for the same
 * {@code purpose} across restarts of the same enclave identity (a store written before a restart
 * must open after it). The caller owns the returned array and clears it after use. Called once per
 * {@link PersistentStorageService#initialise}, from the opening thread. Failures are reported as
 * the implementation's own {@link io.nsl.NslException}.
 */
@FunctionalInterface
public interface StorageKeyProvider {
  /** The purpose string the storage layer asks for; changing it changes the key. */
  String STORAGE_PURPOSE = "nsl/storage/v1";

  /**
   * Derives the 32-byte storage key for {@code purpose}.
   *
   * @return a new array the caller clears after use
   */
  byte[] deriveStorageKey(String purpose);
}
