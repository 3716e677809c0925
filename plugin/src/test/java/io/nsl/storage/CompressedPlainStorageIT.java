package io.nsl.storage;

import java.nio.file.Path;

/** The storage contract with compression and no encryption. */
class CompressedPlainStorageIT extends PersistentStorageContract {
  @Override
  StorageOptions options(Path path) {
    return StorageOptions.defaults(path).withEncrypted(false);
  }
}
