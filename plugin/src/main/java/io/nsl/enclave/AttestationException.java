package io.nsl.enclave;

import io.nsl.NslException;

/** The platform could not produce attestation evidence (SGX driver, quoting enclave, PCCS). */
public final class AttestationException extends NslException {
  public AttestationException(String message) {
    super("ATTESTATION_FAILED", message);
  }

  public AttestationException(String message, Throwable cause) {
    super("ATTESTATION_FAILED", message, cause);
  }
}
