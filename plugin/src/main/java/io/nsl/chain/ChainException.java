package io.nsl.chain;

import io.nsl.NslException;

/** A failure talking to, or on, the Neo chain. Subclasses name the kind. */
public abstract class ChainException extends NslException {
  protected ChainException(String code, String message) {
    super(code, message);
  }

  protected ChainException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  /** The node could not be reached or did not answer in time. Retrying later may succeed. */
  public static final class NodeUnreachable extends ChainException {
    public NodeUnreachable(String rpcUrl, Throwable cause) {
      super(
          "NODE_UNREACHABLE",
          "Neo node at "
              + rpcUrl
              + " did not answer ("
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage()
              + "). Check that the node is running and the RPC address is right.",
          cause);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /** The node answered with an RPC error. */
  public static final class RpcError extends ChainException {
    /** NEP-23: the node does not know the transaction (-103) or script container (-105). */
    public static final int UNKNOWN_TRANSACTION = -103;

    public static final int UNKNOWN_SCRIPT_CONTAINER = -105;

    /** NEP-23: the transaction is already on chain (-501) or already in the memory pool (-503). */
    public static final int ALREADY_EXISTS = -501;

    public static final int ALREADY_IN_POOL = -503;

    private final int rpcCode;

    public RpcError(String method, int code, String message) {
      super(
          "RPC_ERROR", "Neo node refused " + method + ": " + message + " (RPC error " + code + ")");
      this.rpcCode = code;
    }

    /**
     * The node's JSON-RPC error code (NEP-23 for Neo-specific errors); 0 when not from the node.
     */
    public int rpcCode() {
      return rpcCode;
    }

    /** The node does not know the transaction or block asked for. */
    public boolean unknownItem() {
      return rpcCode == UNKNOWN_TRANSACTION || rpcCode == UNKNOWN_SCRIPT_CONTAINER;
    }

    /** A sent transaction the node already has (on chain or pooled): it was sent before. */
    public boolean alreadyKnown() {
      return rpcCode == ALREADY_EXISTS || rpcCode == ALREADY_IN_POOL;
    }
  }

  /** A transaction was included but its script faulted. */
  public static final class TransactionFaulted extends ChainException {
    private final String txHash;

    public TransactionFaulted(String txHash, String what, String vmException) {
      super(
          "TX_FAULT",
          what + " failed on chain: transaction " + txHash + " faulted with: " + vmException);
      this.txHash = txHash;
    }

    public String txHash() {
      return txHash;
    }
  }

  /** A transaction was not included before its wait time ran out. */
  public static final class TransactionTimeout extends ChainException {
    public TransactionTimeout(String txHash, String what, long waitedMillis) {
      super(
          "TX_TIMEOUT",
          what
              + ": transaction "
              + txHash
              + " was not included within "
              + waitedMillis
              + " ms. Check that the node is producing blocks.");
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /** A contract, wallet or other chain artefact could not be loaded or is malformed. */
  public static final class InvalidArtifact extends ChainException {
    public InvalidArtifact(String message, Throwable cause) {
      super("INVALID_ARTIFACT", message, cause);
    }
  }

  /**
   * The node serves another chain than the one this data folder recorded (network magic, gateway or
   * an early block differ). Not retryable: the service must not read this chain with this folder.
   */
  public static final class WrongChain extends ChainException {
    public WrongChain(String message) {
      super("WRONG_CHAIN", message);
    }
  }

  /**
   * The node has not reached a block this data folder has already seen: it is still syncing, or it
   * serves another chain. Retrying later may succeed.
   */
  public static final class NodeBehind extends ChainException {
    public NodeBehind(String message) {
      super("NODE_BEHIND", message);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }
}
