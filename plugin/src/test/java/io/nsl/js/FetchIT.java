package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code fetch} end to end: a function calls a real HTTP server on loopback through OkHttp, under a
 * {@link FetchPolicy} (dev mode, since the server speaks plain http). The server records what it
 * received, so the test checks what went over the wire, not what the function reports.
 */
class FetchIT {
  private static final String SECRET = "tok-9f2c7d1e";

  record Seen(String method, String path, String apiKey, String contentType, String body) {}

  static HttpServer server;
  static JavaScriptEngine engine;
  static String base;
  static final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/echo", FetchIT::echo);
    server.createContext("/big", ex -> reply(ex, 200, "x".repeat(4096)));
    server.createContext(
        "/redirect",
        ex -> {
          ex.getResponseHeaders().add("Location", "http://example.invalid/elsewhere");
          reply(ex, 302, "");
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    engine =
        JavaScriptEngine.start(
            EngineConfig.defaults()
                .withLimits(ExecutionLimits.defaults().withTimeout(Duration.ofSeconds(5))));
  }

  @AfterAll
  static void stop() {
    engine.close();
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    seen.clear();
  }

  private static void echo(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(
        new Seen(
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            ex.getRequestHeaders().getFirst("X-Api-Key"),
            ex.getRequestHeaders().getFirst("Content-Type"),
            body));
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("X-Served-By", "loopback");
    reply(
        ex, 201, "{\"method\":\"" + ex.getRequestMethod() + "\",\"length\":" + body.length() + "}");
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private static ExecutionResult run(String code, FetchPolicy policy) {
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(64 * 1024),
            new MapSecretsView(Map.of("apiKey", SECRET)),
            b -> java.util.Arrays.fill(b, (byte) 1),
            policy);
    return engine.execute(Requests.of(code, "{\"base\":\"" + base + "\"}", Requests.GAS, host));
  }

  private static FetchPolicy devLoopback() {
    return FetchPolicy.allowing(Set.of("127.0.0.1"), true);
  }

  @Test
  void sendsMethodHeadersAndBodyAndReturnsTheResponse() {
    ExecutionResult r =
        run(
            """
        async function main(i) {
          const res = await fetch(i.base + '/echo?q=1', {method: 'POST',
            headers: {'X-Api-Key': getSecret('apiKey'), 'Content-Type': 'text/plain'},
            body: 'hello loopback'});
          log('sent with', getSecret('apiKey'));
          const j = await res.json();
          return [res.status, res.ok, res.headers['x-served-by'], j];
        }""",
            devLoopback());

    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals(
        "[201,true,\"loopback\",{\"method\":\"POST\",\"length\":14}]", r.resultJsonString());
    assertEquals(
        List.of(new Seen("POST", "/echo?q=1", SECRET, "text/plain", "hello loopback")), seen);
    assertEquals(
        List.of("sent with [REDACTED]"), r.logs(), "the secret in a header is scrubbed from logs");
    assertTrue(
        r.gasUsed() > GasTable.EXECUTION_BASE + GasTable.FETCH, "fetch is charged: " + r.gasUsed());
  }

  @Test
  void anyMethodGoesThrough() {
    ExecutionResult r =
        run(
            """
        async function main(i) {
          const out = [];
          for (const m of ['GET', 'PUT', 'DELETE', 'PATCH']) {
            out.push((await (await fetch(i.base + '/echo', {method: m})).json()).method);
          }
          return out;
        }""",
            devLoopback());

    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("[\"GET\",\"PUT\",\"DELETE\",\"PATCH\"]", r.resultJsonString());
    assertEquals(
        List.of("GET", "PUT", "DELETE", "PATCH"), seen.stream().map(Seen::method).toList());
  }

  @Test
  void aHostOffTheAllowlistIsForbiddenAndNeverContacted() {
    ExecutionResult r =
        run(
            "async function main(i) { return (await fetch(i.base.replace('127.0.0.1', 'localhost') + '/echo')).status }",
            devLoopback());

    assertEquals(ErrorKind.FORBIDDEN, r.status(), r.errorMessage());
    assertTrue(r.errorMessage().contains("'localhost' is not allowed"), r.errorMessage());
    assertTrue(seen.isEmpty(), "the server was contacted: " + seen);
  }

  // http (the loopback server has no TLS) but public addresses only, as in production.
  private static FetchPolicy publicOnly(String... hosts) {
    return new FetchPolicy(
        Set.of(hosts), true, false, 20, 1024, 1024 * 1024, Duration.ofSeconds(2));
  }

  @Test
  void anAllowlistedNameThatResolvesToLoopbackIsForbiddenAndNeverContacted() {
    // DNS decides where a name points: an allowlisted name that resolves (or is later rebound) to a
    // private address must not let a function reach the operator's own network.
    ExecutionResult r =
        run(
            "async function main(i) { return (await fetch(i.base.replace('127.0.0.1', 'localhost') + '/echo')).status }",
            publicOnly("localhost"));

    assertEquals(ErrorKind.FORBIDDEN, r.status(), r.errorMessage());
    assertTrue(
        r.errorMessage().contains("'localhost' is refused: it resolves to 127.0.0.1"),
        r.errorMessage());
    assertTrue(r.errorMessage().contains("not a public address"), r.errorMessage());
    assertTrue(seen.isEmpty(), "the server was contacted: " + seen);
  }

  @Test
  void allowlistedPrivateAddressLiteralsAreForbiddenAndNeverContacted() {
    ExecutionResult r =
        run(
            """
        async function main(i) {
          const port = i.base.split(':')[2];
          const urls = ['http://127.0.0.1:' + port + '/echo', 'http://[::1]:' + port + '/echo',
            'http://0.0.0.0:' + port + '/echo', 'http://169.254.169.254/latest/meta-data/',
            'http://10.0.0.1/', 'http://[::ffff:127.0.0.1]:' + port + '/echo',
            // The old BSD spellings of 127.0.0.1, which OkHttp hands to the JDK as literals.
            'http://2130706433:' + port + '/echo', 'http://127.1:' + port + '/echo',
            'http://0177.0.0.1:' + port + '/echo'];
          const out = [];
          for (const u of urls) {
            try { await fetch(u); out.push('reached ' + u) }
            catch (e) { out.push(e.kind === 'FORBIDDEN' && /not a public address|four decimal/.test(e.message) ? 'refused' : e.kind + ': ' + e.message) }
          }
          return out;
        }""",
            publicOnly(
                "127.0.0.1",
                "::1",
                "0.0.0.0",
                "169.254.169.254",
                "10.0.0.1",
                "2130706433",
                "127.1",
                "0177.0.0.1"));

    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals(
        "[\"refused\",\"refused\",\"refused\",\"refused\",\"refused\",\"refused\","
            + "\"refused\",\"refused\",\"refused\"]",
        r.resultJsonString());
    assertTrue(seen.isEmpty(), "the server was contacted: " + seen);
  }

  @Test
  void plainHttpIsForbiddenOutsideDevMode() {
    ExecutionResult r =
        run(
            "async function main(i) { return (await fetch(i.base + '/echo')).status }",
            FetchPolicy.allowing(Set.of("127.0.0.1"), false));

    assertEquals(ErrorKind.FORBIDDEN, r.status(), r.errorMessage());
    assertTrue(seen.isEmpty(), "the server was contacted: " + seen);
  }

  @Test
  void callsPastTheCapAreForbidden() {
    ExecutionResult r =
        run(
            """
        async function main(i) {
          for (let k = 0; k < 10; k++) await fetch(i.base + '/echo');
          return 'unreachable';
        }""",
            new FetchPolicy(Set.of("127.0.0.1"), true, true, 3, 1024, 1024, Duration.ofSeconds(2)));

    assertEquals(ErrorKind.FORBIDDEN, r.status(), r.errorMessage());
    assertEquals(3, seen.size(), "exactly the allowed calls reached the server");
  }

  @Test
  void aRequestBodyOverTheCapIsForbiddenBeforeSending() {
    ExecutionResult r =
        run(
            "async function main(i) { return (await fetch(i.base + '/echo', {method: 'POST', body: 'y'.repeat(2000)})).status }",
            new FetchPolicy(Set.of("127.0.0.1"), true, true, 5, 1024, 1024, Duration.ofSeconds(2)));

    assertEquals(ErrorKind.FORBIDDEN, r.status(), r.errorMessage());
    assertTrue(seen.isEmpty(), "the server was contacted: " + seen);
  }

  @Test
  void aResponseOverTheCapIsAnHttpError() {
    ExecutionResult r =
        run(
            "async function main(i) { return (await fetch(i.base + '/big')).status }",
            new FetchPolicy(Set.of("127.0.0.1"), true, true, 5, 1024, 1024, Duration.ofSeconds(2)));

    assertEquals(ErrorKind.HTTP_ERROR, r.status(), r.errorMessage());
    assertTrue(r.errorMessage().contains("1024-byte cap"), r.errorMessage());
  }

  @Test
  void redirectsAreReturnedNotFollowed() {
    ExecutionResult r =
        run(
            "async function main(i) { const res = await fetch(i.base + '/redirect'); return [res.status, res.ok, res.headers.location] }",
            devLoopback());

    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("[302,false,\"http://example.invalid/elsewhere\"]", r.resultJsonString());
  }

  @Test
  void aFunctionCanCatchAFetchDenialAndCarryOn() {
    ExecutionResult r =
        run(
            """
        async function main(i) {
          try { await fetch('http://10.0.0.1/'); } catch (e) { return [e.kind, e instanceof Error] }
        }""",
            devLoopback());

    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    assertEquals("[\"FORBIDDEN\",true]", r.resultJsonString());
    assertFalse(r.logs().stream().anyMatch(l -> l.contains(SECRET)));
  }
}
