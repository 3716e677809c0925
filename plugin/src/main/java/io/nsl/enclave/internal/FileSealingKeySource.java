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

  private final Path keyFile;

  public FileSealingKeySource(Path keyFile, SecureRandom random) {
    this.keyFile = keyFile;
    if (!Files.exists(keyFile)) {
      byte[] key = new byte[32];
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
    if (key.length != 32) {
      Arrays.fill(key, (byte) 0);
      throw new SealedStateException(
          "the simulated seal key " + keyFile + " must hold 32 bytes; it holds " + key.length);
    }
    return key;
  }
}
