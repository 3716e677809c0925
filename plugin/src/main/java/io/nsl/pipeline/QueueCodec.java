package io.nsl.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The stored form of a queued request (JSON under {@code req/<id, 20 digits>}), kept apart from the
 * stage logic so that the record types can change without breaking queues written by earlier
 * versions. Thread-safe.
 */
final class QueueCodec {
  static final String PREFIX = "req/";

  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * The stage names in storage, unchanged from earlier versions: SEEN, QUEUED and RUNNING are all
   * "PENDING" (they run again after a restart), SENT is "SUBMITTED".
   */
  static String storedStage(RequestStage s) {
    return switch (s) {
      case SEEN, QUEUED, RUNNING -> "PENDING";
      case EXECUTED -> "EXECUTED";
      case SENT -> "SUBMITTED";
      case CONFIRMED, FAILED, DROPPED ->
          throw new IllegalArgumentException("an ended request is removed, not stored: " + s);
    };
  }

  static RequestStage loadedStage(String stored) {
    return switch (stored) {
      case "PENDING" -> RequestStage.SEEN;
      case "EXECUTED" -> RequestStage.EXECUTED;
      case "SUBMITTED" -> RequestStage.SENT;
      default -> throw new IllegalStateException("corrupt queue entry: unknown stage " + stored);
    };
  }

  static String key(long id) {
    // Zero-padded so that key order is id order.
    return PREFIX + String.format("%020d", id);
  }

  /** The stored form; a DTO so the record types can change without breaking old queues. */
  record Stored(
      long requestId,
      String functionId,
      byte[] codeHash,
      String requester,
      byte[] input,
      long gasLimit,
      String functionOwner,
      long blockIndex,
      String txHash,
      String stage,
      Integer status,
      byte[] result,
      Long gasUsed,
      byte[] signature,
      String fulfilTx,
      long validUntilBlock,
      long seenAtMillis,
      byte[] fields) {}

  byte[] encode(QueuedRequest q) {
    GatewayRequest r = q.request();
    SignedFulfilment f = q.fulfilment().orElse(null);
    Stored s =
        new Stored(
            r.requestId(),
            r.functionId(),
            r.codeHash(),
            r.requester(),
            r.input(),
            r.gasLimit(),
            r.functionOwner().orElse(null),
            r.blockIndex(),
            r.txHash(),
            storedStage(q.stage()),
            f == null ? null : f.status(),
            f == null ? null : f.result(),
            f == null ? null : f.gasUsed(),
            f == null ? null : f.signature(),
            q.txHash().orElse(null),
            q.validUntilBlock(),
            q.seenAtMillis(),
            r.fields());
    try {
      return json.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode queued request " + r.requestId(), e);
    }
  }

  QueuedRequest decode(byte[] bytes) {
    Stored s;
    try {
      s = json.readValue(bytes, Stored.class);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt queue entry: " + e.getMessage(), e);
    }
    GatewayRequest r =
        new GatewayRequest(
            s.requestId(),
            s.functionId(),
            s.codeHash(),
            s.requester(),
            s.input(),
            s.gasLimit(),
            Optional.ofNullable(s.functionOwner()),
            s.blockIndex(),
            s.txHash(),
            // Absent in entries written before the gateway kept commitments.
            s.fields() == null ? new byte[0] : s.fields());
    Optional<SignedFulfilment> f =
        s.status() == null
            ? Optional.empty()
            : Optional.of(
                new SignedFulfilment(
                    s.requestId(), s.status(), s.result(), s.gasUsed(), s.signature()));
    return new QueuedRequest(
        r,
        loadedStage(s.stage()),
        f,
        Optional.ofNullable(s.fulfilTx()),
        s.validUntilBlock(),
        s.seenAtMillis());
  }
}
