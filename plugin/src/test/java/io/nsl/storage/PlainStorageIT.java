package io.nsl.storage;

import java.nio.file.Path;

/** The storage contract without encryption or compression (development stores). */
class PlainStorageIT extends PersistentStorageContract {
  @Override
  StorageOptions options(Path path) {
    return StorageOptions.defaults(path).withEncrypted(false).withCompressed(false);
  }
}
