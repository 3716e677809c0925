package io.nsl.pipeline;

import io.nsl.chain.ChainIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data folder's {@link ChainIdentity}, kept beside the block cursor in the {@link
 * ServiceStore}: one entry, four lines of text (magic, gateway, block index, block hash).
 */
public final class StoredChainIdentity implements ChainIdentity.Store {
  static final String KEY = "chain.identity";
  private final ServiceStore store;

  public StoredChainIdentity(ServiceStore store) {
    this.store = store;
  }

  @Override
  public Optional<ChainIdentity> load() {
    return store.get(KEY).map(StoredChainIdentity::decode);
  }

  @Override
  public void save(ChainIdentity identity) {
    store.apply(Map.of(KEY, encode(identity)), Set.of());
  }

  static byte[] encode(ChainIdentity id) {
    return (id.networkMagic()
            + "\n"
            + id.gatewayHash()
            + "\n"
            + id.blockIndex()
            + "\n"
            + id.blockHash())
        .getBytes(StandardCharsets.UTF_8);
  }

  static ChainIdentity decode(byte[] stored) {
    String[] f = new String(stored, StandardCharsets.UTF_8).split("\n", -1);
    if (f.length != 4) {
      throw new IllegalStateException(
          "the stored chain identity has " + f.length + " lines, expected 4: the store is damaged");
    }
    try {
      return new ChainIdentity(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), f[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the stored chain identity is unreadable: " + e.getMessage());
    }
  }
}
