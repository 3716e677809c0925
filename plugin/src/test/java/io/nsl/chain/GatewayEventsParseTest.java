package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's Request and Fulfilled events as contracts/README.md describes them. */
class GatewayEventsParseTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] FIELDS = HEX.parseHex("11".repeat(20) + "08" + "6f6e526573756c74");

  private static NeoRpcClient.Notification request(int values) {
    List<StackValue> s = new ArrayList<>();
    s.add(new StackValue.Int(BigInteger.valueOf(7)));
    s.add(new StackValue.Bytes("price-feed".getBytes(StandardCharsets.UTF_8)));
    s.add(new StackValue.Bytes(new byte[32]));
    s.add(new StackValue.Bytes(HEX.parseHex("11".repeat(20))));
    s.add(new StackValue.Bytes("{}".getBytes(StandardCharsets.UTF_8)));
    s.add(new StackValue.Int(BigInteger.valueOf(1000)));
    s.add(new StackValue.Bytes(FIELDS));
    s.add(new StackValue.Int(BigInteger.valueOf(250)));
    return new NeoRpcClient.Notification("0xaa", "0xbb", "Request", s.subList(0, values));
  }

  @Test
  void requestCarriesTheFieldsToHandBack() {
    GatewayRequest r = GatewayClient.parseRequest(request(8), 5);
    assertEquals(7, r.requestId());
    assertArrayEquals(FIELDS, r.fields());
    assertEquals(5, r.blockIndex());
  }

  @Test
  void refusesTheRequestEventOfAGatewayBeforeCommitments() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> GatewayClient.parseRequest(request(6), 5));
    assertTrue(e.getMessage().contains("predates the commitment format"), e.getMessage());
  }

  @Test
  void fulfilledCarriesTheHeadOfEachAcceptedEntry() {
    byte[] two =
        HEX.parseHex(
            "0201000000000000"
                + "00"
                + "40e2010000000000"
                + "0c00"
                + "1d00"
                + "0301000000000000"
                + "03"
                + "0700000000000000"
                + "0d00"
                + "1800");
    assertEquals(
        List.of(
            new GatewayClient.Fulfilled(258, 0, 123456), new GatewayClient.Fulfilled(259, 3, 7)),
        GatewayClient.parseFulfilled(two));
    assertEquals(List.of(), GatewayClient.parseFulfilled(new byte[0]));
  }

  @Test
  void refusesAFulfilledEventThatIsNotWholeAnswers() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> GatewayClient.parseFulfilled(new byte[20]));
    assertTrue(e.getMessage().contains("20 bytes"), e.getMessage());
  }
}
