package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FulfilmentMessageTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesFieldsLittleEndianInDocumentedOrder() {
    byte[] gateway = new byte[20];
    for (int i = 0; i < 20; i++) {
      gateway[i] = (byte) (i + 1);
    }
    byte[] sha = new byte[32];
    sha[0] = (byte) 0xaa;
    sha[31] = (byte) 0xbb;
    byte[] msg = FulfilmentMessage.encode(0x01020304L, gateway, 7, 3, sha, 0x1122);
    assertEquals(73, msg.length);
    assertEquals(
        "04030201"
            + "0102030405060708090a0b0c0d0e0f1011121314"
            + "0700000000000000"
            + "03"
            + "aa" + "00".repeat(30) + "bb"
            + "2211000000000000",
        HEX.formatHex(msg));
  }

  /** The vector in contracts/README.md, which the gateway's Go tests assert on chain too. */
  @Test
  void matchesTheGatewaysReferenceVector() throws Exception {
    byte[] gatewayLE =
        new io.neow3j.types.Hash160("0102030405060708090a0b0c0d0e0f1011121314").toLittleEndianArray();
    byte[] result = "{\"price\":42}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(result);
    byte[] msg = FulfilmentMessage.encode(860833102L, gatewayLE, 258, 0, sha, 123456);
    assertEquals(
        "4e454f33" + "14131211100f0e0d0c0b0a090807060504030201" + "0201000000000000" + "00"
            + "0f2af916164505408bb45ed8884d4adf9caeead0b6a44fadbf2afc412c74d00c" + "40e2010000000000",
        HEX.formatHex(msg));
  }

  @Test
  void refusesWrongLengthsAndRanges() {
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[19], 1, 0, new byte[32], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, new byte[31], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[20], 1, 256, new byte[32], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1L << 32, new byte[20], 1, 0, new byte[32], 0));
  }
}
