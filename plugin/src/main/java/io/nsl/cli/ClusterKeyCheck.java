package io.nsl.cli;

import io.nsl.NslException;
import io.nsl.chain.ChainException;
import io.nsl.chain.GatewayClient;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Secrets go to the key the chain names: when the gateway records a cluster key, the attested
 * instance's secrets key must be that key (its attestation binds it, so an attested instance that
 * holds it is what the client talks to). Pure apart from the gateway read.
 */
final class ClusterKeyCheck {
  private ClusterKeyCheck() {}

  /** The attested key differs from the one the chain names. */
  static final class ClusterKeyMismatchException extends NslException {
    ClusterKeyMismatchException(String message) {
      super("CLUSTER_KEY_MISMATCH", message);
    }
  }

  /**
   * Refuses unless {@code attestedSecretsKey} is the gateway's cluster key; passes (with a progress
   * line) when the gateway names none.
   */
  static void requireNamedKey(byte[] attestedSecretsKey, GatewayClient gw, Output out) {
    Optional<GatewayClient.ClusterKey> named;
    try {
      named = gw.clusterKey();
    } catch (ChainException.RpcError e) {
      out.progress("the gateway has no clusterKey method (older deployment): not checked");
      return;
    }
    check(attestedSecretsKey, named, out::progress);
  }

  static void check(
      byte[] attestedSecretsKey,
      Optional<GatewayClient.ClusterKey> named,
      java.util.function.Consumer<String> progress) {
    if (named.isEmpty()) {
      progress.accept("the gateway names no cluster key yet: encrypting to the attested key");
      return;
    }
    HexFormat hex = HexFormat.of();
    if (!Arrays.equals(named.get().secretsPublicKey(), attestedSecretsKey)) {
      throw new ClusterKeyMismatchException(
          "the gateway names cluster key "
              + hex.formatHex(named.get().secretsPublicKey())
              + " (epoch "
              + named.get().epoch()
              + ") but the attested instance holds "
              + hex.formatHex(attestedSecretsKey)
              + "; it has not joined the current epoch. Use another instance, or ask the operator");
    }
    progress.accept(
        "the attested secrets key is the gateway's cluster key (epoch "
            + named.get().epoch()
            + ")");
  }
}
