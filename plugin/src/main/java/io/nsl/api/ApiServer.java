package io.nsl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.NslException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face: health, readiness and Prometheus metrics for operators, and the
 * developer API under {@code /v1} ({@link DeveloperApi}, docs/openapi.yaml). Runs on {@link
 * HttpFront} (one request per connection, a virtual thread each), not the JDK's server, so that
 * every answer is JSON (or Prometheus text), including to requests that are not well-formed HTTP
 * (MALFORMED_REQUEST, HEADERS_TOO_LARGE): a refusal is {@code
 * {"error":{"code","message"[,"details"]}}} with a stable code and the status {@link ErrorStatus}
 * gives it, never a stack trace or an HTML page.
 *
 * <p>Bounds: request bodies up to {@link ApiLimits#maxBodyBytes()} (larger: 413, without reading
 * them), {@link ApiLimits#requestTimeout()} to receive a request's head (and a connection is closed
 * after three times that), at most {@link ApiLimits#maxRequestHeaders()} headers and {@link
 * HttpFront#MAX_HEAD_BYTES} of head, and the rate limits of {@link ApiLimits}.
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

  private final HttpFront server;
  private final ObjectMapper json = new ObjectMapper();
  private final Supplier<String> metrics;
  private final Supplier<Readiness> readiness;
  private final DeveloperApi developer;
  private final ConsoleAssets console;

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
    this(bind, metrics, readiness, developer, ConsoleAssets.fromClassPath());
  }

  /**
   * @param console the web console's files, served at {@code /console/}
   */
  ApiServer(
      InetSocketAddress bind,
      Supplier<String> metrics,
      Supplier<Readiness> readiness,
      DeveloperApi developer,
      ConsoleAssets console) {
    this.metrics = metrics;
    this.readiness = readiness;
    this.developer = developer;
    this.console = console;
    ApiLimits limits = developer != null ? developer.limits() : ApiLimits.defaults();
    try {
      server =
          new HttpFront(
              bind,
              64,
              limits.requestTimeout(),
              limits.maxRequestHeaders(),
              new HttpFront.Handler() {
                @Override
                public void handle(HttpFront.Exchange ex) {
                  exchange(ex);
                }

                @Override
                public void refuse(HttpFront.Exchange ex, HttpFront.Malformed why)
                    throws IOException {
                  ErrorStatus code =
                      why.status == 431
                          ? ErrorStatus.HEADERS_TOO_LARGE
                          : ErrorStatus.MALFORMED_REQUEST;
                  send(ex, code.httpStatus(), error(code.name(), why.getMessage(), Map.of()));
                }
              });
    } catch (IOException e) {
      throw new ApiException.BindFailed(bind, e);
    }
  }

  private void exchange(HttpFront.Exchange ex) {
    ex.responseHeaders.put("X-Content-Type-Options", "nosniff");
    boolean consolePath = ex.rawPath.equals("/console") || ex.rawPath.startsWith("/console/");
    if (consolePath) {
      ex.responseHeaders.putAll(ConsoleAssets.securityHeaders());
    }
    try {
      try {
        SameOrigin.refusal(
                ex.header("Origin"),
                ex.header("Host"),
                ex.header("Sec-Fetch-Site"),
                ex.header("Sec-Fetch-Mode"))
            .ifPresent(
                why -> {
                  throw new ApiFailure(ErrorStatus.CROSS_ORIGIN_REFUSED, why);
                });
        if (consolePath) {
          serveConsole(ex);
          return;
        }
        route(ex);
      } catch (MethodNotAllowed e) {
        ex.responseHeaders.put("Allow", e.allow());
        send(ex, 405, error(e.code(), e.getMessage(), Map.of()));
      } catch (ApiFailure e) {
        if (e.details().containsKey("retryAfterSeconds")) {
          ex.responseHeaders.put(
              "Retry-After", String.valueOf(e.details().get("retryAfterSeconds")));
        }
        send(ex, e.status().httpStatus(), error(e.code(), e.getMessage(), e.details()));
      } catch (NslException e) {
        int status = ErrorStatus.httpStatusOf(e.code());
        if (status >= 500) {
          log.warn("{} {} failed: [{}] {}", ex.method, ex.rawPath, e.code(), e.getMessage());
        }
        send(ex, status, error(e.code(), e.getMessage(), Map.of()));
      }
    } catch (IOException e) {
      log.debug("HTTP exchange broke off: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("HTTP handler failed for {}", ex.rawPath, e);
      safeSend(
          ex, 500, error("INTERNAL", "internal error; the service log has the details", Map.of()));
    }
  }

  /**
   * {@code /console} redirects to {@code /console/}; {@code /console/NAME} is a file of {@link
   * ConsoleAssets}. GET and HEAD only; gzip when the client accepts it.
   */
  private void serveConsole(HttpFront.Exchange ex) throws IOException {
    if (!"GET".equals(ex.method) && !"HEAD".equals(ex.method)) {
      throw new MethodNotAllowed(ex.method, ex.rawPath, "GET", "HEAD");
    }
    readBody(ex, 0);
    if (ex.rawPath.equals("/console")) {
      ex.responseHeaders.put("Location", "/console/");
      ex.responseHeaders.put("Cache-Control", "no-cache");
      ex.send(308, new byte[0]);
      return;
    }
    ConsoleAssets.Asset a =
        console
            .find(ex.rawPath)
            .orElseThrow(
                () ->
                    new ApiFailure(
                        ErrorStatus.NOT_FOUND,
                        "the console has no file "
                            + ex.rawPath
                            + "; open /console/ (if that is missing too, this build has no"
                            + " console bundle: see docs/console.md)"));
    ex.responseHeaders.put("Content-Type", a.contentType());
    ex.responseHeaders.put("Cache-Control", a.cacheControl());
    ex.responseHeaders.put("Vary", "Accept-Encoding");
    byte[] gzip = a.gzip();
    if (gzip != null && acceptsGzip(ex.header("Accept-Encoding"))) {
      ex.responseHeaders.put("Content-Encoding", "gzip");
      ex.send(200, gzip);
    } else {
      ex.send(200, a.bytes());
    }
  }

  /** Whether an Accept-Encoding value lists gzip with a q above zero. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.strip().split(";");
      if (!p[0].strip().equalsIgnoreCase("gzip")) {
        continue;
      }
      for (int i = 1; i < p.length; i++) {
        String param = p[i].strip().toLowerCase(Locale.ROOT);
        if (param.startsWith("q=")) {
          try {
            return Double.parseDouble(param.substring(2)) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  private void route(HttpFront.Exchange ex) throws IOException {
    String path = ex.rawPath;
    String method = ex.method;
    if (path.equals("/v1") || path.startsWith("/v1/")) {
      if (developer == null) {
        throw DeveloperApi.notFound(path);
      }
      String remote = ex.remote.getAddress().getHostAddress();
      developer.checkAddress(remote);
      byte[] body = readBody(ex, developer.limits().maxBodyBytes());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.headers.forEach((k, v) -> headers.put(k, List.copyOf(v)));
      ApiResponse r =
          developer.handle(new ApiRequest(method, path, ex.rawQuery, headers, body, remote));
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
        ex.responseHeaders.put("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.send(200, text);
      }
    }
  }

  /** Reads the body, refusing more than {@code max} bytes without reading the rest. */
  private static byte[] readBody(HttpFront.Exchange ex, int max) throws IOException {
    String type = ex.header("Content-Type");
    String length = ex.header("Content-Length");
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
    try (InputStream in = ex.body()) {
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

  private void send(HttpFront.Exchange ex, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.responseHeaders.remove("Content-Encoding");
    ex.responseHeaders.remove("Vary");
    ex.responseHeaders.put("Content-Type", "application/json");
    ex.responseHeaders.put("Cache-Control", "no-store");
    ex.send(status, bytes);
  }

  private void safeSend(HttpFront.Exchange ex, int status, Object body) {
    if (ex.sent()) {
      return; // the answer went out; the client sees it, the log has the failure
    }
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
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
