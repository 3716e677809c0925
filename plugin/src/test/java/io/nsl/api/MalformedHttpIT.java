package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed HTTP sent with raw sockets to a real server on loopback: every answer is the JSON error
 * format, never the HTML page the JDK's server writes for requests it refuses itself.
 */
class MalformedHttpIT {
  static ApiServer server;

  @BeforeAll
  static void start() {
    server =
        new ApiServer(
            new InetSocketAddress("127.0.0.1", 0),
            () -> "# TYPE up gauge\nup 1\n",
            () -> new ApiServer.Readiness(true, Map.of()));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Status line, headers (lower-case names) and body of the one answer on a connection. */
  record Answer(int status, Map<String, String> headers, String body) {}

  static Answer send(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // the server may answer and close before all is written; read what it said
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        in.transferTo(got);
      } catch (IOException e) {
        // reset after the answer
      }
      String text = got.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(end > 0, "no complete answer: " + text);
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
  }

  static JsonNode jsonError(Answer a) throws IOException {
    assertEquals("application/json", a.headers().get("content-type"), a.toString());
    JsonNode n = new ObjectMapper().readTree(a.body());
    assertTrue(n.path("error").path("code").isTextual(), a.body());
    assertTrue(n.path("error").path("message").isTextual(), a.body());
    return n.path("error");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "percent escape %ZZ in path  | GET /v1/%ZZ HTTP/1.1\\nHost: x\\n\\n                                      | 400 | MALFORMED_REQUEST",
        "Content-Length not a number | POST /v1/secrets HTTP/1.1\\nHost: x\\nContent-Length: abc\\n\\n            | 400 | MALFORMED_REQUEST",
        "negative Content-Length     | POST /v1/secrets HTTP/1.1\\nHost: x\\nContent-Length: -1\\n\\n             | 400 | MALFORMED_REQUEST",
        "two Content-Lengths         | POST /health HTTP/1.1\\nHost: x\\nContent-Length: 1\\nContent-Length: 2\\n\\nx | 400 | MALFORMED_REQUEST",
        "Content-Length and chunked  | POST /health HTTP/1.1\\nHost: x\\nContent-Length: 1\\nTransfer-Encoding: chunked\\n\\n | 400 | MALFORMED_REQUEST",
        "unknown Transfer-Encoding   | POST /health HTTP/1.1\\nHost: x\\nTransfer-Encoding: gzip\\n\\n          | 400 | MALFORMED_REQUEST",
        "request line of one word    | GARBAGE\\n\\n                                                              | 400 | MALFORMED_REQUEST",
        "space in a header name      | GET /health HTTP/1.1\\nHost: x\\nBad Header: y\\n\\n                      | 400 | MALFORMED_REQUEST",
        "unknown HTTP version        | GET /health HTTP/9.9\\nHost: x\\n\\n                                     | 400 | MALFORMED_REQUEST",
        "asterisk target             | OPTIONS * HTTP/1.1\\nHost: x\\n\\n                                       | 404 | NOT_FOUND",
      })
  void malformedRequestGetsAJsonError(String what, String request, int status, String code)
      throws IOException {
    // Before: the JDK server answered each of these (except the unknown version) itself, with
    // Content-Type text/html and a body like <h1>400 Bad Request</h1>URISyntaxException thrown.
    Answer a = send(request.strip().replace("\\n", "\r\n"));
    assertEquals(status, a.status(), what + ": " + a);
    assertEquals(code, jsonError(a).path("code").asText(), what + ": " + a);
  }

  @Test
  void tooManyHeadersGetAJsonError() throws IOException {
    StringBuilder r = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 300; i++) {
      r.append("X-H").append(i).append(": v\r\n");
    }
    Answer a = send(r.append("\r\n").toString());
    assertEquals(431, a.status(), a.toString());
    assertEquals("HEADERS_TOO_LARGE", jsonError(a).path("code").asText());
  }

  @Test
  void wellFormedRequestsStillWork() throws IOException {
    Answer a = send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(200, a.status(), a.toString());
    assertEquals("{\"status\":\"up\"}", a.body());
    Answer chunked =
        send("GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertEquals(200, chunked.status(), chunked.toString());
    Answer v10 = send("GET /metrics HTTP/1.0\r\n\r\n");
    assertEquals(200, v10.status(), v10.toString());
    assertEquals("up 1", v10.body().lines().reduce((x, y) -> y).orElseThrow());
  }

  @Test
  void idleConnectionsBeyondTheCapAreClosedAndTheServerStillAnswers() throws Exception {
    java.util.List<Socket> idle = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < HttpFront.MAX_OPEN_CONNECTIONS; i++) {
        idle.add(new Socket("127.0.0.1", server.port()));
      }
      // One more, with a whole request: accepted by the kernel, then closed by the server
      // without an answer (served, it would answer 200 at once).
      try (Socket extra = new Socket("127.0.0.1", server.port())) {
        extra.setSoTimeout(10_000);
        int first;
        try {
          extra
              .getOutputStream()
              .write(
                  "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          first = extra.getInputStream().read();
        } catch (IOException reset) {
          first = -1;
        }
        assertEquals(-1, first, "a connection over the cap must be closed, not served");
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    // The held slots come back as their connections close.
    Answer ok = null;
    for (int attempt = 0; attempt < 50 && (ok == null || ok.status() != 200); attempt++) {
      try {
        ok = send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      } catch (AssertionError | IOException notYet) {
        Thread.sleep(100);
      }
    }
    assertEquals(200, ok == null ? -1 : ok.status());
  }
}
