package io.nsl.chain;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a data folder on the chain it was made on. On the first check it records the node's {@link
 * ChainIdentity}; every later check (at start and before each watcher step) compares the node
 * against that record and refuses another chain with {@link ChainException.WrongChain}, whose
 * message says what differs and what to do.
 *
 * <p>Thread-safe; each check costs two RPC calls ({@code getversion}, {@code getblockhash}).
 */
public final class ChainIdentityGuard {
  private static final Logger log = LoggerFactory.getLogger(ChainIdentityGuard.class);
  private final NeoRpcClient rpc;
  private final RpcEndpoints endpoints;
  private final String gatewayHash;
  private final ChainIdentity.Store store;
  private final String dataDir;
  private volatile ChainIdentity recorded;

  /**
   * @param rpc a client of {@code endpoints}
   * @param endpoints the nodes {@code rpc} uses: one on another chain is passed over for the next
   * @param gatewayHash the configured gateway, 0x-prefixed big-endian
   * @param dataDir the data folder, named in messages
   */
  public ChainIdentityGuard(
      NeoRpcClient rpc,
      RpcEndpoints endpoints,
      String gatewayHash,
      ChainIdentity.Store store,
      String dataDir) {
    this.rpc = rpc;
    this.endpoints = endpoints;
    this.gatewayHash = gatewayHash;
    this.store = store;
    this.dataDir = dataDir;
  }

  /**
   * Checks the node against the recorded identity, recording it first when there is none. A node on
   * another chain is passed over ({@link RpcEndpoints#passOver}) and the next one checked; the
   * check fails when none of them serves this folder's chain.
   *
   * @throws ChainException.WrongChain when the node serves another chain (not retryable)
   * @throws ChainException.NodeBehind when the node has no block {@link ChainIdentity#ANCHOR_BLOCK}
   *     yet (retryable)
   * @throws ChainException.NodeUnreachable as {@link NeoRpcClient} does
   */
  public void verify() {
    for (int tried = 1; ; tried++) {
      try {
        verifyCurrent();
        return;
      } catch (ChainException.WrongChain e) {
        if (tried >= endpoints.size()) {
          throw e;
        }
        endpoints.passOver("it serves another chain than " + dataDir);
      }
    }
  }

  private void verifyCurrent() {
    ChainIdentity known = recorded;
    if (known == null) {
      known = store.load().orElse(null);
    }
    long magic = rpc.networkMagic();
    long height = rpc.blockCount() - 1;
    if (height < ChainIdentity.ANCHOR_BLOCK) {
      if (known != null && known.networkMagic() != magic) {
        throw wrong(known, "network magic " + magic + " instead of " + known.networkMagic());
      }
      throw new ChainException.NodeBehind(
          "the node at "
              + rpc.rpcUrl()
              + " has no block "
              + ChainIdentity.ANCHOR_BLOCK
              + " yet (height "
              + height
              + "); waiting for it to produce or sync blocks");
    }
    ChainIdentity observed =
        new ChainIdentity(
            magic,
            gatewayHash,
            ChainIdentity.ANCHOR_BLOCK,
            rpc.blockHash(ChainIdentity.ANCHOR_BLOCK));
    if (known == null) {
      store.save(observed);
      recorded = observed;
      log.info("data folder {} now belongs to {}", dataDir, observed);
      return;
    }
    recorded = known;
    Optional<String> difference = ChainIdentity.difference(known, observed);
    if (difference.isPresent()) {
      throw wrong(known, difference.get());
    }
  }

  private ChainException.WrongChain wrong(ChainIdentity known, String difference) {
    return new ChainException.WrongChain(
        "this data folder ("
            + dataDir
            + ") belongs to network "
            + known.networkMagic()
            + " / gateway "
            + known.gatewayHash()
            + " (block "
            + known.blockIndex()
            + " "
            + known.blockHash()
            + "), but the node at "
            + rpc.rpcUrl()
            + " and the configuration differ: "
            + difference
            + ". Start with an empty data folder (dataDir) for this chain, or point chain.rpcUrl"
            + " and chain.gatewayHash at the chain this folder belongs to.");
  }
}
