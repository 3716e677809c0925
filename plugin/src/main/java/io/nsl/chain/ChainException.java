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
    public RpcError(String method, int code, String message) {
      super(
          "RPC_ERROR", "Neo node refused " + method + ": " + message + " (RPC error " + code + ")");
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
}
