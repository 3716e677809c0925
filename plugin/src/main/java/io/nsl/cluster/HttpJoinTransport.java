package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link JoinTransport} over HTTP to a provider's {@link JoinServer}. The channel needs no TLS for
 * confidentiality or integrity (the keys are wrapped to an attested key and every answer is bound
 * to an attested transcript); run it on the operator's network anyway.
 */
public final class HttpJoinTransport implements JoinTransport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param providerUrl the provider's join base URL, e.g. {@code http://10.0.0.5:8788}; the path
   *     {@value JoinServer#PATH} is added when missing
   */
  public HttpJoinTransport(String providerUrl, Duration timeout) {
    Objects.requireNonNull(providerUrl, "providerUrl");
    String u =
        providerUrl.endsWith(JoinServer.PATH) ? providerUrl : strip(providerUrl) + JoinServer.PATH;
    try {
      this.endpoint = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--join must be a URL like http://host:port, got '" + providerUrl + "'");
    }
    if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "--join must be an http(s) URL, got '" + providerUrl + "'");
    }
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  private static String strip(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public JoinResponse exchange(JoinRequest request) {
    HttpResponse<byte[]> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(request.toJson()))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new JoinRefusedException(
          JoinRefusal.JOIN_PROVIDER_UNREACHABLE,
          "cannot reach the provider at "
              + endpoint
              + ": "
              + e.getMessage()
              + "; check the URL and that it runs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JoinRefusedException(
          JoinRefusal.JOIN_PROVIDER_UNREACHABLE, "interrupted while joining through " + endpoint);
    }
    if (r.statusCode() == 200) {
      return JoinResponse.fromJson(r.body());
    }
    JsonNode err;
    try {
      err = JSON.readTree(r.body()).path("error");
    } catch (IOException e) {
      err = null;
    }
    String code = err == null ? "" : err.path("code").asText("");
    String message = err == null ? "" : err.path("message").asText("");
    JoinRefusal why;
    try {
      why = JoinRefusal.valueOf(code);
    } catch (IllegalArgumentException e) {
      why = JoinRefusal.JOIN_PROVIDER_UNREACHABLE;
      message = "HTTP " + r.statusCode() + " " + code + " " + message;
    }
    throw new JoinRefusedException(why, "the provider refused: " + message);
  }
}
