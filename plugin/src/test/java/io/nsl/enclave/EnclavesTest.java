package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnclavesTest {
  @Test
  void modeDefaultsToSimulatedAndReadsTheEnvironment() {
    assertEquals(EnclaveMode.SIMULATED, Enclaves.modeFrom(Map.of()));
    assertEquals(EnclaveMode.SGX, Enclaves.modeFrom(Map.of("NSL_ENCLAVE_MODE", "SGX")));
    assertEquals(EnclaveMode.SIMULATED, Enclaves.modeFrom(Map.of("NSL_ENCLAVE_MODE", "simulated")));
    assertThrows(
        IllegalArgumentException.class, () -> Enclaves.modeFrom(Map.of("NSL_ENCLAVE_MODE", "tdx")));
  }

  @Test
  void reportDataIsTheDocumentedHash() throws Exception {
    byte[] gw = new byte[20];
    gw[0] = 1;
    byte[] k1 = new byte[33];
    k1[0] = 2;
    byte[] k2 = new byte[33];
    k2[0] = 3;
    java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
    in.writeBytes("NSL-ATTEST-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    in.writeBytes(new byte[] {0x4e, 0x45, 0x4f, 0x33}); // 0x334f454e little-endian
    in.writeBytes(gw);
    in.writeBytes(k1);
    in.writeBytes(k2);
    assertEquals(103, in.size());
    byte[] want =
        java.util.Arrays.copyOf(
            java.security.MessageDigest.getInstance("SHA-256").digest(in.toByteArray()), 64);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        want, ReportData.compute(new GatewayIdentity(0x334f454eL, gw), k1, k2));
  }
}
