package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.nsl.api.ApiAuth;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The CLI's HTTP client for the NSL API: JSON in and out, requests signed with the developer's Neo
 * key as {@link ApiAuth} describes. Not thread-safe (one command at a time).
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A raw answer. */
  record Response(int status, byte[] body, String contentType) {}

  private final String base;
  private final ECKeyPair key;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key the developer's key, or null for unsigned requests only
   */
  ApiClient(String baseUrl, ECKeyPair key, Clock clock) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
    this.clock = clock;
  }

  String baseUrl() {
    return base;
  }

  /** GET without a signature; a JSON error answer becomes an {@link ApiCallException}. */
  JsonNode getPublic(String pathAndQuery) {
    return json(send("GET", pathAndQuery, null, false));
  }

  /** A signed request; a JSON error answer becomes an {@link ApiCallException}. */
  JsonNode signed(String method, String pathAndQuery, JsonNode body) {
    return json(send(method, pathAndQuery, body, true));
  }

  /** Any request; the answer as it came (no status check). */
  Response send(String method, String pathAndQuery, JsonNode body, boolean sign) {
    byte[] bytes;
    try {
      bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the request", e);
    }
    URI uri;
    try {
      uri = URI.create(base + pathAndQuery);
    } catch (IllegalArgumentException e) {
      throw new CliInputException(
          "the API URL '" + base + "' is not a valid URL: " + e.getMessage());
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (sign) {
      if (key == null) {
        throw new IllegalStateException("signed request without a key");
      }
      long ts = clock.millis();
      byte[] n = new byte[16];
      random.nextBytes(n);
      String nonce = HexFormat.of().formatHex(n);
      String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      byte[] message = ApiAuth.message(method, target, ts, nonce, bytes);
      byte[] sig = Sign.signMessage(message, key).getConcatenated();
      b.header(ApiAuth.HEADER_PUBLIC_KEY, key.getPublicKey().getEncodedCompressedHex())
          .header(ApiAuth.HEADER_TIMESTAMP, Long.toString(ts))
          .header(ApiAuth.HEADER_NONCE, nonce)
          .header(ApiAuth.HEADER_SIGNATURE, HexFormat.of().formatHex(sig));
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    } catch (ConnectException e) {
      throw ApiCallException.unreachable(base, "connection refused");
    } catch (HttpTimeoutException e) {
      throw ApiCallException.unreachable(base, "no answer within the timeout");
    } catch (IOException e) {
      throw ApiCallException.unreachable(base, e.getClass().getSimpleName() + " " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiCallException.unreachable(base, "interrupted");
    }
  }

  /** The JSON body of a 2xx answer, or the server's error as an {@link ApiCallException}. */
  JsonNode json(Response r) {
    JsonNode n;
    try {
      n = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ApiCallException(
          "API_BAD_ANSWER",
          r.status(),
          base
              + " answered HTTP "
              + r.status()
              + " with a body that is not JSON; is --api pointing"
              + " at an NSL service?");
    }
    if (r.status() / 100 != 2) {
      JsonNode err = n == null ? null : n.path("error");
      if (err == null || !err.hasNonNull("code")) {
        throw new ApiCallException(
            "API_BAD_ANSWER",
            r.status(),
            base + " answered HTTP " + r.status() + " without an NSL error");
      }
      throw new ApiCallException(
          err.path("code").asText(), r.status(), err.path("message").asText() + hint(err));
    }
    return n;
  }

  private static String hint(JsonNode err) {
    return switch (err.path("code").asText()) {
      case "AUTH_TIMESTAMP_SKEW" -> " (fix this machine's clock, e.g. enable NTP)";
      case "RATE_LIMITED" -> " (wait and run the command again)";
      default -> "";
    };
  }
}
