package io.nsl.enclave;

import io.nsl.NslException;

/**
 * The sealed key file exists but cannot be unsealed: it was altered, truncated, or sealed by
 * another sealing key (another data folder's seal key, or another enclave measurement). NSL never
 * replaces it silently, because that would change the registered keys.
 */
public final class SealedStateException extends NslException {
  public SealedStateException(String message) {
    super("SEALED_STATE_INVALID", message);
  }

  public SealedStateException(String message, Throwable cause) {
    super("SEALED_STATE_INVALID", message, cause);
  }
}
