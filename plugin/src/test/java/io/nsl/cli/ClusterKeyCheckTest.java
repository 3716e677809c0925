package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.GatewayClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Secrets are encrypted only to an attested instance holding the key the gateway names. */
class ClusterKeyCheckTest {
  private static byte[] key(int b) {
    byte[] k = new byte[33];
    k[0] = 2;
    k[1] = (byte) b;
    return k;
  }

  @Test
  void refusesAnAttestedKeyThatIsNotTheOneTheChainNames() {
    ClusterKeyCheck.ClusterKeyMismatchException e =
        assertThrows(
            ClusterKeyCheck.ClusterKeyMismatchException.class,
            () ->
                ClusterKeyCheck.check(
                    key(1), Optional.of(new GatewayClient.ClusterKey(2, key(9))), s -> {}));
    assertEquals("CLUSTER_KEY_MISMATCH", e.code());
    assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
  }

  @Test
  void acceptsTheNamedKeyAndSaysSo() {
    List<String> said = new ArrayList<>();
    ClusterKeyCheck.check(key(1), Optional.of(new GatewayClient.ClusterKey(0, key(1))), said::add);
    assertTrue(said.get(0).contains("epoch 0"), said.toString());
  }

  @Test
  void aGatewayThatNamesNoKeyLeavesTheAttestedKey() {
    List<String> said = new ArrayList<>();
    ClusterKeyCheck.check(key(1), Optional.empty(), said::add);
    assertTrue(said.get(0).contains("names no cluster key"), said.toString());
  }
}
