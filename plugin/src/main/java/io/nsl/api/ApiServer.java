package io.nsl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nsl.NslException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face: health, readiness and Prometheus metrics for operators, and the
 * developer API under {@code /v1} ({@link DeveloperApi}, docs/openapi.yaml). Runs on the JDK's HTTP
 * server with one virtual thread per exchange. Every answer is JSON (or Prometheus text); a refusal
 * is {@code {"error":{"code","message"[,"details"]}}} with a stable code and the status {@link
 * ErrorStatus} gives it, never a stack trace.
 *
 * <p>Bounds: request bodies up to {@link ApiLimits#maxBodyBytes()} (larger: 413, without reading
 * them), {@link ApiLimits#requestTimeout()} to receive a request and again to send an answer, at
 * most {@link ApiLimits#maxRequestHeaders()} headers, and the rate limits of {@link ApiLimits}. The
 * two HTTP-level bounds are the JDK server's {@code sun.net.httpserver.maxReqTime}, {@code
 * maxRspTime} and {@code maxReqHeaders} system properties: process-wide, read once when the first
 * server starts. They are set here from the limits unless already set (a {@code -D} on the command
 * line wins); a mismatch with what the JDK already uses is logged, not hidden.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final int OPERATOR_MAX_BODY = 64 * 1024;

  /** What readiness reports: ready or not, and why, with details for humans. */
  public record Readiness(boolean ready, Map<String, Object> details) {
    public Readiness {
      details = Map.copyOf(details);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ObjectMapper json = new ObjectMapper();
  private final Supplier<String> metrics;
  private final Supplier<Readiness> readiness;
  private final DeveloperApi developer;

  /** Operator endpoints only (no developer API: /v1 answers 404). */
  public ApiServer(
      InetSocketAddress bind, Supplier<String> metrics, Supplier<Readiness> readiness) {
    this(bind, metrics, readiness, null);
  }

  /**
   * @param bind address and port (port 0 picks a free one)
   * @param metrics renders the Prometheus text
   * @param readiness computes readiness on each call
   * @param developer the developer API, or null for none
   */
  public ApiServer(
      InetSocketAddress bind,
      Supplier<String> metrics,
      Supplier<Readiness> readiness,
      DeveloperApi developer) {
    this.metrics = metrics;
    this.readiness = readiness;
    this.developer = developer;
    ApiLimits limits = developer != null ? developer.limits() : ApiLimits.defaults();
    String seconds = Long.toString(limits.requestTimeout().getSeconds());
    setDefault("sun.net.httpserver.maxReqTime", seconds);
    setDefault("sun.net.httpserver.maxRspTime", seconds);
    setDefault("sun.net.httpserver.maxReqHeaders", Integer.toString(limits.maxRequestHeaders()));
    try {
      server = HttpServer.create(bind, 64);
    } catch (IOException e) {
      throw new ApiException.BindFailed(bind, e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
  }

  private static void setDefault(String property, String value) {
    String set = System.getProperty(property);
    if (set == null) {
      System.setProperty(property, value);
    } else if (!set.equals(value)) {
      log.warn(
          "{} is {} (set on the command line or by an earlier server in this process), not the"
              + " configured {}; the JDK reads it once, so {} applies",
          property,
          set,
          value,
          set);
    }
  }

  private void exchange(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (MethodNotAllowed e) {
        ex.getResponseHeaders().set("Allow", e.allow());
        send(ex, 405, error(e.code(), e.getMessage(), Map.of()));
      } catch (ApiFailure e) {
        if (e.details().containsKey("retryAfterSeconds")) {
          ex.getResponseHeaders()
              .set("Retry-After", String.valueOf(e.details().get("retryAfterSeconds")));
        }
        send(ex, e.status().httpStatus(), error(e.code(), e.getMessage(), e.details()));
      } catch (NslException e) {
        int status = ErrorStatus.httpStatusOf(e.code());
        if (status >= 500) {
          log.warn(
              "{} {} failed: [{}] {}",
              ex.getRequestMethod(),
              ex.getRequestURI().getRawPath(),
              e.code(),
              e.getMessage());
        }
        send(ex, status, error(e.code(), e.getMessage(), Map.of()));
      }
    } catch (IOException e) {
      log.debug("HTTP exchange broke off: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("HTTP handler failed for {}", ex.getRequestURI().getRawPath(), e);
      safeSend(
          ex, 500, error("INTERNAL", "internal error; the service log has the details", Map.of()));
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    if (path.equals("/v1") || path.startsWith("/v1/")) {
      if (developer == null) {
        throw DeveloperApi.notFound(path);
      }
      String remote = ex.getRemoteAddress().getAddress().getHostAddress();
      developer.checkAddress(remote);
      byte[] body = readBody(ex, developer.limits().maxBodyBytes());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      ApiResponse r =
          developer.handle(
              new ApiRequest(
                  method, path, ex.getRequestURI().getRawQuery(), headers, body, remote));
      send(ex, r.status(), r.body());
      return;
    }
    switch (path) {
      case "/health", "/ready", "/metrics" -> {
        if (!"GET".equals(method)) {
          throw new MethodNotAllowed(method, path, "GET");
        }
        readBody(ex, OPERATOR_MAX_BODY);
      }
      default -> throw DeveloperApi.notFound(path);
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
      default -> {
        byte[] text = metrics.get().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, text.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(text);
        }
      }
    }
  }

  /** Reads the body, refusing more than {@code max} bytes without reading the rest. */
  private static byte[] readBody(HttpExchange ex, int max) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new ApiFailure(
            ErrorStatus.BAD_JSON, "Content-Length '" + length + "' is not a number");
      }
      if (declared > max) {
        throw tooLarge(declared + " bytes", max);
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(max + 1);
    }
    if (body.length > max) {
      throw tooLarge("more than " + max + " bytes", max);
    }
    if (body.length > 0
        && type != null
        && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiFailure(
          ErrorStatus.UNSUPPORTED_MEDIA_TYPE,
          "the body must be JSON (Content-Type: application/json), got '" + type + "'");
    }
    return body;
  }

  private static ApiFailure tooLarge(String what, int max) {
    return new ApiFailure(
        ErrorStatus.BODY_TOO_LARGE,
        "the request body has "
            + what
            + "; the limit is "
            + max
            + " bytes (a function's code may"
            + " have at most 256 KiB)");
  }

  private static Map<String, Object> error(
      String code, String message, Map<String, Object> details) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    if (!details.isEmpty()) {
      e.put("details", details);
    }
    return Map.of("error", e);
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
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
