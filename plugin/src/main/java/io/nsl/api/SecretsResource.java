package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.decode;
import static io.nsl.api.RequestParts.noQuery;

import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretReceipt;
import io.nsl.secrets.UserSecretManager;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/secrets}: list the caller's secret names, store or delete one with an envelope sealed
 * to the enclave (docs/secrets-envelope.md). Each account uploads only its own secrets.
 */
final class SecretsResource implements Resource {
  private final CallerAuth auth;
  private final UserSecretManager secrets;

  SecretsResource(CallerAuth auth, UserSecretManager secrets) {
    this.auth = auth;
    this.secrets = secrets;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length == 2) {
      allow(req, "GET", "POST");
      noQuery(req);
      Caller c = auth.authenticate(req);
      return Optional.of(req.method().equals("GET") ? list(c) : put(c, req.body()));
    }
    if (seg.length == 3) {
      allow(req, "DELETE");
      noQuery(req);
      String name = seg[2];
      return Optional.of(delete(auth.authenticate(req), name, req.body()));
    }
    return Optional.empty();
  }

  private ApiResponse list(Caller c) {
    return ApiResponse.ok(
        Map.of(
            "owner",
            c.owner(),
            "names",
            secrets.listNames(SecretOwner.fromScriptHashHex(c.owner()))));
  }

  private ApiResponse put(Caller c, byte[] body) {
    byte[] envelope = envelope(body);
    requireCallerOwns(c, envelope);
    SecretReceipt r = secrets.store(envelope);
    return ApiResponse.ok(receipt(r));
  }

  private ApiResponse delete(Caller c, String rawName, byte[] body) {
    String name = decode(rawName);
    byte[] envelope = envelope(body);
    requireCallerOwns(c, envelope);
    String inEnvelope = envelopeName(envelope);
    if (!name.equals(inEnvelope)) {
      throw new ApiFailure(
          ErrorStatus.SECRET_NAME_MISMATCH,
          "the path names secret '"
              + name
              + "' but the DELETE envelope names '"
              + inEnvelope
              + "'; send the envelope to DELETE /v1/secrets/"
              + inEnvelope);
    }
    return ApiResponse.ok(receipt(secrets.delete(envelope)));
  }

  private static Map<String, Object> receipt(SecretReceipt r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", r.owner().toString());
    m.put("name", r.name());
    m.put("op", r.op().name());
    m.put("sequence", r.sequence());
    return m;
  }

  private static byte[] envelope(byte[] body) {
    JsonBody b = JsonBody.parse(body, Set.of("envelope"));
    String text = b.requiredString("envelope");
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field 'envelope' must be the envelope bytes in standard base64 (RFC 4648, with"
              + " padding): "
              + e.getMessage());
    }
  }

  /** The envelope's owner field (offset 6, 20 bytes LE) must be the caller's own account. */
  private static void requireCallerOwns(Caller c, byte[] env) {
    if (env.length < 26) {
      return; // too short to name anyone: the secrets layer answers SECRET_ENVELOPE_MALFORMED
    }
    String owner = new SecretOwner(Arrays.copyOfRange(env, 6, 26)).toString();
    if (!c.owns(owner)) {
      throw new ApiFailure(
          ErrorStatus.SECRET_NOT_CALLER,
          "the envelope is for account "
              + owner
              + " but the request is signed by "
              + c.owner()
              + "; each account uploads only its own secrets");
    }
  }

  /** The name field of an envelope (length at offset 67, name from 68), or "" when too short. */
  private static String envelopeName(byte[] env) {
    if (env.length < 68) {
      return "";
    }
    int n = env[67] & 0xff;
    if (env.length < 68 + n) {
      return "";
    }
    return new String(env, 68, n, StandardCharsets.ISO_8859_1);
  }
}
