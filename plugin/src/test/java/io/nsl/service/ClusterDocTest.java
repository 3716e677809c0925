package io.nsl.service;

import static io.nsl.testing.DocText.assertSays;
import static io.nsl.testing.DocText.n;

import io.nsl.cluster.SeenJoins;
import io.nsl.testing.DocText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/cluster.md's join numbers are the code's: the tries of a join ({@link ClusterWiring}) and
 * the provider's freshness window and nonce memory ({@link SeenJoins}).
 */
class ClusterDocTest {
  private static final String PAGE = "docs/cluster.md";

  @Test
  void joinRetriesAreClusterWirings() {
    assertSays(
        PAGE + "'s \"Crashes during a join\"",
        DocText.section(DocText.read(PAGE), "Crashes during a join"),
        List.of(
            "try "
                + ClusterWiring.JOIN_ATTEMPTS
                + " times in all, "
                + ClusterWiring.JOIN_RETRY_DELAY.toSeconds()
                + " s apart"));
  }

  @Test
  void providerWindowAndNonceMemoryAreSeenJoins() {
    long rememberedMinutes =
        SeenJoins.DEFAULT_WINDOW.multipliedBy(SeenJoins.REMEMBERED_WINDOWS).toMinutes();
    assertSays(
        PAGE,
        DocText.read(PAGE),
        List.of(
            "| `createdAtMillis` within ±"
                + SeenJoins.DEFAULT_WINDOW.toMinutes()
                + " min of P's clock | `JOIN_EXPIRED` |",
            "(verified requests only are remembered, "
                + rememberedMinutes
                + " min, at most "
                + n(SeenJoins.DEFAULT_CAPACITY)
                + ")"));
  }
}
