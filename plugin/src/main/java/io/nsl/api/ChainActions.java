package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * What {@code /v1/chain/*} runs on (decision 1120): builds unsigned Neo N3 transactions with the
 * caller as sender, relays them once the page signed them, and reports where they are. It never
 * holds a developer's key. Implementations are thread-safe; failures are {@link ApiFailure}s with a
 * {@code CHAIN_*} code or the chain's own {@code NslException}s (e.g. {@code NODE_UNREACHABLE}).
 */
public interface ChainActions {
  /** The actions {@code POST /v1/chain/prepare} knows. */
  enum Action {
    REGISTER,
    REQUEST,
    ENABLE,
    DISABLE
  }

  /**
   * An action with its checked arguments.
   *
   * @param functionId the function id (every action)
   * @param code the function's code (register only)
   * @param consumer the consumer contract, 0x + 40 hex (request only)
   * @param inputJson the request's input as JSON text (request only)
   * @param jsGasLimit JS gas the function may use (request only)
   */
  record Call(
      Action action,
      String functionId,
      Optional<String> code,
      Optional<String> consumer,
      Optional<String> inputJson,
      long jsGasLimit) {}

  /**
   * An unsigned transaction.
   *
   * @param unsignedTx the transaction serialized without its witnesses (what its hash covers)
   * @param hash0x its hash, 0x + 64 hex, as Neo tools print it
   * @param summary what it does, in words (contract, method, arguments), for the page to show
   */
  record Prepared(
      byte[] unsignedTx,
      String hash0x,
      long systemFee,
      long networkFee,
      long validUntilBlock,
      JsonNode summary) {
    public Prepared {
      unsignedTx = unsignedTx.clone();
    }

    @Override
    public byte[] unsignedTx() {
      return unsignedTx.clone();
    }
  }

  /** The network magic of the chain the transactions are for. */
  long networkMagic();

  /**
   * Builds {@code call}'s transaction with {@code senderPublicKey}'s account as its only signer.
   */
  Prepared prepare(byte[] senderPublicKey, Call call);

  /**
   * Adds the single-signature witness of {@code publicKey} with {@code signature} (already checked
   * against {@link #signData}) to {@code unsignedTx} and relays it; returns its 0x hash.
   */
  String send(byte[] unsignedTx, byte[] publicKey, byte[] signature);

  /** Where transaction {@code hash0x} is; empty when the node does not know it. */
  Optional<JsonNode> state(String hash0x);

  /**
   * The bytes a Neo N3 witness signs for {@code unsignedTx}: the network magic (u32 little-endian),
   * then sha256 of the unsigned transaction. ECDSA P-256 with SHA-256 (WebCrypto's and {@code
   * ApiAuth.verify}'s) hashes them once more, as Neo's CheckSig does.
   */
  static byte[] signData(long networkMagic, byte[] unsignedTx) {
    return ByteBuffer.allocate(36)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) networkMagic)
        .put(ApiAuth.sha256(unsignedTx))
        .array();
  }
}
