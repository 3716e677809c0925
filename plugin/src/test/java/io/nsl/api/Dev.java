package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.nsl.secrets.OwnerSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** A developer with a Neo key who calls the API; every knob of the signed request can be bent. */
final class Dev {
  /** An answer: status, headers, JSON body (null when not JSON). */
  record Answer(
      int status, Map<String, java.util.List<String>> headers, JsonNode json, String text) {
    String code() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }
  }

  final ECKeyPair key;
  final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  Dev(String base) {
    this(base, freshKey());
  }

  static ECKeyPair freshKey() {
    try {
      return ECKeyPair.createEcKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  Dev(String base, ECKeyPair key) {
    this.base = base;
    this.key = key;
  }

  String owner() {
    return ApiAuth.ownerOf(key.getPublicKey().getEncoded(true));
  }

  OwnerSigner signer() {
    return new OwnerSigner() {
      @Override
      public byte[] publicKey() {
        return key.getPublicKey().getEncoded(true);
      }

      @Override
      public byte[] sign(byte[] message) {
        return Sign.signMessage(message, key).getConcatenated();
      }
    };
  }

  static String nonce() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  Answer call(String method, String target, String body) {
    return call(method, target, body, System.currentTimeMillis(), nonce());
  }

  Answer call(String method, String target, String body, long ts, String nonce) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    byte[] sig =
        Sign.signMessage(ApiAuth.message(method, target, ts, nonce, b), key).getConcatenated();
    return send(
        method,
        target,
        b,
        Map.of(
            ApiAuth.HEADER_PUBLIC_KEY, key.getPublicKey().getEncodedCompressedHex(),
            ApiAuth.HEADER_TIMESTAMP, Long.toString(ts),
            ApiAuth.HEADER_NONCE, nonce,
            ApiAuth.HEADER_SIGNATURE, HexFormat.of().formatHex(sig)));
  }

  Answer send(String method, String target, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + target))
            .method(
                method,
                body == null || body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(r::header);
    if (body != null && body.length > 0 && !headers.containsKey("Content-Type")) {
      r.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = ApiFixture.JSON.readTree(resp.body());
      } catch (IOException notJson) {
        // left null: the caller asserts on it
      }
      return new Answer(resp.statusCode(), resp.headers().map(), json, resp.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
