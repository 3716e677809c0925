package io.nsl.js;

import io.nsl.NslException;

/** A {@link FunctionStateStore#put} would exceed the function's storage quota. */
public final class StateQuotaExceededException extends NslException {
  public StateQuotaExceededException(String message) {
    super("STORAGE_QUOTA_EXCEEDED", message);
  }
}
