package io.nsl.pipeline;

/**
 * How long a fulfilment transaction stays valid, and when one that was not included is given up for
 * a fresh one. Pure: heights come in as arguments.
 *
 * @param validForBlocks blocks from the current height to the transaction's {@code validUntilBlock}
 */
public record ExpiryPolicy(long validForBlocks) {
  public ExpiryPolicy {
    if (validForBlocks < 1) {
      throw new IllegalArgumentException(
          "validForBlocks must be at least 1, got " + validForBlocks);
    }
  }

  /** The {@code validUntilBlock} of a transaction built when the chain has {@code blockCount}. */
  public long validUntilBlock(long blockCount) {
    return blockCount + validForBlocks;
  }

  /**
   * Whether a transaction valid until {@code validUntilBlock} and not included by block {@code
   * height} can no longer be: a node refuses it from then on, so its answers may be sent again
   * without paying twice.
   */
  public boolean expired(long validUntilBlock, long height) {
    return height > validUntilBlock;
  }
}
