package io.nsl.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One request as the gateway's {@code Request} event announced it: everything needed to execute it
 * without reading the chain again.
 *
 * @param requestId the gateway's id (counter from 1)
 * @param functionId the registered function
 * @param codeHash sha256 of the function's code as registered on chain (32 bytes)
 * @param requester the consumer contract, 0x-prefixed big-endian script hash
 * @param input the request's input bytes (the JSON given to {@code main})
 * @param gasLimit JS gas units the request paid for
 * @param functionOwner the function owner's account (0x big-endian), when the event carries it
 * @param blockIndex the block the request was included in
 * @param txHash the transaction that made it (0x-prefixed)
 * @param fields the request's fields as the event carried them (requester, callback, serialized
 *     userData): the gateway keeps only their sha256, so they go back with the answer. Empty for a
 *     request recorded before the gateway kept commitments; such a request cannot be fulfilled.
 */
public record GatewayRequest(
    long requestId,
    String functionId,
    byte[] codeHash,
    String requester,
    byte[] input,
    long gasLimit,
    Optional<String> functionOwner,
    long blockIndex,
    String txHash,
    byte[] fields) {
  public GatewayRequest {
    if (requestId <= 0) {
      throw new IllegalArgumentException("requestId must be positive, got " + requestId);
    }
    if (codeHash.length != 32) {
      throw new IllegalArgumentException("codeHash must be 32 bytes, got " + codeHash.length);
    }
    if (gasLimit <= 0) {
      throw new IllegalArgumentException("gasLimit must be positive, got " + gasLimit);
    }
    codeHash = codeHash.clone();
    input = input.clone();
    fields = fields.clone();
  }

  @Override
  public byte[] codeHash() {
    return codeHash.clone();
  }

  @Override
  public byte[] input() {
    return input.clone();
  }

  @Override
  public byte[] fields() {
    return fields.clone();
  }

  public String codeHashHex() {
    return HexFormat.of().formatHex(codeHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayRequest r
        && requestId == r.requestId
        && functionId.equals(r.functionId)
        && Arrays.equals(codeHash, r.codeHash)
        && requester.equals(r.requester)
        && Arrays.equals(input, r.input)
        && gasLimit == r.gasLimit
        && functionOwner.equals(r.functionOwner)
        && blockIndex == r.blockIndex
        && txHash.equals(r.txHash)
        && Arrays.equals(fields, r.fields);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(requestId);
  }

  @Override
  public String toString() {
    return "GatewayRequest[id="
        + requestId
        + ", function="
        + functionId
        + ", block="
        + blockIndex
        + "]";
  }
}
