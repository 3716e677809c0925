package io.nsl.js.internal;

import io.nsl.js.FetchPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * {@code fetch} over OkHttp under a {@link FetchPolicy}: scheme and host checked before any
 * connection, redirects never followed, the response body read up to the cap and no further.
 *
 * <p>Threading: thread-safe; one instance (one connection pool) per engine.
 */
public final class HttpFetcher {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Set<String> BODYLESS = Set.of("GET", "HEAD");

  private final OkHttpClient base =
      new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();

  /** The policy forbids this call. */
  public static final class FetchDenied extends Exception {
    FetchDenied(String message) {
      super(message, null, false, false);
    }
  }

  /** The call was allowed but did not complete. */
  public static final class FetchFailed extends Exception {
    FetchFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** What the function sees. */
  public record Response(int status, Map<String, String> headers, String body) {}

  public Response fetch(
      FetchPolicy policy,
      String url,
      String method,
      Map<String, String> headers,
      byte[] body,
      long deadlineNanos)
      throws FetchDenied, FetchFailed {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new FetchDenied("fetch needs an absolute http(s) URL, got '" + url + "'");
    }
    if (!parsed.isHttps() && !policy.allowHttp()) {
      throw new FetchDenied(
          "fetch to " + parsed.host() + " uses http; only https is allowed " + "outside dev mode");
    }
    if (!policy.allows(parsed.host())) {
      throw new FetchDenied(
          "fetch to host '"
              + parsed.host()
              + "' is not allowed; allowed hosts: "
              + (policy.allowedHosts().isEmpty()
                  ? "none"
                  : String.join(", ", policy.allowedHosts())));
    }
    String m = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(m)) {
      throw new FetchDenied(
          "fetch method '" + method + "' is not supported; use one of " + METHODS);
    }
    if (body != null && body.length > policy.maxRequestBodyBytes()) {
      throw new FetchDenied(
          "fetch body is " + body.length + " bytes; the cap is " + policy.maxRequestBodyBytes());
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new FetchFailed("no time left before the execution deadline");
    }
    Duration timeout =
        policy.timeout().compareTo(Duration.ofNanos(remaining)) < 0
            ? policy.timeout()
            : Duration.ofNanos(remaining);
    OkHttpClient client =
        base.newBuilder().callTimeout(timeout.toMillis() + 1, TimeUnit.MILLISECONDS).build();

    Request.Builder rb = new Request.Builder().url(parsed);
    try {
      headers.forEach(rb::header);
    } catch (IllegalArgumentException e) {
      throw new FetchDenied("fetch header is invalid: " + e.getMessage());
    }
    RequestBody rbody = null;
    if (!BODYLESS.contains(m)) {
      rbody = RequestBody.create(body == null ? new byte[0] : body, (MediaType) null);
    }
    rb.method(m, rbody);
    try (okhttp3.Response resp = client.newCall(rb.build()).execute()) {
      Map<String, String> outHeaders = new LinkedHashMap<>();
      for (String name : resp.headers().names()) {
        outHeaders.put(name.toLowerCase(Locale.ROOT), String.join(", ", resp.headers(name)));
      }
      String text = "";
      ResponseBody rbResp = resp.body();
      if (rbResp != null) {
        BufferedSource src = rbResp.source();
        long cap = policy.maxResponseBytes();
        if (src.request(cap + 1)) {
          throw new FetchFailed(
              "the response from " + parsed.host() + " is larger than the " + cap + "-byte cap");
        }
        text = new String(src.getBuffer().readByteArray(), StandardCharsets.UTF_8);
      }
      return new Response(resp.code(), outHeaders, text);
    } catch (InterruptedIOException e) {
      throw new FetchFailed(
          "fetch to " + parsed.host() + " timed out after " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new FetchFailed("fetch to " + parsed.host() + " failed: " + e.getMessage());
    }
  }
}
