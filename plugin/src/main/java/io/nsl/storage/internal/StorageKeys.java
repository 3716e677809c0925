package io.nsl.storage.internal;

import io.nsl.storage.InvalidStorageKeyException;
import io.nsl.storage.Namespace;
import io.nsl.storage.StorageLimits;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Checks caller keys, and names keys in messages without ever showing a value. */
final class StorageKeys {
  private StorageKeys() {}

  static void checkKey(byte[] key, StorageLimits limits) {
    if (key == null || key.length == 0) {
      throw new InvalidStorageKeyException("a storage key must have at least one byte");
    }
    if (key.length > limits.maxKeyBytes()) {
      throw new InvalidStorageKeyException(
          "storage key of "
              + key.length
              + " bytes is longer than the limit of "
              + limits.maxKeyBytes()
              + " bytes; use a shorter key (a hash of a long name, for example)");
    }
  }

  /** A key's location for messages, rendered only when a message is built. */
  static Object at(Namespace n, byte[] key) {
    return new Object() {
      @Override
      public String toString() {
        return describe(n, key);
      }
    };
  }

  /** Names a key in messages: printable ASCII as is, anything else as hex; never the value. */
  static String describe(Namespace n, byte[] key) {
    boolean printable = true;
    for (byte b : key) {
      if (b < 0x20 || b > 0x7e) {
        printable = false;
        break;
      }
    }
    String k;
    if (printable) {
      k = new String(key, StandardCharsets.US_ASCII);
    } else {
      k = "0x" + HexFormat.of().formatHex(key);
    }
    if (k.length() > 80) {
      k = k.substring(0, 77) + "...";
    }
    return n.name() + "/" + k;
  }
}
