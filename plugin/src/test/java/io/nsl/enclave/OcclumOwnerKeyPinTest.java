package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * occlum/pin-owner-key puts the owner key in the image's measured environment (env.default), where
 * the host cannot change it; occlum/build calls it. Before it, docs said the key was pinned there
 * and nothing put it there.
 */
class OcclumOwnerKeyPinTest {
  static final String KEY = "02" + "ab".repeat(32);
  @TempDir Path dir;

  record Run(int exit, String err) {}

  private Run pin(Path file, String key) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "bash", OcclumConfig.DIR.resolve("pin-owner-key").toString(), file.toString(), key)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), err);
  }

  private Path copy() throws IOException {
    Path f = dir.resolve("Occlum.json");
    Files.copy(OcclumConfig.DIR.resolve("Occlum.json"), f);
    return f;
  }

  private static List<String> list(JsonNode cfg, String which) {
    List<String> out = new ArrayList<>();
    cfg.path("env").path(which).forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void theProjectsOcclumJsonNeverTakesTheOwnerKeyFromTheHost() throws IOException {
    assertFalse(list(OcclumConfig.occlumJson(), "untrusted").contains("NSL_CLUSTER_OWNER_KEY"));
  }

  @Test
  void pinsTheKeyInTheMeasuredEnvironmentOnceKeepingTheRest() throws Exception {
    Path f = copy();
    assertEquals(0, pin(f, KEY).exit());
    assertEquals(0, pin(f, KEY.toUpperCase().replace("0X", "0x")).exit());
    JsonNode cfg = new ObjectMapper().readTree(f.toFile());
    List<String> env = list(cfg, "default");
    assertEquals(
        1,
        env.stream().filter(v -> v.startsWith("NSL_CLUSTER_OWNER_KEY=")).count(),
        env.toString());
    assertTrue(env.contains("NSL_CLUSTER_OWNER_KEY=" + KEY), env.toString());
    assertTrue(env.contains("NSL_ENCLAVE_MODE=sgx"), "the rest of env.default is kept");
    assertEquals(list(OcclumConfig.occlumJson(), "untrusted"), list(cfg, "untrusted"));
  }

  @Test
  void refusesAKeyThatIsNotACompressedPublicKey() throws Exception {
    Path f = copy();
    for (String bad : new String[] {"", "04" + "ab".repeat(32), "02" + "ab".repeat(31), "zz"}) {
      Run r = pin(f, bad);
      assertEquals(2, r.exit(), bad);
      assertTrue(r.err().contains("66 hex digits"), r.err());
    }
    assertFalse(Files.readString(f).contains("NSL_CLUSTER_OWNER_KEY"), "the file is untouched");
  }

  @Test
  void refusesAConfigThatLetsTheHostSetTheKey() throws Exception {
    Path f = copy();
    ObjectMapper m = new ObjectMapper();
    ObjectNode cfg = (ObjectNode) m.readTree(f.toFile());
    ((ArrayNode) cfg.path("env").path("untrusted")).add("NSL_CLUSTER_OWNER_KEY");
    m.writeValue(f.toFile(), cfg);
    Run r = pin(f, KEY);
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("env.untrusted"), r.err());
  }
}
