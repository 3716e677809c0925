package io.nsl.enclave;

import io.nsl.NslException;

/** An operation was called on an {@link Enclave} after {@link Enclave#close()}. */
public final class EnclaveClosedException extends NslException {
  public EnclaveClosedException(String operation) {
    super(
        "ENCLAVE_CLOSED",
        "the enclave was closed; '" + operation + "' needs an open enclave (restart the service)");
  }
}
