package io.nsl;

/**
 * Base of every failure NSL reports to a user. Each subclass is one failure kind with a stable
 * {@link #code()} (UPPER_SNAKE, never renamed once published); the message says what was wrong,
 * with which value, and what to do. Codes map to HTTP statuses in {@code api} and to exit codes in
 * {@code cli}, and nowhere else. Messages never contain secret values or key material.
 */
public abstract class NslException extends RuntimeException {
  private final String code;

  protected NslException(String code, String message) {
    super(message);
    this.code = code;
  }

  protected NslException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Stable machine-readable code of this failure kind. */
  public String code() {
    return code;
  }

  /** Whether retrying the same operation later may succeed (a node that is down, a busy disk). */
  public boolean retryable() {
    return false;
  }
}
