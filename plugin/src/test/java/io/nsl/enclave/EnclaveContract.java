package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.internal.KeyRing;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Enclave} must do, whatever the TEE underneath: keys that survive a restart,
 * signatures Neo verifies, ECDH, storage keys per purpose, attestation bound to the keys and the
 * gateway, sealed state that refuses tampering, and a closed enclave that refuses key operations.
 * Each implementation runs it through a subclass that says how to open one on a data folder; what
 * only one implementation does (its evidence format, its sealing key) stays in that subclass.
 */
abstract class EnclaveContract {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  static final GatewayIdentity GATEWAY =
      GatewayIdentity.ofBigEndianHex(860833102L, "0x" + "ab".repeat(19) + "01");

  @TempDir Path dir;

  /** Opens (creating on first use) the implementation's enclave on {@code dataDir}. */
  abstract AbstractEnclave open(Path dataDir);

  /** The mode this implementation reports. */
  abstract EnclaveMode expectedMode();

  @Test
  void keepsTheSamePublicKeysAfterRestart() {
    byte[] signing;
    byte[] secrets;
    byte[] storageKey;
    String id;
    try (AbstractEnclave first = open(dir)) {
      assertTrue(first.keysCreatedAtStart());
      signing = first.signingPublicKey();
      secrets = first.secretsPublicKey();
      storageKey = first.deriveStorageKey("storage/values/v1");
      id = first.instanceId();
    }
    try (AbstractEnclave second = open(dir)) {
      assertFalse(second.keysCreatedAtStart());
      assertArrayEquals(signing, second.signingPublicKey());
      assertArrayEquals(secrets, second.secretsPublicKey());
      assertArrayEquals(storageKey, second.deriveStorageKey("storage/values/v1"));
      assertEquals(id, second.instanceId());
    }
  }

  @Test
  void reportsItsMode() {
    try (AbstractEnclave e = open(dir)) {
      assertEquals(expectedMode(), e.mode());
      assertEquals(expectedMode(), e.attest(GATEWAY).mode());
    }
  }

  @Test
  void anotherDataFolderHasOtherKeys(@TempDir Path other) {
    try (AbstractEnclave a = open(dir);
        AbstractEnclave b = open(other)) {
      assertFalse(Arrays.equals(a.signingPublicKey(), b.signingPublicKey()));
      assertFalse(Arrays.equals(a.secretsPublicKey(), b.secretsPublicKey()));
      assertFalse(Arrays.equals(a.signingPublicKey(), a.secretsPublicKey()));
    }
  }

  @Test
  void publicKeysAreCompressedPoints() {
    try (AbstractEnclave e = open(dir)) {
      for (byte[] k : new byte[][] {e.signingPublicKey(), e.secretsPublicKey()}) {
        assertEquals(33, k.length);
        assertTrue(k[0] == 2 || k[0] == 3);
        KeyRing.decodePoint(k);
      }
    }
  }

  @Test
  void signsSoThatTheSigningKeyVerifiesWithLowS() throws Exception {
    try (AbstractEnclave e = open(dir)) {
      BigInteger halfN = KeyRing.DOMAIN.getN().shiftRight(1);
      for (int i = 0; i < 20; i++) {
        byte[] msg = ("message " + i).getBytes(StandardCharsets.UTF_8);
        byte[] sig = e.sign(msg);
        assertEquals(64, sig.length);
        assertArrayEquals(sig, e.sign(msg), "RFC 6979: the same message gives the same signature");
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
    try (AbstractEnclave e = open(dir)) {
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
    try (AbstractEnclave e = open(dir)) {
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
    try (AbstractEnclave e = open(dir)) {
      byte[] a = e.deriveStorageKey("storage/values/v1");
      byte[] b = e.deriveStorageKey("storage/index/v1");
      assertEquals(32, a.length);
      assertFalse(Arrays.equals(a, b));
      assertArrayEquals(a, e.deriveStorageKey("storage/values/v1"));
      assertThrows(IllegalArgumentException.class, () -> e.deriveStorageKey(""));
    }
  }

  @Test
  void attestationBindsBothKeysAndTheGateway() {
    try (AbstractEnclave e = open(dir)) {
      Attestation a = e.attest(GATEWAY);
      assertEquals(CLOCK.instant(), a.createdAt());
      assertArrayEquals(
          ReportData.compute(GATEWAY, e.signingPublicKey(), e.secretsPublicKey()), a.reportData());
      GatewayIdentity otherNet = new GatewayIdentity(894710606L, GATEWAY.gatewayScriptHashLE());
      assertFalse(Arrays.equals(a.reportData(), e.attest(otherNet).reportData()));
    }
  }

  @Test
  void refusesATamperedSealedFile() throws Exception {
    Path sealed;
    try (AbstractEnclave e = open(dir)) {
      sealed = e.sealedKeyFile();
    }
    byte[] bytes = Files.readAllBytes(sealed);
    bytes[bytes.length - 5] ^= 1;
    Files.write(sealed, bytes);
    SealedStateException e = assertThrows(SealedStateException.class, () -> open(dir));
    assertEquals("SEALED_STATE_INVALID", e.code());
    assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
  }

  @Test
  void integrityCheckNoticesReplacedKeys(@TempDir Path other) throws Exception {
    try (AbstractEnclave e = open(dir)) {
      IntegrityReport fresh = e.integrityCheck();
      assertTrue(fresh.intact(), fresh.detail());
      Path otherSealed;
      try (AbstractEnclave o = open(other)) {
        otherSealed = o.sealedKeyFile();
      }
      Files.copy(otherSealed, e.sealedKeyFile(), StandardCopyOption.REPLACE_EXISTING);
      assertFalse(e.integrityCheck().intact());
    }
  }

  @Test
  void closedEnclaveRefusesKeyOperations() {
    AbstractEnclave e = open(dir);
    String id = e.instanceId();
    e.close();
    e.close();
    EnclaveClosedException ex =
        assertThrows(EnclaveClosedException.class, () -> e.sign(new byte[1]));
    assertEquals("ENCLAVE_CLOSED", ex.code());
    assertThrows(EnclaveClosedException.class, () -> e.deriveStorageKey("x"));
    assertThrows(EnclaveClosedException.class, () -> e.attest(GATEWAY));
    assertThrows(EnclaveClosedException.class, () -> e.secretsKeyAgreement(new byte[33]));
    assertThrows(EnclaveClosedException.class, () -> e.randomBytes(1));
    assertFalse(e.integrityCheck().intact());
    assertEquals(expectedMode(), e.mode());
    assertEquals(id, e.instanceId());
  }

  @Test
  void randomBytesHaveTheAskedLengthAndDiffer() {
    try (AbstractEnclave e = open(dir)) {
      assertEquals(0, e.randomBytes(0).length);
      assertFalse(Arrays.equals(e.randomBytes(32), e.randomBytes(32)));
      assertThrows(IllegalArgumentException.class, () -> e.randomBytes(-1));
      assertThrows(IllegalArgumentException.class, () -> e.randomBytes((1 << 20) + 1));
    }
  }
}
