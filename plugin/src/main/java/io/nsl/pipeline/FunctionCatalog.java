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
   * host the operator allows).
   */
  record StoredFunction(
      String functionId,
      String code,
      Optional<String> inputSchema,
      Optional<java.util.List<String>> fetchHosts) {}
}
