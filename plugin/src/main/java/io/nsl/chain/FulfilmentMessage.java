package io.nsl.chain;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes an enclave signs for one fulfilment, exactly as the gateway rebuilds them before
 * {@code CryptoLib.verifyWithECDsa} (secp256r1, SHA-256). Binding the network magic and the
 * gateway's own script hash stops a signature being replayed on another network or deployment;
 * binding the request id, status, result hash and gas used stops it being moved to another request
 * or answer. Layout (73 bytes, integers little-endian): see contracts/README.md.
 *
 * <pre>
 * networkMagic u32 | gatewayScriptHashLE 20 | requestId u64 | status u8 | resultSha256 32 | gasUsed i64
 * </pre>
 */
public final class FulfilmentMessage {
  public static final int LENGTH = 4 + 20 + 8 + 1 + 32 + 8;

  private FulfilmentMessage() {}

  public static byte[] encode(
      long networkMagic,
      byte[] gatewayScriptHashLE,
      long requestId,
      int status,
      byte[] resultSha256,
      long gasUsed) {
    if (gatewayScriptHashLE.length != 20) {
      throw new IllegalArgumentException(
          "gateway script hash must be 20 bytes, got " + gatewayScriptHashLE.length);
    }
    if (resultSha256.length != 32) {
      throw new IllegalArgumentException("result hash must be 32 bytes, got " + resultSha256.length);
    }
    if (status < 0 || status > 255) {
      throw new IllegalArgumentException("status must fit one byte, got " + status);
    }
    if (networkMagic < 0 || networkMagic > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("network magic must be a u32, got " + networkMagic);
    }
    if (requestId < 0 || gasUsed < 0) {
      throw new IllegalArgumentException("request id and gas used must not be negative");
    }
    return ByteBuffer.allocate(LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) networkMagic)
        .put(gatewayScriptHashLE)
        .putLong(requestId)
        .put((byte) status)
        .put(resultSha256)
        .putLong(gasUsed)
        .array();
  }
}
