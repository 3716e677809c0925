package io.nsl.enclave;

/**
 * What stands behind an {@link Enclave}'s keys.
 *
 * <p>{@link #SIMULATED} keys have no hardware protection at all: anyone with the data folder has
 * the private keys. A gateway deployed for production must refuse them.
 */
public enum EnclaveMode {
  /** Intel SGX (today through Occlum): keys sealed by the CPU, evidence is a DCAP quote. */
  SGX,
  /** No TEE: keys sealed with a key kept in a local file, evidence is a SIMULATED document. */
  SIMULATED
}
