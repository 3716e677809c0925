package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The guard against nodes played by an OkHttp interceptor: each host is a chain (magic, height,
 * block 1). No socket.
 */
class ChainIdentityGuardTest {
  static final String GW = "0x" + "ab".repeat(20);
  static final String OURS = "0x" + "11".repeat(32);
  static final String NEW_DEVNET = "0x" + "22".repeat(32);

  record Chain(long magic, long height, String block1) {}

  final Map<String, Chain> hosts = new HashMap<>();
  Optional<ChainIdentity> stored = Optional.empty();

  final ChainIdentity.Store store =
      new ChainIdentity.Store() {
        @Override
        public Optional<ChainIdentity> load() {
          return stored;
        }

        @Override
        public void save(ChainIdentity identity) {
          stored = Optional.of(identity);
        }
      };

  ChainIdentityGuard guard(RpcEndpoints endpoints) {
    ObjectMapper json = new ObjectMapper();
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(endpoints.interceptor())
            .addInterceptor(
                c -> {
                  Chain chain = hosts.get(c.request().url().host());
                  Buffer b = new Buffer();
                  c.request().body().writeTo(b);
                  String method = json.readTree(b.readUtf8()).path("method").asText();
                  String result =
                      switch (method) {
                        case "getversion" -> "{\"protocol\":{\"network\":" + chain.magic() + "}}";
                        case "getblockcount" -> Long.toString(chain.height() + 1);
                        case "getblockhash" -> "\"" + chain.block1() + "\"";
                        default -> throw new IllegalStateException(method);
                      };
                  return new Response.Builder()
                      .request(c.request())
                      .protocol(Protocol.HTTP_1_1)
                      .code(200)
                      .message("OK")
                      .body(
                          ResponseBody.create(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}",
                              MediaType.get("application/json")))
                      .build();
                })
            .build();
    return new ChainIdentityGuard(
        new NeoRpcClient(endpoints, http), endpoints, GW, store, "/data/service");
  }

  @Test
  void recordsTheFirstChainItMeetsThenAcceptsIt() {
    hosts.put("a.invalid", new Chain(56753, 50, OURS));
    var g = guard(RpcEndpoints.of("http://a.invalid:1"));
    g.verify();
    assertEquals(Optional.of(new ChainIdentity(56753, GW, 1, OURS)), stored);
    g.verify();
  }

  @Test
  void refusesANewDevnetWithTheSameMagicAndGatewaySayingWhatDiffersAndWhatToDo() {
    stored = Optional.of(new ChainIdentity(56753, GW, 1, OURS));
    hosts.put("a.invalid", new Chain(56753, 20, NEW_DEVNET));
    var e =
        assertThrows(
            ChainException.WrongChain.class,
            () -> guard(RpcEndpoints.of("http://a.invalid:1")).verify());
    assertEquals(
        "this data folder (/data/service) belongs to network 56753 / gateway "
            + GW
            + " (block 1 "
            + OURS
            + "), but the node at http://a.invalid:1 and the configuration differ: block 1 is "
            + NEW_DEVNET
            + " instead of "
            + OURS
            + " (another chain with the same settings, e.g. a new devnet). Start with an empty"
            + " data folder (dataDir) for this chain, or point chain.rpcUrl and chain.gatewayHash"
            + " at the chain this folder belongs to.",
        e.getMessage());
    assertEquals("WRONG_CHAIN", e.code());
  }

  @Test
  void passesOverAnEndpointOnAnotherChainToOneOnItsOwn() {
    stored = Optional.of(new ChainIdentity(56753, GW, 1, OURS));
    hosts.put("a.invalid", new Chain(56753, 20, NEW_DEVNET));
    hosts.put("b.invalid", new Chain(56753, 90, OURS));
    var endpoints = new RpcEndpoints(List.of("http://a.invalid:1", "http://b.invalid:2"));
    guard(endpoints).verify();
    assertEquals("http://b.invalid:2", endpoints.current());
  }

  @Test
  void aNodeWithoutBlockOneYetIsBehindNotAnotherChain() {
    stored = Optional.of(new ChainIdentity(56753, GW, 1, OURS));
    hosts.put("a.invalid", new Chain(56753, 0, "unused"));
    var e =
        assertThrows(
            ChainException.NodeBehind.class,
            () -> guard(RpcEndpoints.of("http://a.invalid:1")).verify());
    assertTrue(e.retryable());
  }

  @Test
  void anotherNetworkIsRefusedEvenBeforeItsFirstBlock() {
    stored = Optional.of(new ChainIdentity(56753, GW, 1, OURS));
    hosts.put("a.invalid", new Chain(894710606, 0, "unused"));
    var e =
        assertThrows(
            ChainException.WrongChain.class,
            () -> guard(RpcEndpoints.of("http://a.invalid:1")).verify());
    assertTrue(e.getMessage().contains("network magic 894710606 instead of 56753"), e.getMessage());
  }
}
