package io.nsl.enclave;

import io.nsl.NslException;

/**
 * The operation needs cluster keys this instance does not hold (run {@code ./nsl cluster init} on
 * the first instance, or {@code ./nsl run --join URL}), or would replace the cluster keys it holds
 * with different ones (an instance belongs to one cluster; use a fresh data folder for another).
 */
public final class ClusterStateException extends NslException {
  public ClusterStateException(String message) {
    super("CLUSTER_STATE", message);
  }
}
