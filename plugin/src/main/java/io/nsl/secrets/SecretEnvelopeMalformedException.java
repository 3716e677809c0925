package io.nsl.secrets;

import io.nsl.NslException;

/** A secret envelope does not follow the v1 byte format (docs/secrets-envelope.md). */
public final class SecretEnvelopeMalformedException extends NslException {
  public static final String CODE = "SECRET_ENVELOPE_MALFORMED";

  public SecretEnvelopeMalformedException(String message) {
    super(CODE, message);
  }
}
