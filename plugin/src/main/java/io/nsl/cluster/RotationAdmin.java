package io.nsl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.NslException;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.ClusterStateException;
import io.nsl.enclave.Enclave;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's rotation operations on the cluster port, as pure request → answer logic (the
 * {@link JoinServer} does the HTTP): {@code POST /cluster/v1/rotate}, {@code POST
 * /cluster/v1/retire} with {@code {"epoch":N}}, {@code GET /cluster/v1/rotation}. Every request
 * carries {@code Authorization: Bearer <token>}: the token is made at start and written only to an
 * owner-only file in the data folder ({@code cluster-admin.json}), so whoever may run {@code ./nsl}
 * on the data folder may rotate, and nobody else on the operator's network. Answers are JSON: the
 * {@link Rotation.Status} (see {@link #statusJson}), or {@code {"error":{"code","message"}}} with
 * 401 (no or wrong token), 409 (refused: in progress, records remain, cluster state), 404, 405.
 */
public final class RotationAdmin {
  private static final Logger log = LoggerFactory.getLogger(RotationAdmin.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP answer. */
  public record Answer(int status, byte[] body) {}

  private final Rotation rotation;
  private final Enclave enclave;
  private final byte[] token;

  /**
   * @param token at least 16 random bytes; copied
   */
  public RotationAdmin(Rotation rotation, Enclave enclave, byte[] token) {
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.enclave = Objects.requireNonNull(enclave, "enclave");
    if (token == null || token.length < 16) {
      throw new IllegalArgumentException("the admin token must be at least 16 bytes");
    }
    this.token = token.clone();
  }

  /** Answers one request. Never throws for bad input. */
  public Answer handle(String method, String path, String authorization, byte[] body) {
    if (!authorized(authorization)) {
      return new Answer(
          401,
          JoinServer.error(
              "ADMIN_UNAUTHORIZED",
              "rotation needs the token of this service's cluster-admin.json (run ./nsl cluster"
                  + " rotate on the machine that holds the data folder)"));
    }
    try {
      switch (path) {
        case JoinServer.ROTATION_PATH -> {
          if (!"GET".equals(method)) {
            return notAllowed("GET", path);
          }
          return ok(rotation.status());
        }
        case JoinServer.ROTATE_PATH -> {
          if (!"POST".equals(method)) {
            return notAllowed("POST", path);
          }
          return ok(rotation.rotate());
        }
        case JoinServer.RETIRE_PATH -> {
          if (!"POST".equals(method)) {
            return notAllowed("POST", path);
          }
          JsonNode n;
          try {
            n = JSON.readTree(new String(body, StandardCharsets.UTF_8));
          } catch (java.io.IOException e) {
            n = null;
          }
          if (n == null || !n.path("epoch").canConvertToInt() || n.path("epoch").asInt() < 0) {
            return new Answer(
                400,
                JoinServer.error(
                    "ROTATION_MALFORMED", "the body must be {\"epoch\": N} with N >= 0"));
          }
          return ok(rotation.retire(n.path("epoch").asInt()));
        }
        default -> {
          return new Answer(404, JoinServer.error("NOT_FOUND", "no rotation operation " + path));
        }
      }
    } catch (RotationRefusedException | ClusterStateException e) {
      return new Answer(409, JoinServer.error(e.code(), e.getMessage()));
    } catch (NslException e) {
      log.error("rotation operation {} failed", path, e);
      return new Answer(500, JoinServer.error(e.code(), e.getMessage()));
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(7).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, token);
  }

  private Answer ok(Rotation.Status s) {
    return new Answer(200, statusJson(s, enclave).toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Answer notAllowed(String method, String path) {
    return new Answer(405, JoinServer.error("METHOD_NOT_ALLOWED", method + " " + path + " only"));
  }

  /**
   * {@code {"stage","currentEpoch","currentSecretsPublicKey","liveEpochs":[…],"toMove","moved",
   * "pass","detail"?,"since"}}.
   */
  public static ObjectNode statusJson(Rotation.Status s, Enclave enclave) {
    ObjectNode n = JSON.createObjectNode();
    n.put("stage", s.stage().name());
    n.put("currentEpoch", s.currentEpoch());
    enclave
        .clusterKeys()
        .map(ClusterKeys::currentSecretsPublicKey)
        .ifPresent(k -> n.put("currentSecretsPublicKey", HexFormat.of().formatHex(k)));
    s.liveEpochs().forEach(n.putArray("liveEpochs")::add);
    n.put("toMove", s.toMove());
    n.put("moved", s.moved());
    n.put("pass", s.pass());
    s.detail().ifPresent(d -> n.put("detail", d));
    n.put("since", s.since().toString());
    return n;
  }
}
