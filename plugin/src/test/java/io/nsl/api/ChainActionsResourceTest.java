package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainActionsResourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Optional<JsonNode> args(String json) throws Exception {
    return Optional.of(JSON.readTree(json));
  }

  private static ApiFailure refused(String action, String argsJson) throws Exception {
    Optional<JsonNode> a = args(argsJson);
    return assertThrows(ApiFailure.class, () -> ChainActionsResource.call(action, a));
  }

  @Test
  void namesAnUnknownAction() throws Exception {
    ApiFailure e = refused("transfer", "{\"functionId\":\"f\"}");
    assertEquals(ErrorStatus.CHAIN_UNKNOWN_ACTION, e.status());
    assertTrue(e.getMessage().contains("'transfer'"), e.getMessage());
  }

  @Test
  void refusesAnArgumentTheActionDoesNotTake() throws Exception {
    ApiFailure e = refused("enable", "{\"functionId\":\"f\",\"code\":\"x\"}");
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
    assertTrue(e.getMessage().contains("'code'"), e.getMessage());
  }

  @Test
  void refusesArgsThatAreNotAnObject() {
    ApiFailure e =
        assertThrows(
            ApiFailure.class, () -> ChainActionsResource.call("register", Optional.empty()));
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
  }

  @Test
  void refusesAFunctionIdTheGatewayWouldRefuse() throws Exception {
    ApiFailure e = refused("disable", "{\"functionId\":\"Bad Id!\"}");
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
    assertTrue(e.getMessage().startsWith("action disable: functionId:"), e.getMessage());
  }

  @Test
  void refusesAConsumerThatIsNotAContractHash() throws Exception {
    ApiFailure e =
        refused("request", "{\"functionId\":\"f\",\"consumer\":\"0x12\",\"input\":\"{}\"}");
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
    assertTrue(e.getMessage().contains("'0x12'"), e.getMessage());
  }

  @Test
  void refusesAnInputThatIsNotJson() throws Exception {
    ApiFailure e =
        refused(
            "request",
            "{\"functionId\":\"f\",\"consumer\":\"0x" + "a".repeat(40) + "\",\"input\":\"{oops\"}");
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
    assertTrue(e.getMessage().contains("input must be JSON"), e.getMessage());
  }

  @Test
  void refusesAJsGasLimitBelowOne() throws Exception {
    ApiFailure e =
        refused(
            "request",
            "{\"functionId\":\"f\",\"consumer\":\"0x"
                + "a".repeat(40)
                + "\",\"input\":\"1\",\"jsGasLimit\":0}");
    assertEquals(ErrorStatus.CHAIN_BAD_ARGS, e.status());
  }

  @Test
  void refusesEmptyCode() throws Exception {
    assertEquals(
        ErrorStatus.CHAIN_BAD_ARGS,
        refused("register", "{\"functionId\":\"f\",\"code\":\"\"}").status());
  }

  @Test
  void readsARequestWithItsDefaults() throws Exception {
    ChainActions.Call c =
        ChainActionsResource.call(
            "REQUEST",
            args(
                "{\"functionId\":\"double\",\"consumer\":\""
                    + "AB".repeat(20)
                    + "\",\"input\":\"{\\\"value\\\":21}\"}"));
    assertEquals(ChainActions.Action.REQUEST, c.action());
    assertEquals(Optional.of("0x" + "ab".repeat(20)), c.consumer());
    assertEquals(Optional.of("{\"value\":21}"), c.inputJson());
    assertEquals(ChainActionsResource.DEFAULT_JS_GAS_LIMIT, c.jsGasLimit());
  }

  @Test
  void signDataIsTheMagicLittleEndianThenTheTransactionsSha256() throws Exception {
    byte[] tx = {1, 2, 3};
    byte[] d = ChainActions.signData(0x334F454EL, tx);
    assertEquals(36, d.length);
    assertArrayEquals(new byte[] {0x4E, 0x45, 0x4F, 0x33}, java.util.Arrays.copyOf(d, 4));
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest(tx), java.util.Arrays.copyOfRange(d, 4, 36));
  }
}
