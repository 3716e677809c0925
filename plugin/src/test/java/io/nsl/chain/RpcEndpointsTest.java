package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * Fail-over decisions with the nodes played by an OkHttp interceptor behind the endpoints' own: a
 * host in {@code dead} refuses the connection, any other answers. No socket is opened.
 */
class RpcEndpointsTest {
  private final List<String> hostsCalled = new ArrayList<>();
  private Set<String> slow = Set.of();

  private NeoRpcClient client(RpcEndpoints endpoints, Set<String> dead) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(endpoints.interceptor())
            .addInterceptor(
                chain -> {
                  String host = chain.request().url().host();
                  hostsCalled.add(host);
                  if (dead.contains(host)) {
                    throw new ConnectException("Connection refused");
                  }
                  if (slow.contains(host)) {
                    throw new SocketTimeoutException("timeout");
                  }
                  return new Response.Builder()
                      .request(chain.request())
                      .protocol(Protocol.HTTP_1_1)
                      .code(200)
                      .message("OK")
                      .body(
                          ResponseBody.create(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":7}",
                              MediaType.get("application/json")))
                      .build();
                })
            .build();
    return new NeoRpcClient(endpoints, http);
  }

  @Test
  void movesToTheNextEndpointWhenTheCurrentOneRefusesAndStaysThere() {
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    var rpc = client(endpoints, Set.of("a.invalid"));
    assertEquals(7, rpc.blockCount());
    assertEquals("http://b.invalid:2", endpoints.current());
    assertEquals(7, rpc.blockCount());
    assertEquals(List.of("a.invalid", "b.invalid", "b.invalid"), hostsCalled);
  }

  @Test
  void aTimeoutCountsAsNotAnswering() {
    slow = Set.of("a.invalid");
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    assertEquals(7, client(endpoints, Set.of()).blockCount());
    assertEquals("http://b.invalid:2", endpoints.current());
  }

  @Test
  void wrapsAroundToTheFirstWhenTheLaterOneFails() {
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    client(endpoints, Set.of("a.invalid")).blockCount();
    assertEquals(7, client(endpoints, Set.of("b.invalid")).blockCount());
    assertEquals("http://a.invalid:1", endpoints.current());
  }

  @Test
  void whenNoneAnswersTheCallFailsRetryablyNamingEveryEndpoint() {
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    var e =
        assertThrows(
            ChainException.NodeUnreachable.class,
            () -> client(endpoints, Set.of("a.invalid", "b.invalid")).blockCount());
    assertTrue(e.retryable());
    assertTrue(
        e.getMessage().contains("any of [http://a.invalid:1, http://b.invalid:2]"), e.getMessage());
    assertEquals(List.of("a.invalid", "b.invalid"), hostsCalled, "each tried once per call");
  }

  @Test
  void anRpcErrorIsAnAnswerAndDoesNotSwitch() throws IOException {
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(endpoints.interceptor())
            .addInterceptor(
                chain ->
                    new Response.Builder()
                        .request(chain.request())
                        .protocol(Protocol.HTTP_1_1)
                        .code(200)
                        .message("OK")
                        .body(
                            ResponseBody.create(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,"
                                    + "\"message\":\"Method not found\"}}",
                                MediaType.get("application/json")))
                        .build())
            .build();
    var rpc = new NeoRpcClient(endpoints, http);
    assertThrows(ChainException.RpcError.class, () -> rpc.call("getblocknotifications", 1));
    assertEquals("http://a.invalid:1", endpoints.current());
  }

  @Test
  void refusesAnAddressThatIsNotAnHttpUrlByName() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RpcEndpoints(List.of("http://a.invalid:1", "ws://b.invalid")));
    assertEquals("RPC address 'ws://b.invalid' is not an http:// or https:// URL", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RpcEndpoints(List.of()));
  }

  @Test
  void dropsDuplicates() {
    assertEquals(
        List.of("http://a.invalid:1"),
        new RpcEndpoints(List.of("http://a.invalid:1", "http://a.invalid:1/")).all());
  }
}
