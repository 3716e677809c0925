package io.nsl.pipeline;

import java.util.Optional;

/**
 * Function code the service holds, by function id. Code is uploaded off chain; only its sha256 is
 * on chain, and the executor refuses code whose hash differs from the request's code hash.
 * Thread-safe.
 */
public interface FunctionCatalog {
  /** The code (UTF-8 JavaScript) and optional input JSON Schema stored for {@code functionId}. */
  Optional<StoredFunction> get(String functionId);

  /**
   * Stored code, with the hosts its {@code fetch} may call if its owner declared them (empty: any
   * host the operator allows) and its counted-memory budget in bytes (0: the operator's default;
   * decision 0710).
   */
  record StoredFunction(
      String functionId,
      String code,
      Optional<String> inputSchema,
      Optional<java.util.List<String>> fetchHosts,
      long memoryLimitBytes) {
    public StoredFunction {
      if (memoryLimitBytes < 0) {
        throw new IllegalArgumentException(
            "memoryLimitBytes must be >= 0 (0 = the default), was " + memoryLimitBytes);
      }
    }

    /** A function that declared no memory budget: the operator's default applies. */
    public StoredFunction(
        String functionId,
        String code,
        Optional<String> inputSchema,
        Optional<java.util.List<String>> fetchHosts) {
      this(functionId, code, inputSchema, fetchHosts, 0);
    }
  }
}
