package io.nsl.pipeline;

import io.nsl.NameRules;
import io.nsl.js.FunctionStateStore;
import io.nsl.js.StateQuotaExceededException;
import io.nsl.storage.InvalidStorageKeyException;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageQuotaExceededException;
import io.nsl.storage.StorageValueTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A function's own state in its storage namespace; the quota and the size limits are the store's.
 * Storage failures are given the {@link FunctionStateStore} kinds that {@code
 * InMemoryFunctionStateStore} also throws: a bad key is an {@link IllegalArgumentException}, a
 * value over the store's limit or a write over the quota a {@link StateQuotaExceededException}.
 */
final class StorageFunctionStateStore implements FunctionStateStore {
  private final PersistentStorageService storage;
  private final Namespace ns;

  StorageFunctionStateStore(PersistentStorageService storage, Namespace ns) {
    this.storage = storage;
    this.ns = ns;
  }

  @Override
  public Optional<byte[]> get(String key) {
    checkKey(key);
    try {
      return storage.read(ns, key);
    } catch (InvalidStorageKeyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, byte[] value) {
    checkKey(key);
    try {
      storage.write(ns, key, value);
    } catch (InvalidStorageKeyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (StorageQuotaExceededException | StorageValueTooLargeException e) {
      throw new StateQuotaExceededException(e.getMessage());
    }
  }

  @Override
  public boolean delete(String key) {
    checkKey(key);
    try {
      return storage.delete(ns, key);
    } catch (InvalidStorageKeyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  // The guest-facing rule, before the store's byte rule: a lone surrogate would be stored as '?'.
  private static void checkKey(String key) {
    NameRules.storageKeyProblem(key)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
  }

  @Override
  public List<String> list(String prefix, int limit) {
    List<String> out = new ArrayList<>();
    for (byte[] k : storage.listKeys(ns, prefix.getBytes(StandardCharsets.UTF_8), limit)) {
      out.add(new String(k, StandardCharsets.UTF_8));
    }
    return out;
  }
}
