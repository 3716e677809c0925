package io.nsl.chain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pipeline needs of the chain to put answers on it, and nothing more: the height, the
 * gateway's view of requests, building and sending one {@code fulfilBatch} transaction, and what
 * became of it. {@link NeoFulfilmentChain} is the neow3j/neo-go adapter; a test double or a shared
 * store's client can stand behind the same interface.
 *
 * <p>Threading: implementations are thread-safe. Failures: {@link ChainException.NodeUnreachable}
 * when the node does not answer (retry later), {@link ChainException.RpcError} when it refuses.
 */
public interface FulfilmentChain {
  /** The node's address, for messages. */
  String rpcUrl();

  /** The number of blocks on chain (the height is one less). */
  long blockCount();

  /** The gateway's state of each request, in one read. */
  Map<Long, GatewayClient.RequestState> requestStates(List<Long> requestIds);

  /**
   * A signed {@code fulfilBatch} transaction for {@code entries} under the enclave's {@code
   * batchSignature}, valid until {@code validUntilBlock}; not sent.
   *
   * @throws ChainException.TransactionFaulted when its test run faults (e.g. a callback that
   *     aborts): sending it would only pay for a fault
   */
  PreparedFulfilment prepare(
      List<FulfilmentMessage.Entry> entries, byte[] batchSignature, long validUntilBlock);

  /**
   * Sends a prepared transaction. Returns normally when the node took it, or already had it (on
   * chain or pooled: an earlier send got through).
   *
   * @throws ChainException.RpcError when the node refuses it (e.g. the operator cannot pay)
   * @throws ChainException.NodeUnreachable when it is unknown whether the node got it
   */
  void send(PreparedFulfilment tx);

  /** What an included transaction did, or empty while the node does not know it. */
  Optional<Inclusion> inclusion(String txHash);

  /** The timestamp of block {@code index}, in milliseconds since the epoch. */
  long blockTimeMillis(long index);

  /** Reads the fee policy afresh (after a refusal that may have been about fees). */
  void refreshFeePolicy();

  /** A signed transaction ready to send. */
  record PreparedFulfilment(String txHash, byte[] rawTransaction) {
    public PreparedFulfilment {
      rawTransaction = rawTransaction.clone();
    }

    @Override
    public byte[] rawTransaction() {
      return rawTransaction.clone();
    }
  }

  /**
   * An included fulfilment transaction.
   *
   * @param blockIndex the block that includes it
   * @param halted true when its script ran to the end (HALT); false when it faulted
   * @param vmException the fault's message, empty when halted
   * @param accepted ids the gateway fulfilled ({@code Fulfilled} events)
   * @param rejected ids it skipped ({@code FulfilmentRejected} events)
   * @param systemFee the transaction's system fee in datoshi (1e-8 GAS), burned in full once it is
   *     included, halted or faulted
   * @param networkFee its network fee in datoshi, also paid on inclusion
   */
  record Inclusion(
      long blockIndex,
      boolean halted,
      String vmException,
      List<Long> accepted,
      List<Long> rejected,
      long systemFee,
      long networkFee) {
    public Inclusion {
      accepted = List.copyOf(accepted);
      rejected = List.copyOf(rejected);
      if (systemFee < 0 || networkFee < 0) {
        throw new IllegalArgumentException(
            "fees must not be negative, got system " + systemFee + " and network " + networkFee);
      }
    }

    /** What the sender paid for it, in datoshi. */
    public long feesPaid() {
      return Math.addExact(systemFee, networkFee);
    }
  }
}
