package io.nsl.chain;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC addresses of the nodes the service may use, in order of preference, and which one is
 * in use. Fail-over is sticky: a call goes to the current endpoint; when it cannot be reached (a
 * refused connection, a timeout: any transport failure) the next one in the list becomes current,
 * the switch is logged once, and the same call is tried there. When every endpoint failed in one
 * round, the call fails with {@link ChainException.NodeUnreachable} and the caller's loop backs off
 * ({@link Backoff}) before its next call, which starts at the endpoint then current. An RPC error
 * is an answer, not a failure: it never causes a switch.
 *
 * <p>Thread-safe. Share one instance between the clients that talk to the same nodes, so they all
 * move together.
 */
public final class RpcEndpoints {
  private static final Logger log = LoggerFactory.getLogger(RpcEndpoints.class);
  private final List<HttpUrl> urls;
  private final List<String> given; // as configured, for logs and messages
  private int current; // guarded by this

  /**
   * @param urls at least one {@code http://} or {@code https://} address; duplicates are dropped
   * @throws IllegalArgumentException naming the address that is not an http(s) URL
   */
  public RpcEndpoints(List<String> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no RPC address given: list at least one node's URL");
    }
    LinkedHashMap<HttpUrl, String> parsed = new LinkedHashMap<>();
    for (String u : urls) {
      HttpUrl url = HttpUrl.parse(u);
      if (url == null) {
        throw new IllegalArgumentException(
            "RPC address '" + u + "' is not an http:// or https:// URL");
      }
      parsed.putIfAbsent(url, u);
    }
    this.urls = List.copyOf(parsed.keySet());
    this.given = List.copyOf(parsed.values());
  }

  /** A single endpoint: no fail-over. */
  public static RpcEndpoints of(String url) {
    return new RpcEndpoints(List.of(url));
  }

  /** The endpoint calls go to now. */
  public synchronized String current() {
    return given.get(current);
  }

  /** Every endpoint, in order of preference. */
  public List<String> all() {
    return given;
  }

  public int size() {
    return urls.size();
  }

  synchronized HttpUrl currentUrl() {
    return urls.get(current);
  }

  /**
   * Records that {@code failed} did not answer: when it is still the current endpoint, the next one
   * becomes current (logged). A failure of an endpoint that another caller already moved away from
   * changes nothing.
   */
  synchronized void failed(HttpUrl failed, IOException cause) {
    if (urls.size() == 1 || !urls.get(current).equals(failed)) {
      return;
    }
    String from = given.get(current);
    current = (current + 1) % urls.size();
    log.warn(
        "RPC endpoint {} did not answer ({}: {}); switching to {}",
        from,
        cause.getClass().getSimpleName(),
        cause.getMessage(),
        given.get(current));
  }

  /**
   * Moves away from the current endpoint although it answers, because it is unfit ({@code why},
   * e.g. it serves another chain); logged. No-op with a single endpoint.
   */
  public synchronized void passOver(String why) {
    if (urls.size() == 1) {
      return;
    }
    String from = given.get(current);
    current = (current + 1) % urls.size();
    log.warn("passing over RPC endpoint {} ({}); switching to {}", from, why, given.get(current));
  }

  /** Where failures are reported: the current endpoint, or all of them when there are several. */
  String describe() {
    return urls.size() == 1 ? given.get(0) : "any of " + given;
  }

  /**
   * An OkHttp application interceptor that sends each call to the current endpoint (whatever URL
   * the caller built it for) and fails over on a transport failure, at most once per endpoint.
   */
  public Interceptor interceptor() {
    return chain -> {
      IOException last = null;
      for (int attempt = 0; attempt < urls.size(); attempt++) {
        HttpUrl url = currentUrl();
        try {
          return chain.proceed(chain.request().newBuilder().url(url).build());
        } catch (IOException e) {
          last = e;
          failed(url, e);
        }
      }
      throw last;
    };
  }
}
