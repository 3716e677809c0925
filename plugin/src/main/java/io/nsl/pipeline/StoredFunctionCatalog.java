package io.nsl.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Function code kept in the encrypted store (namespace {@code functions}), by function id. The
 * code's hash is checked against the chain at execution, not here: storing code never makes it
 * runnable on its own.
 */
public final class StoredFunctionCatalog implements FunctionCatalog {
  /** Largest function source accepted, in bytes. */
  public static final int MAX_CODE_BYTES = 256 * 1024;

  private static final Namespace NS = new Namespace("functions");
  private final PersistentStorageService storage;
  private final ObjectMapper json = new ObjectMapper();

  // fetchHosts is null in records stored before functions could declare them: any operator host;
  // memoryLimitBytes is null likewise, and when none was declared: the operator's default.
  record Stored(
      String functionId,
      String code,
      String inputSchema,
      String owner,
      List<String> fetchHosts,
      Long memoryLimitBytes) {}

  public StoredFunctionCatalog(PersistentStorageService storage) {
    this.storage = storage;
  }

  @Override
  public Optional<StoredFunction> get(String functionId) {
    return storage
        .read(NS, functionId)
        .map(
            b -> {
              try {
                Stored s = json.readValue(b, Stored.class);
                return new StoredFunction(
                    s.functionId(),
                    s.code(),
                    Optional.ofNullable(s.inputSchema()),
                    Optional.ofNullable(s.fetchHosts()),
                    s.memoryLimitBytes() == null ? 0 : s.memoryLimitBytes());
              } catch (IOException e) {
                throw new UncheckedIOException("corrupt function record " + functionId, e);
              }
            });
  }

  /** Stores (or replaces) the code of {@code functionId}, owned by {@code owner} (0x hash). */
  public void put(String functionId, String code, Optional<String> inputSchema, String owner) {
    put(functionId, code, inputSchema, owner, Optional.empty());
  }

  /** As above, with the hosts the function's fetch may call (empty: any the operator allows). */
  public void put(
      String functionId,
      String code,
      Optional<String> inputSchema,
      String owner,
      Optional<List<String>> fetchHosts) {
    put(functionId, code, inputSchema, owner, fetchHosts, OptionalLong.empty());
  }

  /**
   * As above, with the function's counted-memory budget in bytes (empty: the operator's default).
   * The caller has checked it against the operator's limit; the engine checks again at each run.
   */
  public void put(
      String functionId,
      String code,
      Optional<String> inputSchema,
      String owner,
      Optional<List<String>> fetchHosts,
      OptionalLong memoryLimitBytes) {
    int size = code.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_CODE_BYTES) {
      throw new FunctionTooLarge(functionId, size);
    }
    try {
      storage.write(
          NS,
          functionId,
          json.writeValueAsBytes(
              new Stored(
                  functionId,
                  code,
                  inputSchema.orElse(null),
                  owner,
                  fetchHosts.orElse(null),
                  memoryLimitBytes.isPresent() ? memoryLimitBytes.getAsLong() : null)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode function record", e);
    }
  }

  /** The owner recorded at upload, if the function is stored. */
  public Optional<String> owner(String functionId) {
    return storage
        .read(NS, functionId)
        .map(
            b -> {
              try {
                return json.readValue(b, Stored.class).owner();
              } catch (IOException e) {
                throw new UncheckedIOException("corrupt function record " + functionId, e);
              }
            });
  }

  /** Ids of every stored function. */
  public List<String> ids() {
    List<String> out = new ArrayList<>();
    for (byte[] k : storage.listKeys(NS, new byte[0], 100_000)) {
      out.add(new String(k, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Function code over the size limit. */
  public static final class FunctionTooLarge extends io.nsl.NslException {
    public FunctionTooLarge(String functionId, int size) {
      super(
          "FUNCTION_TOO_LARGE",
          "code of function '"
              + functionId
              + "' is "
              + size
              + " bytes; the limit is "
              + MAX_CODE_BYTES);
    }
  }
}
