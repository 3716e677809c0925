package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console's files and the no-CORS rule, over raw sockets to a real server on loopback (so that
 * hostile paths reach the server exactly as written, unnormalised by a client).
 */
class ConsoleIT {
  @TempDir static Path dir;
  static ApiFixture fx;

  @BeforeAll
  static void start() {
    fx = new ApiFixture(dir, ApiLimits.defaults());
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String code() throws IOException {
      JsonNode j = ApiFixture.JSON.readTree(body);
      return j.path("error").path("code").asText(null);
    }
  }

  static Answer raw(String method, String target, String... headerLines) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    req.append("Host: 127.0.0.1:").append(fx.server.port()).append("\r\n");
    for (String h : headerLines) {
      req.append(h).append("\r\n");
    }
    req.append("\r\n");
    try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      in.transferTo(got);
      byte[] all = got.toByteArray();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(end > 0, "no complete answer: " + text);
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
      }
      return new Answer(
          Integer.parseInt(lines[0].split(" ")[1]),
          headers,
          Arrays.copyOfRange(all, end + 4, all.length));
    }
  }

  static void assertConsoleHeaders(Answer a) {
    assertEquals(ConsoleAssets.CONTENT_SECURITY_POLICY, a.headers().get("content-security-policy"));
    assertEquals("nosniff", a.headers().get("x-content-type-options"));
    assertEquals("no-referrer", a.headers().get("referrer-policy"));
    assertNull(a.headers().get("set-cookie"));
    assertNull(a.headers().get("access-control-allow-origin"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/console/../v1/secrets",
        "/console/assets/../../v1/functions",
        "/console/%2e%2e/v1/secrets",
        "/console/%2E%2E/%2E%2E/pom.xml",
        "/console/..%2f..%2fpom.xml",
        "/console/..%5c..%5cpom.xml",
        "/console/.git/config",
        "/console/assets//app-7QW2ZK4M.js"
      })
  void traversalIsRefusedWithTheConsoleHeaders(String target) throws IOException {
    Answer a = raw("GET", target);
    assertEquals(400, a.status(), a.text());
    assertEquals("BAD_PATH", a.code());
    assertConsoleHeaders(a);
  }

  @Test
  void aBackslashIsNotEvenHttp() throws IOException {
    Answer a = raw("GET", "/console/..\\..\\pom.xml");
    assertEquals(400, a.status());
    assertEquals("MALFORMED_REQUEST", a.code());
  }

  @Test
  void indexIsServedWithTheStrictPolicyAndRevalidated() throws IOException {
    Answer a = raw("GET", "/console/");
    assertEquals(200, a.status());
    assertConsoleHeaders(a);
    assertEquals("text/html; charset=utf-8", a.headers().get("content-type"));
    assertEquals("no-cache", a.headers().get("cache-control"));
    assertTrue(a.text().contains("NSL console (test fixture)"));
    assertNull(a.headers().get("content-encoding"), "not asked for gzip");
  }

  @Test
  void hashedAssetsAreImmutableAndGzippedWhenAccepted() throws IOException {
    Answer plain = raw("GET", "/console/assets/app-7QW2ZK4M.js");
    assertEquals(200, plain.status());
    assertEquals(ConsoleAssets.CACHE_IMMUTABLE, plain.headers().get("cache-control"));
    assertEquals("text/javascript; charset=utf-8", plain.headers().get("content-type"));
    Answer gz = raw("GET", "/console/assets/app-7QW2ZK4M.js", "Accept-Encoding: gzip, br");
    assertEquals("gzip", gz.headers().get("content-encoding"));
    assertEquals("Accept-Encoding", gz.headers().get("vary"));
    assertConsoleHeaders(gz);
    assertTrue(gz.body().length < plain.body().length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertEquals(plain.text(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void consoleWithoutSlashRedirects() throws IOException {
    Answer a = raw("GET", "/console");
    assertEquals(308, a.status());
    assertEquals("/console/", a.headers().get("location"));
    assertConsoleHeaders(a);
  }

  @Test
  void missingFilesAnswer404InJsonWithTheHeaders() throws IOException {
    Answer a = raw("GET", "/console/assets/nothing-here.js");
    assertEquals(404, a.status());
    assertEquals("NOT_FOUND", a.code());
    assertConsoleHeaders(a);
  }

  @Test
  void onlyGetAndHead() throws IOException {
    Answer post = raw("POST", "/console/", "Content-Length: 0");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.headers().get("allow"));
    Answer head = raw("HEAD", "/console/");
    assertEquals(200, head.status());
    assertEquals(0, head.body().length);
  }

  @Test
  void aPageOfAnotherOriginCannotUseTheApiWithTheUsersKey() {
    Dev dev = new Dev(fx.base());
    Dev.Answer own = dev.call("GET", "/v1/functions", null);
    assertEquals(200, own.status(), own.text());
    // The same signed request, as a browser sends it from another origin's page.
    Dev.Answer foreign = signedWith(dev, "Origin", "http://evil.example");
    assertEquals(403, foreign.status(), foreign.text());
    assertEquals("CROSS_ORIGIN_REFUSED", foreign.code());
    assertFalse(foreign.headers().containsKey("access-control-allow-origin"));
    Dev.Answer sameOrigin = signedWith(dev, "Origin", "http://127.0.0.1:" + fx.server.port());
    assertEquals(200, sameOrigin.status(), sameOrigin.text());
    Dev.Answer crossSite = signedWith(dev, "Sec-Fetch-Site", "cross-site");
    assertEquals("CROSS_ORIGIN_REFUSED", crossSite.code());
  }

  @Test
  void aLinkFromAnotherSiteOpensTheConsoleButAFetchFromItCannot() throws IOException {
    Answer link = raw("GET", "/console/", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate");
    assertEquals(200, link.status());
    Answer fetch =
        raw(
            "GET",
            "/console/",
            "Sec-Fetch-Site: cross-site",
            "Sec-Fetch-Mode: cors",
            "Origin: http://evil.example");
    assertEquals(403, fetch.status());
    assertConsoleHeaders(fetch);
  }

  @Test
  void aPreflightFromAnotherOriginIsRefusedWithoutCorsHeaders() throws IOException {
    Answer a =
        raw(
            "OPTIONS",
            "/v1/secrets",
            "Origin: http://evil.example",
            "Access-Control-Request-Method: POST",
            "Access-Control-Request-Headers: x-nsl-signature");
    assertEquals(403, a.status());
    assertEquals("CROSS_ORIGIN_REFUSED", a.code());
    assertTrue(
        a.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")),
        a.headers().toString());
  }

  private static Dev.Answer signedWith(Dev dev, String header, String value) {
    long ts = System.currentTimeMillis();
    String nonce = Dev.nonce();
    byte[] sig =
        io.neow3j.crypto.Sign.signMessage(
                ApiAuth.message("GET", "/v1/functions", ts, nonce, new byte[0]), dev.key)
            .getConcatenated();
    return dev.send(
        "GET",
        "/v1/functions",
        null,
        Map.of(
            ApiAuth.HEADER_PUBLIC_KEY,
            dev.key.getPublicKey().getEncodedCompressedHex(),
            ApiAuth.HEADER_TIMESTAMP,
            Long.toString(ts),
            ApiAuth.HEADER_NONCE,
            nonce,
            ApiAuth.HEADER_SIGNATURE,
            java.util.HexFormat.of().formatHex(sig),
            header,
            value));
  }
}
