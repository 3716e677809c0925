package io.nsl.enclave;

import io.nsl.NslException;

/**
 * Cluster keys handed to a newcomer do not open: they were altered on the way, or wrapped to
 * another ephemeral key or another join transcript. Nothing is installed; join again.
 */
public final class ClusterKeysRejectedException extends NslException {
  public ClusterKeysRejectedException(String message) {
    super("JOIN_KEYS_TAMPERED", message);
  }
}
