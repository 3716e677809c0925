package io.nsl.enclave;

import io.nsl.NslException;

/** The requested enclave mode cannot run here (no SGX device, not inside Occlum). */
public final class EnclaveUnavailableException extends NslException {
  public EnclaveUnavailableException(String message) {
    super("ENCLAVE_UNAVAILABLE", message);
  }
}
