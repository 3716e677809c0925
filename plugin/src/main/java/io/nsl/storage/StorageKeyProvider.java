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
 *
 * <p>Epochs (docs/cluster.md, decision 0502): a provider backed by cluster keys holds one root per
 * live epoch. The store seals new records under {@link #currentEpoch()}'s key and opens each record
 * with the key of the epoch it is tagged with, asking {@link #deriveStorageKey(int, String)} once
 * per epoch; {@link #currentEpoch()} is asked on every write, so it must be cheap (a field read). A
 * provider without epochs is epoch 0.
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

  /** The epoch whose key seals new records; 0 unless the provider holds cluster epochs. */
  default int currentEpoch() {
    return 0;
  }

  /**
   * Derives the storage key of {@code epoch} for {@code purpose}.
   *
   * @return a new array the caller clears after use
   * @throws StorageKeyMismatchException when the provider holds no key for {@code epoch}
   */
  default byte[] deriveStorageKey(int epoch, String purpose) {
    if (epoch != currentEpoch()) {
      throw new StorageKeyMismatchException(
          "a record is sealed under cluster epoch "
              + epoch
              + ", for which this instance holds no storage key (it holds epoch "
              + currentEpoch()
              + ")");
    }
    return deriveStorageKey(purpose);
  }
}
