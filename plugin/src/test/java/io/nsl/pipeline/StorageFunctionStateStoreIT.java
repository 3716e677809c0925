package io.nsl.pipeline;

import io.nsl.js.FunctionStateStore;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageQuota;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The FunctionStateStore contract on the service's adapter over encrypted RocksDB storage, in a
 * temporary folder, with the store's default size limits.
 */
class StorageFunctionStateStoreIT extends FunctionStateStoreContract {
  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x3c);
        return k;
      };

  @Override
  Fixture open(long quotaBytes, long maxKeys) {
    Path dir;
    try {
      dir = Files.createTempDirectory("nsl-function-state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StorageOptions options =
        StorageOptions.defaults(dir.resolve("db"))
            .withFunctionQuota(new StorageQuota(quotaBytes, maxKeys));
    PersistentStorageService storage = PersistentStorageService.initialise(options, KEY);
    FunctionStateStore store =
        new StorageFunctionStateStore(storage, Namespace.functionState("contract-fn"));
    return new Fixture() {
      @Override
      public FunctionStateStore store() {
        return store;
      }

      @Override
      public void close() {
        storage.close();
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
