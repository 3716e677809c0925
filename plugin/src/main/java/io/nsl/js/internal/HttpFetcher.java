package io.nsl.js.internal;

import io.nsl.js.FetchPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * {@code fetch} over OkHttp under a {@link FetchPolicy}: scheme and host checked before any
 * connection, redirects never followed, the response body read up to the cap and no further. Unless
 * the policy allows private addresses, an IP literal must be public and a name is resolved by
 * {@link #PUBLIC_ONLY}, which refuses it if any address is not: OkHttp connects to exactly the
 * addresses its {@code Dns} returned, so what was checked is what is reached. No proxy is used (a
 * JVM-wide proxy would resolve names itself and bypass the check).
 *
 * <p>Threading: thread-safe; one instance (one connection pool) per engine.
 */
public final class HttpFetcher {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Set<String> BODYLESS = Set.of("GET", "HEAD");

  private static final String NON_PUBLIC_HINT =
      " (loopback, private, link-local and reserved addresses are refused outside dev mode; an"
          + " operator can allow them with fetch.allowPrivateAddresses)";

  // One instance each, not one per call: OkHttp pools connections per Dns, so a connection made
  // under one rule is never reused under the other, and calls under the same rule share the pool.
  private static final Dns PUBLIC_ONLY =
      hostname -> {
        List<InetAddress> all = Dns.SYSTEM.lookup(hostname);
        for (InetAddress a : all) {
          if (!PublicAddresses.isPublic(a)) {
            throw new NonPublicAddress(
                "fetch to '"
                    + hostname
                    + "' is refused: it resolves to "
                    + a.getHostAddress()
                    + ", which is not a public address"
                    + NON_PUBLIC_HINT);
          }
        }
        return all;
      };

  private final OkHttpClient base =
      new OkHttpClient.Builder()
          .followRedirects(false)
          .followSslRedirects(false)
          .proxy(Proxy.NO_PROXY)
          .build();

  /** Raised inside OkHttp's name lookup; reported to the function as a denial, not a failure. */
  private static final class NonPublicAddress extends UnknownHostException {
    NonPublicAddress(String message) {
      super(message);
    }
  }

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
    if (PublicAddresses.isOddIpv4Spelling(parsed.host())) {
      throw new FetchDenied(
          "fetch to "
              + parsed.host()
              + " is refused: write an IPv4 address as four decimal numbers without leading zeros");
    }
    if (!policy.allowPrivateAddresses()) {
      InetAddress literal = ipLiteral(parsed.host());
      if (literal != null && !PublicAddresses.isPublic(literal)) {
        throw new FetchDenied(
            "fetch to "
                + parsed.host()
                + " is refused: "
                + literal.getHostAddress()
                + " is not a public address"
                + NON_PUBLIC_HINT);
      }
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
    OkHttpClient.Builder cb =
        base.newBuilder().callTimeout(timeout.toMillis() + 1, TimeUnit.MILLISECONDS);
    if (!policy.allowPrivateAddresses()) {
      cb.dns(PUBLIC_ONLY);
    }
    OkHttpClient client = cb.build();

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
      NonPublicAddress refused = nonPublic(e);
      if (refused != null) {
        throw new FetchDenied(refused.getMessage());
      }
      throw new FetchFailed("fetch to " + parsed.host() + " failed: " + e.getMessage());
    }
  }

  // HttpUrl gives IPv6 literals without brackets; ofLiteral parses literals only, never DNS.
  private static InetAddress ipLiteral(String host) {
    try {
      return InetAddress.ofLiteral(host);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // OkHttp may rethrow a lookup failure as is, as the cause, or suppressed under a later attempt.
  private static NonPublicAddress nonPublic(Throwable t) {
    for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
      if (t instanceof NonPublicAddress n) {
        return n;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof NonPublicAddress n) {
          return n;
        }
      }
    }
    return null;
  }
}
