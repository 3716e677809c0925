package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.neow3j.types.Hash160;
import io.nsl.chain.FulfilmentMessage.Entry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vectors in contracts/README.md, which the gateway's Go tests assert too
 * (contracts/gateway/message_test.go): same key, network, gateway, entries, bytes and signatures.
 */
class FulfilmentMessageTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long MAGIC = 860833102L; // N3 MainNet
  private static final byte[] GATEWAY_LE =
      new Hash160("0102030405060708090a0b0c0d0e0f1011121314").toLittleEndianArray();
  private static final String PUBLIC_KEY =
      "02028a99826edc0c97d18e22b6932373d908d323aa7f92656a77ec26e8861699ef";
  private static final String PREFIX = "4e454f33" + "14131211100f0e0d0c0b0a090807060504030201";
  private static final String ENTRY_1 =
      "0201000000000000" + "00" + "40e2010000000000" + "0c00" + "7b227072696365223a34327d";
  private static final String ENTRY_2 =
      "0301000000000000" + "03" + "0700000000000000" + "0d00" + "7b226572726f72223a2278227d";
  private static final String SINGLE_SIGNATURE =
      "0fdf4b2e7647ef77adf335e6ff866e7998fb84a8922557d1dba345ebab094012"
          + "6e656f0db6e7093677aa25036c7b6e0f6008787e555dcd02d16f61ccdc1df965";
  private static final String BATCH_SIGNATURE =
      "0d06ba23eed72f53694ca00247aaae6823698597f884d6dcd973ee39028cc1e1"
          + "883a62180fc8118559d122ddbec45eeabc8c33f6070dc7a98403a50a56309abf";

  private static final Entry E1 = new Entry(258, 0, utf8("{\"price\":42}"), 123456);
  private static final Entry E2 = new Entry(259, 3, utf8("{\"error\":\"x\"}"), 7);

  @Test
  void singleAnswerMatchesTheGatewaysVector() {
    byte[] msg =
        FulfilmentMessage.encode(MAGIC, GATEWAY_LE, 258, 0, utf8("{\"price\":42}"), 123456);
    assertEquals(PREFIX + ENTRY_1, HEX.formatHex(msg));
    assertArrayEquals(
        msg, FulfilmentMessage.encodeBatch(MAGIC, GATEWAY_LE, List.of(E1)), "a batch of one");
    assertTrue(
        verifies(msg, SINGLE_SIGNATURE), "the Go side's signature verifies over the Java bytes");
  }

  @Test
  void batchMatchesTheGatewaysVector() {
    byte[] msg = FulfilmentMessage.encodeBatch(MAGIC, GATEWAY_LE, List.of(E1, E2));
    assertEquals(PREFIX + ENTRY_1 + ENTRY_2, HEX.formatHex(msg));
    assertTrue(verifies(msg, BATCH_SIGNATURE));
    assertFalse(
        verifies(
            FulfilmentMessage.encodeBatch(MAGIC, GATEWAY_LE, List.of(E2, E1)), BATCH_SIGNATURE),
        "order is signed");
  }

  @Test
  void encodesFieldsLittleEndianInDocumentedOrder() {
    byte[] gateway = new byte[20];
    for (int i = 0; i < 20; i++) {
      gateway[i] = (byte) (i + 1);
    }
    byte[] msg =
        FulfilmentMessage.encode(
            0x01020304L, gateway, 7, 3, new byte[] {(byte) 0xaa, (byte) 0xbb}, 0x1122);
    assertEquals(
        "04030201"
            + "0102030405060708090a0b0c0d0e0f1011121314"
            + "0700000000000000"
            + "03"
            + "2211000000000000"
            + "0200"
            + "aabb",
        HEX.formatHex(msg));
  }

  @Test
  void refusesWrongLengthsAndRanges() {
    byte[] r = new byte[0];
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[19], 1, 0, r, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 256, r, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1L << 32, new byte[20], 1, 0, r, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 0, 0, r, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, r, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, new byte[4097], 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encodeBatch(1, new byte[20], List.of()));
  }

  private static boolean verifies(byte[] message, String signatureHex) {
    return Sign.verifySignature(
        message,
        Sign.SignatureData.fromByteArray(HEX.parseHex(signatureHex)),
        new ECKeyPair.ECPublicKey(HEX.parseHex(PUBLIC_KEY)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
