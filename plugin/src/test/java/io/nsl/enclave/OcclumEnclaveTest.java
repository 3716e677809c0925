package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.dcap.SgxVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OcclumEnclave's logic on an emulated /dev/sgx built from recorded report bodies: the enclave
 * contract, and what only SGX sealing and quoting do.
 */
class OcclumEnclaveTest extends EnclaveContract {
  private static final byte[] CPU = "emulated cpu fuse key".getBytes();

  /** The contract runs on the emulated device with the recorded Phala report body. */
  @Override
  AbstractEnclave open(Path dataDir) {
    return OcclumEnclave.open(dataDir, device(SgxVectors.phalaQuote()), CLOCK, new SecureRandom());
  }

  @Override
  EnclaveMode expectedMode() {
    return EnclaveMode.SGX;
  }

  /** The ISV report body of a recorded quote (offset 48..432). */
  private static byte[] bodyOf(byte[] quote) {
    return Arrays.copyOfRange(quote, 48, 432);
  }

  private static EmulatedSgxDevice device(byte[] quote) {
    return new EmulatedSgxDevice(bodyOf(quote), CPU, quote);
  }

  private OcclumEnclave open(EmulatedSgxDevice d) {
    return OcclumEnclave.open(dir, d, CLOCK, new SecureRandom());
  }

  @Test
  void instanceIdSaysSgx() {
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      assertTrue(e.instanceId().startsWith("sgx-"));
    }
  }

  @Test
  void anotherEnclaveMeasurementCannotUnsealTheKeys() {
    open(device(SgxVectors.phalaQuote())).close();
    byte[] other = SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat");
    SealedStateException ex = assertThrows(SealedStateException.class, () -> open(device(other)));
    assertTrue(ex.getMessage().contains("fails authentication"), ex.getMessage());
  }

  @Test
  void aSealedKeyFileFromAnotherCpuCannotBeOpened() throws Exception {
    open(device(SgxVectors.phalaQuote())).close();
    byte[] phala = SgxVectors.phalaQuote();
    EmulatedSgxDevice otherCpu =
        new EmulatedSgxDevice(bodyOf(phala), "another cpu fuse key".getBytes(), phala);
    SealedStateException ex = assertThrows(SealedStateException.class, () -> open(otherCpu));
    assertTrue(ex.getMessage().contains("fails authentication"), ex.getMessage());
  }

  // What sealing does NOT protect (docs/enclave.md, "Rollback and copies"): these two tests pin the
  // gap down so that closing it shows up as a deliberate change.

  @Test
  void restoringAnOlderSealedKeyFileBringsBackTheOlderKeysUndetected() throws Exception {
    Path sealed = dir.resolve("keys.sealed");
    byte[] first;
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      first = e.signingPublicKey();
    }
    byte[] olderFile = Files.readAllBytes(sealed);
    Files.delete(sealed);
    byte[] second;
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      second = e.signingPublicKey();
      assertTrue(e.keysCreatedAtStart());
    }
    assertFalse(Arrays.equals(first, second));
    Files.delete(sealed);
    Files.write(sealed, olderFile);
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      assertArrayEquals(first, e.signingPublicKey());
      assertFalse(e.keysCreatedAtStart());
      assertTrue(e.integrityCheck().intact());
    }
  }

  @Test
  void aSealedKeyFileCopiedToAnotherDataFolderOnTheSameCpuOpensThere(@TempDir Path copy)
      throws Exception {
    byte[] pub;
    String id;
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      pub = e.signingPublicKey();
      id = e.instanceId();
    }
    Files.copy(dir.resolve("keys.sealed"), copy.resolve("keys.sealed"));
    try (OcclumEnclave e =
        OcclumEnclave.open(copy, device(SgxVectors.phalaQuote()), CLOCK, new SecureRandom())) {
      assertArrayEquals(pub, e.signingPublicKey());
      assertEquals(id, e.instanceId());
    }
  }

  @Test
  void simulatedKeysAreNeverOpenedAsSgxKeys() {
    SimulatedEnclave.open(dir, CLOCK).close();
    SealedStateException ex =
        assertThrows(SealedStateException.class, () -> open(device(SgxVectors.phalaQuote())));
    assertTrue(ex.getMessage().contains("simulated keys cannot be opened in SGX"));
  }

  @Test
  void attestationIsAQuoteCarryingTheReportData() {
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      Attestation a = e.attest(GATEWAY);
      assertEquals(EnclaveMode.SGX, a.mode());
      assertFalse(a.simulated());
      byte[] q = a.evidence();
      assertEquals(SgxVectors.phalaQuote().length, q.length, "buffer padding trimmed");
      assertArrayEquals(a.reportData(), Arrays.copyOfRange(q, 368, 432));
      assertArrayEquals(
          ReportData.compute(GATEWAY, e.signingPublicKey(), e.secretsPublicKey()), a.reportData());
    }
  }

  @Test
  void refusesAQuoteWithOtherReportData() {
    EmulatedSgxDevice d = device(SgxVectors.phalaQuote());
    d.writeReportData = false;
    try (OcclumEnclave e = open(d)) {
      AttestationException ex = assertThrows(AttestationException.class, () -> e.attest(GATEWAY));
      assertEquals("ATTESTATION_FAILED", ex.code());
    }
  }

  @Test
  void readsItsMeasurementAndDebugFlagFromTheReport() {
    try (OcclumEnclave e = open(device(SgxVectors.phalaQuote()))) {
      assertFalse(e.debuggable());
      IntegrityReport r = e.integrityCheck();
      assertTrue(r.intact(), r.detail());
      assertEquals(
          "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", r.measurement());
    }
  }

  @Test
  void detectsADebuggableEnclave(@TempDir Path other) {
    byte[] debug = SgxVectors.bytes("automata-dcap-attestation/quote_sgx_debug.bin");
    try (OcclumEnclave e = OcclumEnclave.open(other, device(debug), CLOCK, new SecureRandom())) {
      assertTrue(e.debuggable());
    }
  }

  @Test
  void closingReleasesTheDevice() {
    EmulatedSgxDevice d = device(SgxVectors.phalaQuote());
    open(d).close();
    assertTrue(d.closed);
  }

  @Test
  void refusesToStartOutsideOcclum() {
    // The test JVM is not inside Occlum (no OCCLUM=yes), whatever the host has.
    EnclaveUnavailableException ex =
        assertThrows(EnclaveUnavailableException.class, () -> OcclumEnclave.open(dir, CLOCK));
    assertEquals("ENCLAVE_UNAVAILABLE", ex.code());
    assertFalse(Files.exists(dir.resolve("keys.sealed")));
  }
}
