package io.nsl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face: health, readiness and Prometheus metrics for operators. Runs on the
 * JDK's HTTP server with one virtual thread per exchange. Every answer is JSON (or Prometheus
 * text); an unknown path or method gets a JSON error with a stable code, never a stack trace.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** What readiness reports: ready or not, and why, with details for humans. */
  public record Readiness(boolean ready, Map<String, Object> details) {
    public Readiness {
      details = Map.copyOf(details);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param bind address and port (port 0 picks a free one)
   * @param metrics renders the Prometheus text
   * @param readiness computes readiness on each call
   */
  public ApiServer(
      InetSocketAddress bind, Supplier<String> metrics, Supplier<Readiness> readiness) {
    try {
      server = HttpServer.create(bind, 64);
    } catch (IOException e) {
      throw new ApiException.BindFailed(bind, e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            route(exchange, metrics, readiness);
          } catch (RuntimeException e) {
            log.error("HTTP handler failed for {}", exchange.getRequestURI().getPath(), e);
            safeSend(exchange, 500, error("INTERNAL", "internal error; see the service log"));
          }
        });
  }

  private void route(
      HttpExchange ex, Supplier<String> metrics, Supplier<Readiness> readiness) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, error("METHOD_NOT_ALLOWED", ex.getRequestMethod() + " is not allowed on " + path + "; use GET"));
      return;
    }
    switch (path) {
      case "/health" -> send(ex, 200, Map.of("status", "up"));
      case "/ready" -> {
        Readiness r = readiness.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", r.ready());
        body.putAll(r.details());
        send(ex, r.ready() ? 200 : 503, body);
      }
      case "/metrics" -> {
        byte[] text = metrics.get().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, text.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(text);
        }
      }
      default -> send(ex, 404, error("NOT_FOUND", "no endpoint at " + path + "; see docs/api.md"));
    }
  }

  private static Map<String, Object> error(String code, String message) {
    return Map.of("error", Map.of("code", code, "message", message));
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void safeSend(HttpExchange ex, int status, Object body) {
    try {
      send(ex, status, body);
    } catch (IOException | RuntimeException ignored) {
      // headers may already be sent; the client sees a broken response, the log has the cause
    }
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
