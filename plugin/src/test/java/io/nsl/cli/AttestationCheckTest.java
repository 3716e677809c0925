package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure half of the registration check: is the attested key among the gateway's active keys. */
class AttestationCheckTest {
  private static final String GATEWAY = "0x" + "ab".repeat(20);

  private static byte[] key(int b) {
    byte[] k = new byte[33];
    Arrays.fill(k, (byte) b);
    k[0] = 0x02;
    return k;
  }

  private static AttestationCheck.Checked attested(byte[] signing) {
    return new AttestationCheck.Checked(signing, key(9), "SIMULATED", GATEWAY, "test");
  }

  @Test
  void acceptsAKeyTheGatewayListsAsActive() {
    AttestationCheck.requireActive(attested(key(2)), List.of(key(1), key(2)));
  }

  @Test
  void refusesAKeyMissingFromTheActiveListNamingKeyAndGateway() {
    var e =
        assertThrows(
            AttestationCheck.NotRegistered.class,
            () -> AttestationCheck.requireActive(attested(key(3)), List.of(key(1), key(2))));
    assertEquals("ENCLAVE_NOT_REGISTERED", e.code());
    assertTrue(e.getMessage().contains(HexFormat.of().formatHex(key(3))), e.getMessage());
    assertTrue(e.getMessage().contains(GATEWAY), e.getMessage());
    assertTrue(e.getMessage().contains("registerEnclave"), e.getMessage());
  }

  @Test
  void refusesWhenTheGatewayHasNoActiveKeys() {
    assertThrows(
        AttestationCheck.NotRegistered.class,
        () -> AttestationCheck.requireActive(attested(key(2)), List.of()));
  }

  @Test
  void refusesAKeyThatDiffersOnlyInItsPrefixByte() {
    byte[] odd = key(2);
    odd[0] = 0x03;
    assertThrows(
        AttestationCheck.NotRegistered.class,
        () -> AttestationCheck.requireActive(attested(odd), List.of(key(2))));
  }
}
