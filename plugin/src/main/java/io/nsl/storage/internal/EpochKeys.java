package io.nsl.storage.internal;

import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOpenException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's AES keys, asked of the {@link StorageKeyProvider} once per epoch and cached (a
 * rotation adds an epoch while the store is open; a retired one is forgotten). Thread-safe.
 */
final class EpochKeys implements Sealer.Keys {
  private final StorageKeyProvider provider;
  private final Map<Integer, SecretKeySpec> cache = new ConcurrentHashMap<>();

  EpochKeys(StorageKeyProvider provider) {
    this.provider = provider;
    key(provider.currentEpoch()); // fails at open, not at the first write, on a bad provider
  }

  @Override
  public int currentEpoch() {
    return provider.currentEpoch();
  }

  @Override
  public SecretKeySpec key(int epoch) {
    SecretKeySpec k = cache.get(epoch);
    return k != null ? k : cache.computeIfAbsent(epoch, this::derive);
  }

  void forget(int epoch) {
    cache.remove(epoch);
  }

  private SecretKeySpec derive(int epoch) {
    byte[] aesKey = provider.deriveStorageKey(epoch, StorageKeyProvider.STORAGE_PURPOSE);
    try {
      if (aesKey == null || aesKey.length != 32) {
        throw new StorageOpenException(
            "the storage key provider returned "
                + (aesKey == null ? -1 : aesKey.length)
                + " bytes for epoch "
                + epoch
                + "; an AES-256 key has 32");
      }
      return new SecretKeySpec(aesKey, "AES");
    } finally {
      if (aesKey != null) {
        Arrays.fill(aesKey, (byte) 0);
      }
    }
  }
}
