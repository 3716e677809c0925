package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * How each source turns node answers into a block's notifications. The node is an OkHttp
 * interceptor answering by method (and, for getapplicationlog, by transaction): no socket.
 */
class NotificationSourceTest {
  static final String GATEWAY = "0x" + "ab".repeat(20);
  static final ObjectMapper JSON = new ObjectMapper();

  /** method (or "getapplicationlog:" + tx) → the JSON-RPC body's "result" or "error" member. */
  final Map<String, String> answers = new HashMap<>();

  final List<String> called = new ArrayList<>();

  NeoRpcClient node() {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  Buffer b = new Buffer();
                  chain.request().body().writeTo(b);
                  JsonNode req = JSON.readTree(b.readUtf8());
                  String method = req.path("method").asText();
                  String key =
                      method.equals("getapplicationlog")
                          ? method + ":" + req.path("params").path(0).asText()
                          : method;
                  called.add(key);
                  String member = answers.getOrDefault(key, "\"result\":null");
                  return new Response.Builder()
                      .request(chain.request())
                      .protocol(Protocol.HTTP_1_1)
                      .code(200)
                      .message("OK")
                      .body(
                          ResponseBody.create(
                              "{\"jsonrpc\":\"2.0\",\"id\":1," + member + "}",
                              MediaType.get("application/json")))
                      .build();
                })
            .build();
    return new NeoRpcClient("http://node.invalid:10332", http);
  }

  static String notification(String contract, String event, long requestId) {
    return "{\"contract\":\""
        + contract
        + "\",\"eventname\":\""
        + event
        + "\",\"state\":{\"type\":\"Array\",\"value\":[{\"type\":\"Integer\",\"value\":\""
        + requestId
        + "\"}]}}";
  }

  static String execution(String vmstate, String... notifications) {
    return "{\"trigger\":\"Application\",\"vmstate\":\""
        + vmstate
        + "\",\"notifications\":["
        + String.join(",", notifications)
        + "]}";
  }

  void block(String... txs) {
    StringBuilder sb = new StringBuilder("\"result\":{\"index\":5,\"tx\":[");
    for (int i = 0; i < txs.length; i++) {
      sb.append(i > 0 ? "," : "").append("{\"hash\":\"").append(txs[i]).append("\"}");
    }
    answers.put("getblock", sb.append("]}").toString());
  }

  void log(String tx, String... executions) {
    answers.put(
        "getapplicationlog:" + tx,
        "\"result\":{\"txid\":\""
            + tx
            + "\",\"executions\":["
            + String.join(",", executions)
            + "]}");
  }

  static List<Long> ids(List<NeoRpcClient.Notification> notes) {
    return notes.stream().map(n -> n.state().get(0).asInt().longValueExact()).toList();
  }

  @Test
  void standardKeepsOnlyTheGatewaysEventFromTransactionsThatHalted() {
    block("0x01", "0x02", "0x03");
    log(
        "0x01",
        execution(
            "HALT",
            notification(GATEWAY, "Request", 1),
            notification(GATEWAY, "Fulfilled", 99),
            notification("0x" + "cd".repeat(20), "Request", 98),
            notification(GATEWAY.toUpperCase().replace("0X", "0x"), "Request", 2)));
    log("0x02", execution("FAULT", notification(GATEWAY, "Request", 97)));
    log("0x03", execution("HALT", notification(GATEWAY, "Request", 3)));
    var notes = new NotificationSource.Standard(node()).blockNotifications(5, GATEWAY, "Request");
    assertEquals(List.of(1L, 2L, 3L), ids(notes));
    assertEquals(
        List.of("0x01", "0x01", "0x03"), notes.stream().map(n -> n.containerHash()).toList());
  }

  @Test
  void standardReadsAnEmptyBlockWithOneCall() {
    block();
    assertEquals(
        List.of(),
        new NotificationSource.Standard(node()).blockNotifications(5, GATEWAY, "Request"));
    assertEquals(List.of("getblock"), called);
  }

  @Test
  void autoSwitchesToStandardOnMethodNotFoundOnceAndForGood() {
    answers.put(
        "getblocknotifications", "\"error\":{\"code\":-32601,\"message\":\"Method not found\"}");
    block("0x01");
    log("0x01", execution("HALT", notification(GATEWAY, "Request", 1)));
    var auto = new NotificationSource.Auto(node());
    assertEquals("notifications", auto.way());
    assertEquals(List.of(1L), ids(auto.blockNotifications(5, GATEWAY, "Request")));
    assertEquals(List.of(1L), ids(auto.blockNotifications(6, GATEWAY, "Request")));
    assertEquals("standard", auto.way());
    assertEquals(
        List.of(
            "getblocknotifications",
            "getblock",
            "getapplicationlog:0x01",
            "getblock",
            "getapplicationlog:0x01"),
        called);
  }

  @Test
  void autoDoesNotTakeAnotherErrorForAMissingMethod() {
    // Same English text, another code: only the code decides.
    answers.put(
        "getblocknotifications", "\"error\":{\"code\":-32602,\"message\":\"Method not found\"}");
    var auto = new NotificationSource.Auto(node());
    var e =
        assertThrows(
            ChainException.RpcError.class, () -> auto.blockNotifications(5, GATEWAY, "Request"));
    assertEquals(-32602, e.rpcCode());
    assertEquals("notifications", auto.way());
  }

  @Test
  void autoReadsNeoGosExtensionWhileTheNodeHasIt() {
    answers.put(
        "getblocknotifications",
        "\"result\":{\"application\":[{\"container\":\"0x01\","
            + notification(GATEWAY, "Request", 4).substring(1)
            + "]}");
    var auto = new NotificationSource.Auto(node());
    assertEquals(List.of(4L), ids(auto.blockNotifications(5, GATEWAY, "Request")));
    assertEquals("notifications", auto.way());
    assertEquals(List.of("getblocknotifications"), called);
  }

  @Test
  void modeNamesTheAllowedValues() {
    assertEquals(NotificationSource.Mode.STANDARD, NotificationSource.Mode.parse("standard"));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> NotificationSource.Mode.parse("neo-cli"));
    assertEquals(
        "'neo-cli' is not a watcher mode: use auto, notifications or standard", e.getMessage());
  }
}
