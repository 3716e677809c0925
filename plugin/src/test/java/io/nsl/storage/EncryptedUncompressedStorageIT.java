package io.nsl.storage;

import java.nio.file.Path;

/** The storage contract with AES-256-GCM sealing and no compression. */
class EncryptedUncompressedStorageIT extends PersistentStorageContract {
  @Override
  StorageOptions options(Path path) {
    return StorageOptions.defaults(path).withCompressed(false);
  }
}
