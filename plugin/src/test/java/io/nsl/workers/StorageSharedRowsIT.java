package io.nsl.workers;

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
import org.junit.jupiter.api.AfterEach;

/** The SharedRows contract on the encrypted store (RocksDB here; PostgreSQL once it stands). */
class StorageSharedRowsIT extends SharedRowsContract {
  private static final StorageKeyProvider KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x5a);
        return k;
      };

  private Path dir;
  private PersistentStorageService storage;

  @Override
  SharedRows rows() {
    try {
      dir = Files.createTempDirectory("nsl-shared-rows");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    storage = PersistentStorageService.initialise(StorageOptions.defaults(dir.resolve("db")), KEY);
    return new StorageSharedRows(storage);
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
