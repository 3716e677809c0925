package io.nsl.pipeline;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import java.nio.ByteBuffer;

/**
 * A signed answer as recorded with its run's release ({@link FunctionLocks.Held#recordAnswer}): a
 * request that runs again (after a restart, a takeover, or an answer thrown away) is answered with
 * it, and the first run's state change stands alone. Layout: version byte 1, request id (8 bytes),
 * status (4), gas used (8), signature (64), result (the rest). Pure.
 */
final class RecordedAnswer {
  private static final byte V1 = 1;
  private static final int HEAD = 1 + 8 + 4 + 8 + 64;

  private RecordedAnswer() {}

  static byte[] encode(SignedFulfilment f) {
    byte[] result = f.result();
    return ByteBuffer.allocate(HEAD + result.length)
        .put(V1)
        .putLong(f.requestId())
        .putInt(f.status())
        .putLong(f.gasUsed())
        .put(f.signature())
        .put(result)
        .array();
  }

  /**
   * @throws IllegalStateException a record of another layout or request: a bug, or a record written
   *     by a newer build (it stays; the request is not answered from it)
   */
  static SignedFulfilment decode(long requestId, byte[] record) {
    if (record.length < HEAD || record[0] != V1) {
      throw new IllegalStateException(
          "the recorded answer to request "
              + requestId
              + " is unreadable ("
              + record.length
              + " bytes, layout "
              + (record.length == 0 ? "none" : record[0])
              + "); this build reads layout "
              + V1);
    }
    ByteBuffer b = ByteBuffer.wrap(record);
    b.get();
    long id = b.getLong();
    if (id != requestId) {
      throw new IllegalStateException(
          "the answer recorded for request " + requestId + " is for request " + id);
    }
    int status = b.getInt();
    long gasUsed = b.getLong();
    byte[] signature = new byte[64];
    b.get(signature);
    byte[] result = new byte[b.remaining()];
    b.get(result);
    return new SignedFulfilment(id, status, result, gasUsed, signature);
  }
}
