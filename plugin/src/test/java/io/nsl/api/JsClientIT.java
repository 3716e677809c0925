package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.crypto.ECKeyPair;
import io.nsl.ProjectRoot;
import io.nsl.secrets.SecretOwner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript client (clients/js) against the real server: Node builds an envelope for a fresh
 * key, signs the API request, and the service stores a value it can decrypt.
 */
class JsClientIT {
  @Test
  void serviceStoresASecretTheJsClientEncryptedAndSigned(@TempDir Path dir) throws Exception {
    assumeTrue(nodeAvailable(), "node (20+) is not on PATH; clients/js needs it");
    try (ApiFixture fx = new ApiFixture(dir, ApiLimits.defaults())) {
      ECKeyPair key = Dev.freshKey();
      String privateHex =
          HexFormat.of()
              .formatHex(io.neow3j.utils.Numeric.toBytesPadded(key.getPrivateKey().getInt(), 32));
      Path script = ProjectRoot.find().resolve("clients/js/bin/nsl-secret.mjs");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node", script.toString(), "--api", fx.base(), "--allow-simulated", "FROM_JS")
              .redirectErrorStream(false);
      pb.environment().put("NSL_PRIVATE_KEY", privateHex);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write("value from node ✓\n".getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out + err);
      JsonNode receipt = ApiFixture.JSON.readTree(out);
      SecretOwner owner = SecretOwner.fromPublicKey(key.getPublicKey().getEncoded(true));
      assertEquals(owner.toString(), receipt.path("owner").asText());
      assertEquals("PUT", receipt.path("op").asText());
      assertEquals(
          "value from node ✓",
          new String(fx.secrets.get(owner, "FROM_JS"), StandardCharsets.UTF_8));
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
