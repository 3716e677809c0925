package io.nsl.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import io.nsl.chain.GatewayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable request queue and block cursor. A request is recorded in the same atomic write that
 * moves the cursor past its block, and removed only when its fulfilment is confirmed on chain, so a
 * restart (even after kill -9) resumes exactly where the service was. Thread-safe: every operation
 * is one {@link ServiceStore#apply}.
 */
public final class RequestQueue implements EventWatcher.Cursor<GatewayRequest> {
  static final String CURSOR = "cursor";
  static final String PREFIX = "req/";

  private final ServiceStore store;
  private final long startBlock;
  private final Clock clock;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * @param startBlock the first block to read when the store has no cursor yet (e.g. the gateway's
   *     deployment block)
   */
  public RequestQueue(ServiceStore store, long startBlock, Clock clock) {
    this.store = store;
    this.startBlock = startBlock;
    this.clock = clock;
  }

  @Override
  public long nextBlock() {
    return store.get(CURSOR).map(b -> ByteBuffer.wrap(b).getLong()).orElse(startBlock);
  }

  @Override
  public void commit(long index, List<GatewayRequest> events) {
    Map<String, byte[]> puts = new LinkedHashMap<>();
    long now = clock.millis();
    for (GatewayRequest r : events) {
      puts.put(key(r.requestId()), encode(QueuedRequest.pending(r, now)));
    }
    puts.put(CURSOR, ByteBuffer.allocate(8).putLong(index + 1).array());
    store.apply(puts, Set.of());
  }

  /** Records new stages for these requests, atomically. */
  public void update(Collection<QueuedRequest> records) {
    Map<String, byte[]> puts = new LinkedHashMap<>();
    for (QueuedRequest q : records) {
      puts.put(key(q.id()), encode(q));
    }
    store.apply(puts, Set.of());
  }

  /** Removes requests whose fulfilment is confirmed (or that no longer need one). */
  public void remove(Collection<Long> ids) {
    Set<String> deletes = new HashSet<>();
    for (long id : ids) {
      deletes.add(key(id));
    }
    store.apply(Map.of(), deletes);
  }

  public Optional<QueuedRequest> get(long id) {
    return store.get(key(id)).map(this::decode);
  }

  /** Every queued request, by id. */
  public List<QueuedRequest> all() {
    List<QueuedRequest> out = new ArrayList<>();
    for (byte[] v : store.scan(PREFIX).values()) {
      out.add(decode(v));
    }
    return out;
  }

  public int size() {
    return store.scan(PREFIX).size();
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

  private byte[] encode(QueuedRequest q) {
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
            q.stage().name(),
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

  private QueuedRequest decode(byte[] bytes) {
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
        QueuedRequest.Stage.valueOf(s.stage()),
        f,
        Optional.ofNullable(s.fulfilTx()),
        s.validUntilBlock(),
        s.seenAtMillis());
  }
}
