package io.nsl.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which chain a data folder belongs to: the network magic, the gateway's hash (0x-prefixed,
 * big-endian) and the hash of block {@link #ANCHOR_BLOCK}. The magic and the gateway alone do not
 * tell two devnets apart (each fresh devnet has the same magic, and the same deployer makes the
 * same contract hashes); neither does the genesis block, which depends only on the validators. The
 * first block after genesis carries its own time and nonce, so two chains never share it.
 */
public record ChainIdentity(
    long networkMagic, String gatewayHash, long blockIndex, String blockHash) {
  /** The block whose hash identifies a chain. */
  public static final long ANCHOR_BLOCK = 1;

  public ChainIdentity {
    gatewayHash = normalise(gatewayHash);
    blockHash = normalise(blockHash);
    if (blockIndex < 0) {
      throw new IllegalArgumentException("blockIndex must be 0 or more, got " + blockIndex);
    }
  }

  /** Where this identity is kept (the data folder's store). */
  public interface Store {
    Optional<ChainIdentity> load();

    /** Durably records {@code identity} (replacing none: it is written once per data folder). */
    void save(ChainIdentity identity);
  }

  /**
   * What differs between the identity this data folder recorded and the one observed now, in words,
   * or empty when they are the same chain. Pure.
   */
  public static Optional<String> difference(ChainIdentity recorded, ChainIdentity observed) {
    List<String> d = new ArrayList<>();
    if (recorded.networkMagic() != observed.networkMagic()) {
      d.add("network magic " + observed.networkMagic() + " instead of " + recorded.networkMagic());
    }
    if (!recorded.gatewayHash().equals(observed.gatewayHash())) {
      d.add("gateway " + observed.gatewayHash() + " instead of " + recorded.gatewayHash());
    }
    if (recorded.blockIndex() == observed.blockIndex()
        && !recorded.blockHash().equals(observed.blockHash())) {
      d.add(
          "block "
              + observed.blockIndex()
              + " is "
              + observed.blockHash()
              + " instead of "
              + recorded.blockHash()
              + " (another chain with the same settings, e.g. a new devnet)");
    }
    return d.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", d));
  }

  @Override
  public String toString() {
    return "network "
        + networkMagic
        + " / gateway "
        + gatewayHash
        + " / block "
        + blockIndex
        + " "
        + blockHash;
  }

  private static String normalise(String hash) {
    String h = hash.toLowerCase(Locale.ROOT);
    return h.startsWith("0x") ? h : "0x" + h;
  }
}
