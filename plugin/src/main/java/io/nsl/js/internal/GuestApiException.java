package io.nsl.js.internal;

import io.nsl.js.ErrorKind;

/**
 * A host call from guest code failed with a kind the function may see (and catch). The prelude
 * turns it into a JS {@code NslError}; the message reaches the function, so it never holds secrets.
 */
public final class GuestApiException extends RuntimeException {
  private final ErrorKind kind;

  public GuestApiException(ErrorKind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
