package io.nsl.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened to each request, kept for its owner to read (status, result, gas, scrubbed logs):
 * encrypted storage namespace {@code executions}, key = zero-padded request id. Thread-safe.
 */
public final class ExecutionRecords {
  private static final Namespace NS = new Namespace("executions");
  private final PersistentStorageService storage;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * One execution.
   *
   * @param owner the function owner (0x script hash) who may read this record
   * @param logs captured log lines, secret values already scrubbed
   */
  public record Execution(
      long requestId,
      String functionId,
      String owner,
      String requester,
      long blockIndex,
      int status,
      String kind,
      String resultJson,
      long gasUsed,
      List<String> logs,
      String errorMessage,
      long executedAtMillis) {
    public Execution {
      logs = List.copyOf(logs);
    }
  }

  public ExecutionRecords(PersistentStorageService storage) {
    this.storage = storage;
  }

  public void put(Execution e) {
    try {
      storage.write(NS, key(e.requestId()), json.writeValueAsBytes(e));
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException("cannot encode execution record", ex);
    }
  }

  /** Writes many records in one storage commit (one disk sync for all of them). */
  public void putAll(List<Execution> executions) {
    if (executions.isEmpty()) {
      return;
    }
    io.nsl.storage.StorageBatch.Builder b = io.nsl.storage.StorageBatch.builder();
    for (Execution e : executions) {
      try {
        b.put(NS, key(e.requestId()), json.writeValueAsBytes(e));
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("cannot encode execution record", ex);
      }
    }
    storage.commit(b.build());
  }

  public Optional<Execution> get(long requestId) {
    return storage.read(NS, key(requestId)).map(this::decode);
  }

  /** The most recent {@code limit} records (highest request ids first) matching {@code filter}. */
  public List<Execution> recent(int limit, java.util.function.Predicate<Execution> filter) {
    List<byte[]> keys = storage.listKeys(NS, new byte[0], 1_000_000);
    List<Execution> out = new ArrayList<>();
    for (int i = keys.size() - 1; i >= 0 && out.size() < limit; i--) {
      storage.read(NS, keys.get(i)).map(this::decode).filter(filter).ifPresent(out::add);
    }
    return out;
  }

  private Execution decode(byte[] b) {
    try {
      return json.readValue(b, Execution.class);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt execution record", e);
    }
  }

  private static byte[] key(long id) {
    return String.format("%020d", id).getBytes(StandardCharsets.UTF_8);
  }
}
