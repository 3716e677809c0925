package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainIdentityTest {
  private static final String GW = "0x" + "ab".repeat(20);
  private static final String B1 = "0x" + "11".repeat(32);
  private static final ChainIdentity RECORDED = new ChainIdentity(56753, GW, 1, B1);

  @Test
  void theSameChainInAnotherSpellingHasNoDifference() {
    var observed = new ChainIdentity(56753, GW.substring(2).toUpperCase(), 1, B1.toUpperCase());
    assertEquals(Optional.empty(), ChainIdentity.difference(RECORDED, observed));
  }

  @Test
  void aNewDevnetWithTheSameMagicAndGatewayDiffersInItsFirstBlock() {
    var d =
        ChainIdentity.difference(RECORDED, new ChainIdentity(56753, GW, 1, "0x" + "22".repeat(32)))
            .orElseThrow();
    assertEquals(
        "block 1 is 0x"
            + "22".repeat(32)
            + " instead of "
            + B1
            + " (another chain with the same settings, e.g. a new devnet)",
        d);
  }

  @Test
  void namesEveryFieldThatDiffers() {
    var d =
        ChainIdentity.difference(
                RECORDED, new ChainIdentity(894710606, "0x" + "cd".repeat(20), 1, B1))
            .orElseThrow();
    assertTrue(d.startsWith("network magic 894710606 instead of 56753; gateway 0xcdcd"), d);
    assertTrue(d.contains("instead of " + GW), d);
  }

  @Test
  void refusesANegativeBlockIndex() {
    assertThrows(IllegalArgumentException.class, () -> new ChainIdentity(1, GW, -1, B1));
  }
}
