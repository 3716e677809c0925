package io.nsl.pipeline;

import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** The ServiceStore contract on the real one: encrypted RocksDB storage in a temporary folder. */
class StorageServiceStoreIT extends ServiceStoreContract {
  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x5a);
        return k;
      };

  @Override
  Fixture open() {
    Path dir;
    try {
      dir = Files.createTempDirectory("nsl-service-store");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StorageOptions options = StorageOptions.defaults(dir.resolve("db"));
    return new Fixture() {
      private PersistentStorageService storage = PersistentStorageService.initialise(options, KEY);

      @Override
      public ServiceStore store() {
        return new StorageServiceStore(storage);
      }

      @Override
      public ServiceStore restart() {
        storage.close();
        storage = PersistentStorageService.initialise(options, KEY);
        return new StorageServiceStore(storage);
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
