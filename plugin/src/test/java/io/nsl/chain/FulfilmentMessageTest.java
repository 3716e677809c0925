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
  // Request fields: requester 0x1111...11 | len(callback) | callback | serialized userData.
  private static final String FIELDS_1 = "11".repeat(20) + "08" + "6f6e526573756c74"; // onResult
  private static final String FIELDS_2 = "11".repeat(20) + "00" + "280178"; // userData "x"
  private static final String ENTRY_1 =
      "0201000000000000"
          + "00"
          + "40e2010000000000"
          + "0c00"
          + "1d00"
          + "7b227072696365223a34327d"
          + FIELDS_1
          + "e47bd1caa3947217916e0a6741287d7a65c43ba7d70427220f878fb94876cc95";
  private static final String ENTRY_2 =
      "0301000000000000"
          + "03"
          + "0700000000000000"
          + "0d00"
          + "1800"
          + "7b226572726f72223a2278227d"
          + FIELDS_2
          + "b583f50ca85660168015871bdcdc5de88718a8ede96a456a1976cd2268d4967c";
  private static final String SINGLE_SIGNATURE =
      "72160517636409744af8fe32c22011581b253ee447f8f0175c07927cdfed46d1"
          + "53e4cc21ee7517182216514948888c436276bd1b101f83144bb082978f970b01";
  private static final String BATCH_SIGNATURE =
      "a3e70847358b0cea3575aec6eb079585af35009cf83b6e8fc6bf5d41d4a1e02c"
          + "0c434a3e9356960d7eb2a891957fc3b045d1502e267848e81fb5b6db48b6e774";

  private static final Entry E1 =
      new Entry(258, 0, utf8("{\"price\":42}"), 123456, HEX.parseHex(FIELDS_1));
  private static final Entry E2 =
      new Entry(259, 3, utf8("{\"error\":\"x\"}"), 7, HEX.parseHex(FIELDS_2));

  @Test
  void singleAnswerMatchesTheGatewaysVector() {
    byte[] msg =
        FulfilmentMessage.encode(
            MAGIC, GATEWAY_LE, 258, 0, utf8("{\"price\":42}"), 123456, HEX.parseHex(FIELDS_1));
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
    byte[] fields = HEX.parseHex("22".repeat(20) + "00");
    byte[] msg =
        FulfilmentMessage.encode(
            0x01020304L, gateway, 7, 3, new byte[] {(byte) 0xaa, (byte) 0xbb}, 0x1122, fields);
    assertEquals(
        "04030201"
            + "0102030405060708090a0b0c0d0e0f1011121314"
            + "0700000000000000"
            + "03"
            + "2211000000000000"
            + "0200"
            + "1500"
            + "aabb"
            + "22".repeat(20)
            + "00"
            + HEX.formatHex(FulfilmentMessage.commitment(fields)),
        HEX.formatHex(msg));
  }

  @Test
  void refusesWrongLengthsAndRanges() {
    byte[] r = new byte[0];
    byte[] F = new byte[21];
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, r, 0, new byte[20]),
        "fields shorter than a requester");
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, r, 0, new byte[833]),
        "fields over the gateway's limit");
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[19], 1, 0, r, 0, F));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 256, r, 0, F));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1L << 32, new byte[20], 1, 0, r, 0, F));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 0, 0, r, 0, F));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, r, -1, F));
    assertThrows(
        IllegalArgumentException.class,
        () -> FulfilmentMessage.encode(1, new byte[20], 1, 0, new byte[4097], 0, F));
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
