package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.internal.KeyRing;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedEnclaveTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final GatewayIdentity GATEWAY =
      GatewayIdentity.ofBigEndianHex(860833102L, "0x" + "ab".repeat(19) + "01");

  @TempDir Path dir;

  @Test
  void keepsTheSamePublicKeysAfterRestart() {
    byte[] signing;
    byte[] secrets;
    byte[] storageKey;
    String id;
    try (SimulatedEnclave first = SimulatedEnclave.open(dir, CLOCK)) {
      assertTrue(first.keysCreatedAtStart());
      signing = first.signingPublicKey();
      secrets = first.secretsPublicKey();
      storageKey = first.deriveStorageKey("storage/values/v1");
      id = first.instanceId();
    }
    try (SimulatedEnclave second = SimulatedEnclave.open(dir, CLOCK)) {
      assertFalse(second.keysCreatedAtStart());
      assertArrayEquals(signing, second.signingPublicKey());
      assertArrayEquals(secrets, second.secretsPublicKey());
      assertArrayEquals(storageKey, second.deriveStorageKey("storage/values/v1"));
      assertEquals(id, second.instanceId());
    }
  }

  @Test
  void anotherDataFolderHasOtherKeys(@TempDir Path other) {
    try (SimulatedEnclave a = SimulatedEnclave.open(dir, CLOCK);
        SimulatedEnclave b = SimulatedEnclave.open(other, CLOCK)) {
      assertFalse(Arrays.equals(a.signingPublicKey(), b.signingPublicKey()));
      assertFalse(Arrays.equals(a.signingPublicKey(), a.secretsPublicKey()));
    }
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
  void refusesATamperedSealedFile() throws Exception {
    SimulatedEnclave.open(dir, CLOCK).close();
    Path sealed = dir.resolve("keys.sealed");
    byte[] bytes = Files.readAllBytes(sealed);
    bytes[bytes.length - 5] ^= 1;
    Files.write(sealed, bytes);
    SealedStateException e =
        assertThrows(SealedStateException.class, () -> SimulatedEnclave.open(dir, CLOCK));
    assertEquals("SEALED_STATE_INVALID", e.code());
    assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
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
  void signsSoThatTheSigningKeyVerifiesWithLowS() throws Exception {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      BigInteger halfN = KeyRing.DOMAIN.getN().shiftRight(1);
      for (int i = 0; i < 50; i++) {
        byte[] msg = ("message " + i).getBytes(StandardCharsets.UTF_8);
        byte[] sig = e.sign(msg);
        assertEquals(64, sig.length);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        assertTrue(s.compareTo(halfN) <= 0, "s must be low");
        ECDSASigner v = new ECDSASigner();
        v.init(
            false,
            new ECPublicKeyParameters(KeyRing.decodePoint(e.signingPublicKey()), KeyRing.DOMAIN));
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(msg);
        assertTrue(v.verifySignature(hash, r, s));
        hash[0] ^= 1;
        assertFalse(v.verifySignature(hash, r, s));
      }
    }
  }

  @Test
  void agreesOnTheSameSecretAsThePeer() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      BigInteger peerD = new BigInteger("1234567890abcdef1234567890abcdef", 16);
      ECPoint peerPub = KeyRing.DOMAIN.getG().multiply(peerD).normalize();
      byte[] fromEnclave = e.secretsKeyAgreement(peerPub.getEncoded(true));
      byte[] fromUncompressed = e.secretsKeyAgreement(peerPub.getEncoded(false));
      ECPoint shared = KeyRing.decodePoint(e.secretsPublicKey()).multiply(peerD).normalize();
      byte[] expected = shared.getAffineXCoord().getEncoded();
      assertArrayEquals(expected, fromEnclave);
      assertArrayEquals(expected, fromUncompressed);
    }
  }

  @Test
  void rejectsInvalidPeerKeys() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      byte[] offCurve = new byte[65];
      offCurve[0] = 4;
      offCurve[64] = 7;
      byte[] badPrefix = e.secretsPublicKey();
      badPrefix[0] = 5;
      for (byte[] bad : new byte[][] {new byte[0], new byte[32], offCurve, badPrefix, null}) {
        InvalidPeerKeyException ex =
            assertThrows(InvalidPeerKeyException.class, () -> e.secretsKeyAgreement(bad));
        assertEquals("INVALID_PEER_KEY", ex.code());
      }
    }
  }

  @Test
  void derivesIndependentStorageKeysPerPurpose() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      byte[] a = e.deriveStorageKey("storage/values/v1");
      byte[] b = e.deriveStorageKey("storage/index/v1");
      assertEquals(32, a.length);
      assertFalse(Arrays.equals(a, b));
      assertArrayEquals(a, e.deriveStorageKey("storage/values/v1"));
      assertThrows(IllegalArgumentException.class, () -> e.deriveStorageKey(""));
    }
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
  void attestationForAnotherGatewayHasOtherReportData() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      GatewayIdentity otherNet = new GatewayIdentity(894710606L, GATEWAY.gatewayScriptHashLE());
      assertFalse(Arrays.equals(e.attest(GATEWAY).reportData(), e.attest(otherNet).reportData()));
    }
  }

  @Test
  void integrityCheckNoticesReplacedKeys(@TempDir Path other) throws Exception {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      assertTrue(e.integrityCheck().intact());
      SimulatedEnclave.open(other, CLOCK).close();
      Files.copy(
          other.resolve("keys.sealed"),
          dir.resolve("keys.sealed"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      IntegrityReport r = e.integrityCheck();
      assertFalse(r.intact());
      assertEquals(e.measurement(), r.measurement());
      assertTrue(r.measurement().matches("[0-9a-f]{64}"), r.measurement());
    }
  }

  @Test
  void closedEnclaveRefusesKeyOperations() {
    SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK);
    e.close();
    e.close();
    EnclaveClosedException ex =
        assertThrows(EnclaveClosedException.class, () -> e.sign(new byte[1]));
    assertEquals("ENCLAVE_CLOSED", ex.code());
    assertThrows(EnclaveClosedException.class, () -> e.deriveStorageKey("x"));
    assertThrows(EnclaveClosedException.class, () -> e.attest(GATEWAY));
    assertFalse(e.integrityCheck().intact());
  }

  @Test
  void countsExecutionsAndFailures() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      e.recordExecution("f1", 100, Duration.ofMillis(5));
      e.recordExecution("f1", 50, Duration.ofMillis(5));
      e.recordFailure("f2", "GAS_EXHAUSTED");
      EnclaveMetrics m = e.metrics();
      assertEquals(2, m.executions());
      assertEquals(1, m.failures());
      assertEquals(150, m.gasUsedTotal());
      assertEquals(Duration.ofMillis(10), m.executionTimeTotal());
      assertEquals("GAS_EXHAUSTED", m.lastFailureCode());
    }
  }

  @Test
  void randomBytesHaveTheAskedLengthAndDiffer() {
    try (SimulatedEnclave e = SimulatedEnclave.open(dir, CLOCK)) {
      assertEquals(0, e.randomBytes(0).length);
      assertFalse(Arrays.equals(e.randomBytes(32), e.randomBytes(32)));
      assertThrows(IllegalArgumentException.class, () -> e.randomBytes(-1));
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
