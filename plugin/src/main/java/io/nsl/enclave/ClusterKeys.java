package io.nsl.enclave;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The public side of the cluster keys an instance holds: for each live epoch its secrets public
 * key. The private halves and the storage root secrets stay in the enclave.
 *
 * @param currentEpoch the newest epoch: secrets are encrypted to its key, storage uses its root
 * @param epochs every live epoch, ascending
 */
public record ClusterKeys(int currentEpoch, List<EpochKey> epochs) {

  /**
   * One epoch.
   *
   * @param epoch 0, 1, 2, …
   * @param secretsPublicKey 33-byte compressed secp256r1 key developers encrypt secrets to
   */
  public record EpochKey(int epoch, byte[] secretsPublicKey) {
    public EpochKey {
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
      }
      if (secretsPublicKey == null || secretsPublicKey.length != 33) {
        throw new IllegalArgumentException("secretsPublicKey must be 33 bytes (compressed)");
      }
      secretsPublicKey = secretsPublicKey.clone();
    }

    @Override
    public byte[] secretsPublicKey() {
      return secretsPublicKey.clone();
    }

    /** The key in hex. */
    public String secretsPublicKeyHex() {
      return HexFormat.of().formatHex(secretsPublicKey);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EpochKey k
          && k.epoch == epoch
          && java.util.Arrays.equals(k.secretsPublicKey, secretsPublicKey);
    }

    @Override
    public int hashCode() {
      return epoch * 31 + java.util.Arrays.hashCode(secretsPublicKey);
    }

    @Override
    public String toString() {
      return "EpochKey[" + epoch + ", " + secretsPublicKeyHex() + "]";
    }
  }

  public ClusterKeys {
    Objects.requireNonNull(epochs, "epochs");
    epochs = epochs.stream().sorted(Comparator.comparingInt(EpochKey::epoch)).toList();
    if (epochs.isEmpty() || epochs.get(epochs.size() - 1).epoch() != currentEpoch) {
      throw new IllegalArgumentException("the current epoch must be the newest live epoch");
    }
  }

  /** The secrets public key of the current epoch. */
  public byte[] currentSecretsPublicKey() {
    return epochs.get(epochs.size() - 1).secretsPublicKey();
  }
}
