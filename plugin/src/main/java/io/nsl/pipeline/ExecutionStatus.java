package io.nsl.pipeline;

import io.nsl.js.ErrorKind;

/**
 * Every status a fulfilment can carry, in one table: the number on chain (the gateway's {@code
 * status} byte, 0..255), the {@code kind} in the error result, whether the service runs the request
 * again before answering with it, and whether the requester's fee is refunded.
 *
 * <p>0..99 are the JavaScript engine's outcomes ({@link ErrorKind}, the same numbers the simulator
 * shows); 100 and up are the pipeline's own, decided before or around the sandbox. No status
 * refunds the fee: the gateway pays the operator for every fulfilment (contracts/gateway, {@code
 * applyAnswer}); a requester gets its fee back only by cancelling a request that was never
 * fulfilled. docs/pipeline.md lists this table; {@code ExecutionStatusTest} keeps them equal.
 */
public enum ExecutionStatus {
  OK(ErrorKind.OK, false),
  INVALID_INPUT(ErrorKind.INVALID_INPUT, false),
  SYNTAX_ERROR(ErrorKind.SYNTAX_ERROR, false),
  RUNTIME_ERROR(ErrorKind.RUNTIME_ERROR, false),
  GAS_EXHAUSTED(ErrorKind.GAS_EXHAUSTED, false),
  /** The deadline passed; charged the whole gas limit, the same on every node. */
  TIMEOUT(ErrorKind.TIMEOUT, false),
  MEMORY_LIMIT(ErrorKind.MEMORY_LIMIT, false),
  RESULT_INVALID(ErrorKind.RESULT_INVALID, false),
  RESULT_TOO_LARGE(ErrorKind.RESULT_TOO_LARGE, false),
  SECRET_NOT_FOUND(ErrorKind.SECRET_NOT_FOUND, false),
  FORBIDDEN(ErrorKind.FORBIDDEN, false),
  HTTP_ERROR(ErrorKind.HTTP_ERROR, false),
  STORAGE_QUOTA_EXCEEDED(ErrorKind.STORAGE_QUOTA_EXCEEDED, false),
  /**
   * The engine failed, not the function: run again ({@link RetryPolicy#engineAttempts()} runs in
   * all) before this is the answer.
   */
  ENGINE_INTERNAL_ERROR(255, "INTERNAL_ERROR", true),
  /** The service holds no code for the function: upload it (./nsl function register). */
  CODE_NOT_FOUND(100, "CODE_NOT_FOUND", false),
  /** The stored code's sha256 differs from the code hash registered on chain. */
  CODE_HASH_MISMATCH(101, "CODE_HASH_MISMATCH", false),
  /**
   * The service failed around the sandbox (logged with the request id), or the result is over the
   * gateway's size limit.
   */
  INTERNAL_ERROR(102, "INTERNAL_ERROR", false);

  private final int onChain;
  private final String kind;
  private final boolean retried;

  ExecutionStatus(ErrorKind engine, boolean retried) {
    this(engine.code(), engine.name(), retried);
  }

  ExecutionStatus(int onChain, String kind, boolean retried) {
    this.onChain = onChain;
    this.kind = kind;
    this.retried = retried;
  }

  /** The status byte in the fulfilment, as the gateway stores and the consumer receives it. */
  public int onChain() {
    return onChain;
  }

  /** The {@code kind} in the {@code {"error":{kind,message}}} result. */
  public String kind() {
    return kind;
  }

  /** Whether the service runs the request again before answering with this status. */
  public boolean retried() {
    return retried;
  }

  /** Whether the requester's fee comes back: never (see the class comment). */
  public boolean refunded() {
    return false;
  }

  /** The status of an engine outcome. */
  public static ExecutionStatus of(ErrorKind kind) {
    return ofOnChain(kind.code());
  }

  /** The status with this on-chain number. */
  public static ExecutionStatus ofOnChain(int onChain) {
    for (ExecutionStatus s : values()) {
      if (s.onChain == onChain) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown execution status " + onChain);
  }
}
