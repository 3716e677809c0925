package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * How node answers become results and exceptions, by NEP-23 code. The node is an OkHttp interceptor
 * that answers every call with a fixed body: no socket is opened.
 */
class NeoRpcClientTest {
  private static NeoRpcClient answering(int httpCode, String body) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain ->
                    new Response.Builder()
                        .request(chain.request())
                        .protocol(Protocol.HTTP_1_1)
                        .code(httpCode)
                        .message("test")
                        .body(ResponseBody.create(body, MediaType.get("application/json")))
                        .build())
            .build();
    return new NeoRpcClient("http://node.invalid:20332", http);
  }

  private static NeoRpcClient failingWith(int code, String message) {
    return answering(
        200,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\"}}");
  }

  @Test
  void unknownTransactionIsEmpty() {
    assertEquals(
        Optional.empty(),
        failingWith(-105, "Unknown script container").callOptional("getapplicationlog", "0x01"));
    assertEquals(
        Optional.empty(),
        failingWith(-103, "Unknown transaction").callOptional("getapplicationlog", "0x01"));
  }

  @Test
  void anyOtherRpcErrorIsNotTakenForNotIncluded() {
    var e =
        assertThrows(
            ChainException.RpcError.class,
            () -> failingWith(-32603, "Internal error").callOptional("getapplicationlog", "0x01"));
    assertEquals(-32603, e.rpcCode());
    assertTrue(e.getMessage().contains("Internal error"), e.getMessage());
    assertThrows(
        ChainException.RpcError.class,
        () -> failingWith(-100, "Unknown transaction").callOptional("getapplicationlog", "0x01"),
        "the pre-NEP-23 catch-all code is not an answer about the transaction");
  }

  @Test
  void anUnreachableOrBrokenNodeIsRetryableNotEmpty() {
    var e =
        assertThrows(
            ChainException.NodeUnreachable.class,
            () -> answering(502, "bad gateway").callOptional("getapplicationlog", "0x01"));
    assertTrue(e.retryable());
  }

  @Test
  void includedTransactionIsItsLog() {
    var log =
        answering(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"txid\":\"0x01\"}}")
            .callOptional("getapplicationlog", "0x01");
    assertEquals("0x01", log.orElseThrow().path("txid").asText());
  }

  @Test
  void sendErrorsSayWhetherTheNodeAlreadyHasTheTransaction() {
    assertTrue(new ChainException.RpcError("sendrawtransaction", -501, "exists").alreadyKnown());
    assertTrue(new ChainException.RpcError("sendrawtransaction", -503, "in pool").alreadyKnown());
    assertTrue(
        !new ChainException.RpcError("sendrawtransaction", -511, "already spent").alreadyKnown(),
        "decided by the code, not by the word 'already' in the message");
  }
}
