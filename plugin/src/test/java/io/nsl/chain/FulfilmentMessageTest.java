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

  @Test
  void refusesWrongLengthsAndRanges() {
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[19], 1, 0, new byte[32], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, new byte[31], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1, new byte[20], 1, 256, new byte[32], 0));
    assertThrows(IllegalArgumentException.class, () -> FulfilmentMessage.encode(1L << 32, new byte[20], 1, 0, new byte[32], 0));
  }
}
