package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enclave contract on {@link SimulatedEnclave}, and what only the simulation does. */
class SimulatedEnclaveTest extends EnclaveContract {
  @Override
  AbstractEnclave open(Path dataDir) {
    return SimulatedEnclave.open(dataDir, CLOCK);
  }

  @Override
  EnclaveMode expectedMode() {
    return EnclaveMode.SIMULATED;
  }

  @Test
  void sealsKeysInOwnerOnlyFiles() throws Exception {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir.resolve("enclave"), CLOCK)) {
      Path folder = dir.resolve("enclave");
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
      for (String f : new String[] {"keys.sealed", "seal.key"}) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(f))));
      }
      byte[] sealed = Files.readAllBytes(folder.resolve("keys.sealed"));
      // The private scalars never appear in clear: the sealed file must not contain the root key
      // output either (a cheap check that encryption happened).
      byte[] derived = e.deriveStorageKey("x");
      assertFalse(containsSubarray(sealed, Arrays.copyOf(derived, 8)));
    }
  }

  @Test
  void refusesSealedKeysUnderAnotherSealKey(@TempDir Path other) throws Exception {
    SimulatedEnclave.open(dir, CLOCK).close();
    SimulatedEnclave.open(other, CLOCK).close();
    Files.copy(
        other.resolve("seal.key"),
        dir.resolve("seal.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThrows(SealedStateException.class, () -> SimulatedEnclave.open(dir, CLOCK));
  }

  @Test
  void attestationSaysSimulatedAndBindsKeysAndGateway() throws Exception {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      Attestation a = e.attest(GATEWAY);
      assertEquals(EnclaveMode.SIMULATED, a.mode());
      assertTrue(a.simulated());
      assertEquals(CLOCK.instant(), a.createdAt());
      assertArrayEquals(
          ReportData.compute(GATEWAY, e.signingPublicKey(), e.secretsPublicKey()), a.reportData());
      JsonNode doc = new ObjectMapper().readTree(a.evidence());
      assertEquals("SIMULATED", doc.get("mode").asText());
      assertTrue(doc.get("warning").asText().startsWith("SIMULATED"));
      assertEquals(HexFormat.of().formatHex(a.reportData()), doc.get("reportData").asText());
      assertEquals(GATEWAY.gatewayScriptHashBEHex(), doc.get("gatewayScriptHash").asText());
      assertEquals(860833102L, doc.get("networkMagic").asLong());
    }
  }

  @Test
  void integrityCheckReportsTheSimulatedMeasurement() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      assertEquals(e.measurement(), e.integrityCheck().measurement());
      assertTrue(e.measurement().matches("[0-9a-f]{64}"), e.measurement());
    }
  }

  private static boolean containsSubarray(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
