package io.nsl.enclave.internal;

import io.nsl.enclave.SealedStateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Simulation's sealing key: 32 random bytes in a file (mode 0600), created on first use. Anyone who
 * can read the file can unseal the keys: this is exactly what SIMULATED means.
 */
public final class FileSealingKeySource implements SealingKeySource {
  /** Header tag for simulated sealing. */
  public static final byte TAG = 'S';

  /** An AES-256 key. */
  public static final int KEY_BYTES = 32;

  private final Path keyFile;

  public FileSealingKeySource(Path keyFile, SecureRandom random) {
    this.keyFile = keyFile;
    if (!Files.exists(keyFile)) {
      byte[] key = new byte[KEY_BYTES];
      random.nextBytes(key);
      try {
        SealedKeyFile.writeOwnerOnly(keyFile, key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  @Override
  public byte tag() {
    return TAG;
  }

  @Override
  public byte[] newContext() {
    return new byte[0];
  }

  @Override
  public byte[] sealingKey(byte[] context) {
    byte[] key = SealedKeyFile.readAll(keyFile);
    if (key.length != KEY_BYTES) {
      Arrays.fill(key, (byte) 0);
      throw new SealedStateException(
          "the simulated seal key "
              + keyFile
              + " must hold "
              + KEY_BYTES
              + " bytes; it holds "
              + key.length);
    }
    return key;
  }
}
