package io.nsl.pipeline;

/**
 * Fulfilment statuses the pipeline itself assigns, before or around the sandbox. Statuses 0..99
 * come from the JavaScript engine's error kinds (docs/functions.md); these use 100 and up.
 */
public enum ExecutionStatus {
  /** The service holds no code for the function: upload it (./nsl function register). */
  CODE_NOT_FOUND(100),
  /** The stored code's sha256 differs from the code hash registered on chain. */
  CODE_HASH_MISMATCH(101),
  /** The service failed for a reason of its own (logged with the request id). */
  INTERNAL_ERROR(102);

  private final int code;

  ExecutionStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
