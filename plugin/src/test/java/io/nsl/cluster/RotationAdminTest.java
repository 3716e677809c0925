package io.nsl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's rotation operations: the token, the routes, the refusals and their statuses. */
class RotationAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] TOKEN =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String BEARER = "Bearer " + HexFormat.of().formatHex(TOKEN);

  @TempDir Path dir;

  @Test
  void refusesEveryOperationWithoutTheTokenAndAnswersTheRoutesWithIt() throws Exception {
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 64, Clock.systemUTC())) {
      f.populate(3);
      RotationAdmin admin = new RotationAdmin(rotation, f.enclave, TOKEN);
      byte[] none = new byte[0];

      for (String auth :
          new String[] {
            null, "Bearer ", "Bearer zz", "Bearer 00" + BEARER.substring(9), "Basic x"
          }) {
        RotationAdmin.Answer a = admin.handle("POST", JoinServer.ROTATE_PATH, auth, none);
        assertEquals(401, a.status(), "authorization " + auth);
        assertEquals("ADMIN_UNAUTHORIZED", code(a));
      }
      assertEquals(0, f.enclave.currentEpoch(), "nothing rotated without the token");

      RotationAdmin.Answer status = admin.handle("GET", JoinServer.ROTATION_PATH, BEARER, none);
      assertEquals(200, status.status());
      assertEquals("IDLE", body(status).get("stage").asText());
      assertEquals(405, admin.handle("POST", JoinServer.ROTATION_PATH, BEARER, none).status());
      assertEquals(405, admin.handle("GET", JoinServer.ROTATE_PATH, BEARER, none).status());
      assertEquals(404, admin.handle("GET", "/cluster/v1/other", BEARER, none).status());

      RotationAdmin.Answer rotated = admin.handle("POST", JoinServer.ROTATE_PATH, BEARER, none);
      assertEquals(200, rotated.status());
      JsonNode r = body(rotated);
      assertEquals(1, r.get("currentEpoch").asInt());
      assertEquals(
          HexFormat.of().formatHex(f.enclave.secretsPublicKey()),
          r.get("currentSecretsPublicKey").asText());

      for (String bad : new String[] {"", "{}", "{\"epoch\":-1}", "{\"epoch\":\"x\"}", "[1]"}) {
        RotationAdmin.Answer a =
            admin.handle(
                "POST", JoinServer.RETIRE_PATH, BEARER, bad.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, a.status(), bad);
        assertEquals("ROTATION_MALFORMED", code(a));
      }
      RotationAdmin.Answer current =
          admin.handle(
              "POST",
              JoinServer.RETIRE_PATH,
              BEARER,
              "{\"epoch\":1}".getBytes(StandardCharsets.UTF_8));
      assertEquals(409, current.status());
      assertEquals("CLUSTER_STATE", code(current));

      RotationFixture.awaitEnd(rotation);
      RotationAdmin.Answer retired =
          admin.handle(
              "POST",
              JoinServer.RETIRE_PATH,
              BEARER,
              "{\"epoch\":0}".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, retired.status(), new String(retired.body(), StandardCharsets.UTF_8));
      assertEquals("[1]", body(retired).get("liveEpochs").toString());
      assertTrue(f.checkAll(3) > 0);
    }
  }

  private static JsonNode body(RotationAdmin.Answer a) throws Exception {
    return JSON.readTree(a.body());
  }

  private static String code(RotationAdmin.Answer a) throws Exception {
    return body(a).path("error").path("code").asText();
  }
}
