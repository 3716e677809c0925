package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.neow3j.script.OpCode;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.Witness;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash256;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.testing.LocalChain;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watcher's two ways of reading blocks, on one real neo-go chain: neo-go's {@code
 * getblocknotifications} and the standard {@code getblock} + {@code getapplicationlog}. Same
 * blocks, same cursor commits: a block with several requests (one transaction, three calls; and two
 * more transactions sent together), and a transaction that emits a request and then faults, whose
 * request must not be queued. {@code auto} is run behind a loopback proxy that answers like a C#
 * neo-cli node (-32601 for the extension), and the standard path through fail-over from a dead
 * endpoint.
 */
class WatcherPathsIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static DevnetDeployment deployment;
  static NeoRpcClient rpc;
  static long firstBlock;
  static long lastBlock;
  static String faultedTx;
  static String manyTx;
  static HttpServer neoCli;
  static final AtomicInteger extensionCalls = new AtomicInteger();

  @BeforeAll
  static void requests() throws Exception {
    deployment =
        DevnetDeployment.deploy(chain.node(), ProjectRoot.find().resolve("contracts/build"));
    rpc = new NeoRpcClient(chain.node().rpcUrl());
    NeoChain neo = chain.chain();
    GatewayClient gateway = new GatewayClient(neo, rpc, deployment.gateway());
    Account developer = chain.node().wallets().developer();
    gateway.registerFunction(
        "f",
        MessageDigest.getInstance("SHA-256")
            .digest("export function main(i) { return i; }".getBytes(StandardCharsets.UTF_8)),
        developer);
    firstBlock = neo.blockCount() - 1;

    // Three requests in one transaction: one block, several requests.
    List<DevnetDeployment.Ask> asks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      asks.add(new DevnetDeployment.Ask(deployment.consumer(), "f", "{\"i\":" + i + "}", 1000));
    }
    manyTx = DevnetDeployment.requestMany(neo, developer, asks, true);

    // A request that faults after the gateway emitted its event, sent beside a good one.
    byte[] script =
        new ScriptBuilder()
            .contractCall(
                deployment.consumer(),
                "request",
                List.of(
                    ContractParameter.string("f"),
                    ContractParameter.byteArray("{\"faulted\":1}".getBytes(StandardCharsets.UTF_8)),
                    ContractParameter.integer(BigInteger.valueOf(1000)),
                    ContractParameter.integer(
                        BigInteger.valueOf(DevnetDeployment.GAS_FOR_RESPONSE))))
            .opCode(OpCode.ABORT)
            .toArray();
    // Built by hand: NeoChain refuses to send a script whose test run faults. Fees are generous.
    Transaction faulting =
        new Transaction(
            neo.neow3j(),
            (byte) 0,
            System.nanoTime() & 0xFFFF_FFFFL,
            neo.blockCount() + 100,
            List.of(AccountSigner.calledByEntry(developer)),
            200_000_000L,
            10_000_000L,
            List.of(),
            script,
            new ArrayList<>());
    faulting.addWitness(Witness.create(faulting.getHashData(), developer.getECKeyPair()));
    Hash256 faultedHash = neo.send(faulting, "faulting request");
    faultedTx = "0x" + faultedHash;
    DevnetDeployment.requestMany(
        neo,
        developer,
        List.of(new DevnetDeployment.Ask(deployment.consumer(), "f", "{\"good\":1}", 1000)),
        true);
    var faultLog =
        neo.waitForApplicationLog(faultedHash, "faulting request", Duration.ofSeconds(30));
    assertEquals("FAULT", faultLog.getExecutions().get(0).getState().jsonValue());
    assertTrue(
        faultLog.getExecutions().get(0).getNotifications().stream()
            .anyMatch(n -> n.getEventName().equals("Request")),
        "the faulted transaction emitted a Request before it faulted");
    lastBlock = neo.blockCount() - 1;

    // A node without neo-go's extension, as a C# neo-cli answers; everything else goes to neo-go.
    neoCli = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient forward = HttpClient.newHttpClient();
    neoCli.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          String text = new String(body, StandardCharsets.UTF_8);
          byte[] answer;
          if (text.contains("\"method\":\"getblocknotifications\"")) {
            extensionCalls.incrementAndGet();
            answer =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            try {
              answer =
                  forward
                      .send(
                          HttpRequest.newBuilder(URI.create(chain.node().rpcUrl()))
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .header("Content-Type", "application/json")
                              .build(),
                          HttpResponse.BodyHandlers.ofByteArray())
                      .body();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new java.io.IOException(e);
            }
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    neoCli.start();
  }

  @AfterAll
  static void stopProxy() {
    if (neoCli != null) {
      neoCli.stop(0);
    }
  }

  /** Records every commit, as the request queue would store them. */
  static final class Recorder implements EventWatcher.Cursor<GatewayRequest> {
    final Map<Long, List<GatewayRequest>> commits = new TreeMap<>();
    long next;

    Recorder(long from) {
      next = from;
    }

    @Override
    public long nextBlock() {
      return next;
    }

    @Override
    public void commit(long index, List<GatewayRequest> events) {
      assertEquals(next, index, "commits in order, one block at a time");
      commits.put(index, List.copyOf(events));
      next = index + 1;
    }
  }

  /** Runs a watcher over the requests' blocks and returns what it committed. */
  static Map<Long, List<GatewayRequest>> watch(NeoRpcClient client, NotificationSource source) {
    return watch(client, source, firstBlock);
  }

  static Map<Long, List<GatewayRequest>> watch(
      NeoRpcClient client, NotificationSource source, long from) {
    Recorder cursor = new Recorder(from);
    EventWatcher<GatewayRequest> w =
        new EventWatcher<>(
            client,
            source,
            () -> {},
            deployment.gateway().toString(),
            "Request",
            GatewayClient::parseRequest,
            cursor,
            new BlockSignal(),
            Duration.ofMillis(100),
            lag -> {});
    while (cursor.nextBlock() <= lastBlock) {
      w.step();
    }
    cursor.commits.keySet().removeIf(i -> i > lastBlock);
    return cursor.commits;
  }

  static List<GatewayRequest> all(Map<Long, List<GatewayRequest>> commits) {
    return commits.values().stream().flatMap(List::stream).toList();
  }

  /** A client of the node that counts its calls (for the figures printed below). */
  static NeoRpcClient counting(AtomicInteger calls) {
    RpcEndpoints one = RpcEndpoints.of(chain.node().rpcUrl());
    return new NeoRpcClient(
        one,
        new okhttp3.OkHttpClient.Builder()
            .addInterceptor(one.interceptor())
            .addInterceptor(
                c -> {
                  calls.incrementAndGet();
                  return c.proceed(c.request());
                })
            .build());
  }

  @Test
  void bothPathsCommitTheSameBlocksWithTheSameRequestsAndIgnoreTheFaultedTransaction() {
    AtomicInteger neoGoCalls = new AtomicInteger();
    AtomicInteger standardCalls = new AtomicInteger();
    NeoRpcClient neoGoClient = counting(neoGoCalls);
    NeoRpcClient standardClient = counting(standardCalls);
    var notifications = watch(neoGoClient, new NotificationSource.NeoGo(neoGoClient));
    var standard = watch(standardClient, new NotificationSource.Standard(standardClient));
    assertEquals(notifications, standard);

    // Figures for the docs: the whole chain so far (deployment, funding, requests), each way.
    neoGoCalls.set(0);
    standardCalls.set(0);
    long t0 = System.nanoTime();
    var allNeoGo = watch(neoGoClient, new NotificationSource.NeoGo(neoGoClient), 0);
    long t1 = System.nanoTime();
    var allStandard = watch(standardClient, new NotificationSource.Standard(standardClient), 0);
    long t2 = System.nanoTime();
    assertEquals(allNeoGo, allStandard);
    System.out.printf(
        "watcher paths over blocks 0..%d: notifications %d calls %d ms;"
            + " standard %d calls %d ms%n",
        lastBlock,
        neoGoCalls.get(),
        (t1 - t0) / 1_000_000,
        standardCalls.get(),
        (t2 - t1) / 1_000_000);

    List<GatewayRequest> requests = all(standard);
    assertEquals(4, requests.size(), requests.toString());
    assertTrue(requests.stream().noneMatch(r -> r.txHash().equalsIgnoreCase(faultedTx)));
    assertEquals(
        3,
        requests.stream().filter(r -> r.txHash().equalsIgnoreCase(manyTx)).count(),
        "one block, three requests");
    assertEquals(
        List.of(0L, 1L, 2L, 3L),
        requests.stream().map(r -> r.requestId() - requests.get(0).requestId()).toList(),
        "in execution order");
  }

  @Test
  void autoOnANodeWithoutTheExtensionDetectsItOnceAndReadsTheSame() {
    NeoRpcClient viaNeoCli = new NeoRpcClient("http://127.0.0.1:" + neoCli.getAddress().getPort());
    var auto = NotificationSource.of(NotificationSource.Mode.AUTO, viaNeoCli);
    int before = extensionCalls.get(); // other tests ask the proxy too
    assertEquals(watch(rpc, new NotificationSource.NeoGo(rpc)), watch(viaNeoCli, auto));
    assertEquals("standard", auto.way());
    assertEquals(before + 1, extensionCalls.get(), "asked once, then never again");
  }

  @Test
  void autoOnNeoGoKeepsTheExtension() {
    var auto = NotificationSource.of(NotificationSource.Mode.AUTO, rpc);
    assertEquals(watch(rpc, new NotificationSource.Standard(rpc)), watch(rpc, auto));
    assertEquals("notifications", auto.way());
  }

  @Test
  void notificationsModeOnANodeWithoutTheExtensionFailsWithTheNodesError() {
    NeoRpcClient viaNeoCli = new NeoRpcClient("http://127.0.0.1:" + neoCli.getAddress().getPort());
    var forced = NotificationSource.of(NotificationSource.Mode.NOTIFICATIONS, viaNeoCli);
    var e =
        assertThrows(
            ChainException.RpcError.class,
            () -> forced.blockNotifications(firstBlock, "0x" + deployment.gateway(), "Request"));
    assertEquals(NeoRpcClient.METHOD_NOT_FOUND, e.rpcCode());
  }

  @Test
  void failsOverFromAClosedPortToTheLiveNodeAndReadsTheSame() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RpcEndpoints endpoints =
        new RpcEndpoints(List.of("http://127.0.0.1:" + closed, chain.node().rpcUrl()));
    NeoRpcClient failover = new NeoRpcClient(endpoints);
    assertEquals(
        watch(rpc, new NotificationSource.NeoGo(rpc)),
        watch(failover, new NotificationSource.Standard(failover)));
    assertEquals(chain.node().rpcUrl(), endpoints.current());
    // neow3j's client fails over the same way (the service shares one RpcEndpoints).
    RpcEndpoints forNeow3j =
        new RpcEndpoints(List.of("http://127.0.0.1:" + closed, chain.node().rpcUrl()));
    NeoChain neo = new NeoChain(forNeow3j, Duration.ofSeconds(1));
    assertEquals(rpc.networkMagic(), neo.networkMagic());
    assertEquals(chain.node().rpcUrl(), forNeow3j.current());
  }

  @Test
  void whenEveryEndpointIsDeadTheCallFailsRetryablyNamingThemAll() throws Exception {
    int a;
    int b;
    try (ServerSocket s1 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket s2 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      a = s1.getLocalPort();
      b = s2.getLocalPort();
    }
    var dead =
        new NeoRpcClient(
            new RpcEndpoints(List.of("http://127.0.0.1:" + a, "http://127.0.0.1:" + b)));
    var e = assertThrows(ChainException.NodeUnreachable.class, dead::blockCount);
    assertTrue(e.getMessage().contains("any of [http://127.0.0.1:" + a), e.getMessage());
  }
}
