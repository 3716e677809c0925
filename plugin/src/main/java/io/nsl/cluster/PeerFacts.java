package io.nsl.cluster;

import io.nsl.enclave.EnclaveMode;
import java.util.Objects;

/**
 * What verified evidence says about a peer enclave.
 *
 * @param mode SGX or SIMULATED
 * @param measurement MRENCLAVE (SGX) or the claimed code hash (SIMULATED), 64 lower-case hex
 * @param mrSigner MRSIGNER hex, or null for SIMULATED
 * @param isvProdId ISVPRODID, or -1
 * @param isvSvn ISVSVN, or -1
 * @param tcbStatus the platform TCB status when collateral was checked, else null
 */
public record PeerFacts(
    EnclaveMode mode,
    String measurement,
    String mrSigner,
    int isvProdId,
    int isvSvn,
    String tcbStatus) {
  public PeerFacts {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(measurement, "measurement");
  }
}
