package io.nsl.pipeline;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageBatch;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link ServiceStore} over the encrypted storage service's {@code service} namespace. */
public final class StorageServiceStore implements ServiceStore {
  private static final int SCAN_LIMIT = 1_000_000;
  private final PersistentStorageService storage;
  private final Namespace ns = Namespace.service();

  public StorageServiceStore(PersistentStorageService storage) {
    this.storage = storage;
  }

  @Override
  public Optional<byte[]> get(String key) {
    return storage.read(ns, key);
  }

  @Override
  public Map<String, byte[]> scan(String prefix) {
    Map<String, byte[]> out = new TreeMap<>();
    for (byte[] k : storage.listKeys(ns, utf8(prefix), SCAN_LIMIT)) {
      storage.read(ns, k).ifPresent(v -> out.put(new String(k, StandardCharsets.UTF_8), v));
    }
    return out;
  }

  @Override
  public void apply(Map<String, byte[]> puts, Set<String> deletes) {
    if (puts.isEmpty() && deletes.isEmpty()) {
      return;
    }
    StorageBatch.Builder b = StorageBatch.builder();
    puts.forEach((k, v) -> b.put(ns, utf8(k), v));
    deletes.forEach(k -> b.delete(ns, utf8(k)));
    storage.commit(b.build());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
