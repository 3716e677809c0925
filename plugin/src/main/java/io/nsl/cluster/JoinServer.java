package io.nsl.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join endpoint, {@code POST /cluster/v1/join}, on its own port on the operator's network (not
 * the developer API). Bodies are JSON ({@link JoinRequest}, {@link JoinResponse}); a refusal is
 * HTTP 403 (400 for a malformed request) with {@code {"error":{"code","message"}}}. Nothing in an
 * answer is secret in clear: the keys travel wrapped to the newcomer's attested ephemeral key.
 *
 * <p>The same port serves the operator's rotation operations ({@link RotationAdmin},
 * token-protected) once the service has opened its store ({@link #serveAdmin}).
 */
public final class JoinServer implements AutoCloseable {
  /** The join path. */
  public static final String PATH = "/cluster/v1/join";

  private static final Logger log = LoggerFactory.getLogger(JoinServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 256 * 1024;

  /** The operator's rotation operations (docs/cluster.md, "Rotation"), token-protected. */
  public static final String ROTATE_PATH = "/cluster/v1/rotate";

  public static final String RETIRE_PATH = "/cluster/v1/retire";
  public static final String ROTATION_PATH = "/cluster/v1/rotation";

  private final HttpServer server;
  private final ExecutorService executor;
  private volatile RotationAdmin admin;

  /**
   * Binds {@code address} (port 0 picks a free one) and starts answering.
   *
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public JoinServer(InetSocketAddress address, JoinProvider provider) {
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot bind the join endpoint on " + address, e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext(PATH, ex -> handle(ex, provider));
    for (String p : new String[] {ROTATE_PATH, RETIRE_PATH, ROTATION_PATH}) {
      server.createContext(p, this::handleAdmin);
    }
    server.start();
    log.info("cluster join endpoint on {}{}", server.getAddress(), PATH);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange ex, JoinProvider provider) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
        send(ex, 404, error("NOT_FOUND", "POST " + PATH + " is the only join operation"));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        send(ex, 413, error("JOIN_MALFORMED", "a join request is at most " + MAX_BODY + " bytes"));
        return;
      }
      try {
        send(ex, 200, provider.handle(JoinRequest.fromJson(body)).toJson());
      } catch (JoinRefusedException e) {
        int status = e.refusal() == JoinRefusal.JOIN_MALFORMED ? 400 : 403;
        send(ex, status, error(e.code(), e.getMessage()));
      } catch (RuntimeException e) {
        log.error("join endpoint failed", e);
        send(ex, 500, error("INTERNAL", "the provider failed: " + e.getClass().getSimpleName()));
      }
    }
  }

  /**
   * Serves the rotation operations from now on: each request must carry {@code Authorization:
   * Bearer <token hex>}. Before this is called they answer 503.
   */
  public void serveAdmin(RotationAdmin admin) {
    this.admin = admin;
  }

  private void handleAdmin(HttpExchange ex) throws IOException {
    try (ex) {
      RotationAdmin a = admin;
      if (a == null) {
        send(
            ex,
            503,
            error("ROTATION_UNAVAILABLE", "the service has not opened its store yet; try again"));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(4097);
      }
      RotationAdmin.Answer answer =
          a.handle(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Authorization"),
              body);
      send(ex, answer.status(), answer.body());
    }
  }

  static byte[] error(String code, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("error").put("code", code).put("message", message);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
