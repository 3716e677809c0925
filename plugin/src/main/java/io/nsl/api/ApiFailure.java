package io.nsl.api;

import java.util.Map;

/**
 * A refused API request: one {@link ErrorStatus} code, a message that says what was wrong and what
 * to do, and optional machine-readable details (for example what to register on chain).
 */
public final class ApiFailure extends ApiException {
  private final ErrorStatus status;
  private final Map<String, Object> details;

  public ApiFailure(ErrorStatus status, String message) {
    this(status, message, Map.of());
  }

  public ApiFailure(ErrorStatus status, String message, Map<String, Object> details) {
    super(status.code(), message, null);
    this.status = status;
    this.details = Map.copyOf(details);
  }

  public ErrorStatus status() {
    return status;
  }

  /** Extra fields for {@code error.details}; never secret material. */
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public boolean retryable() {
    return status == ErrorStatus.RATE_LIMITED
        || status == ErrorStatus.NONCE_CACHE_FULL
        || status == ErrorStatus.SIMULATION_BUSY;
  }
}
