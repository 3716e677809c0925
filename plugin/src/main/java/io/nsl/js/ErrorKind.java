package io.nsl.js;

/**
 * How an execution ended. Each kind has a stable small {@link #code()} that the on-chain fulfilment
 * status byte carries (0 = OK); codes are never renumbered once published. {@link #INTERNAL_ERROR}
 * is the service's fault, not the function's: the pipeline should retry it, not fulfil with it.
 */
public enum ErrorKind {
  /** main returned (or resolved to) a JSON-serialisable value. */
  OK(0),
  /** The input was not JSON, too large, too deep, or failed the function's input schema. */
  INVALID_INPUT(1),
  /** The script does not parse. */
  SYNTAX_ERROR(2),
  /** main threw, rejected, never settled, overflowed the stack, or the script has no main. */
  RUNTIME_ERROR(3),
  /** The gas limit was reached; gas used is reported as the limit. */
  GAS_EXHAUSTED(4),
  /**
   * The wall-clock deadline passed; gas used is reported as the limit (how far a run got by then
   * depends on the machine).
   */
  TIMEOUT(5),
  /** The execution allocated enough to endanger the service's heap and was stopped. */
  MEMORY_LIMIT(6),
  /** The result is not JSON-serialisable (cycle, BigInt, a throwing toJSON, ...). */
  RESULT_INVALID(7),
  /** The serialised result is larger than the result cap. */
  RESULT_TOO_LARGE(8),
  /** getSecret(name) named a secret the owner has not stored. */
  SECRET_NOT_FOUND(9),
  /**
   * The policy forbids the call: fetch to a host not on the allowlist, http outside dev mode, too
   * many fetches.
   */
  FORBIDDEN(10),
  /** fetch failed: connection error, timeout, response larger than the cap. */
  HTTP_ERROR(11),
  /** storage.put would exceed the function's storage quota. */
  STORAGE_QUOTA_EXCEEDED(12),
  /** The service failed (engine bug, storage unavailable). Not the function's fault; retry. */
  INTERNAL_ERROR(255);

  private final int code;

  ErrorKind(int code) {
    this.code = code;
  }

  /** The stable status byte (0..255) carried on chain. */
  public int code() {
    return code;
  }

  /** The kind with this status byte. */
  public static ErrorKind fromCode(int code) {
    for (ErrorKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown execution status code " + code);
  }
}
