package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.dcap.SgxVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster keys in the enclave: migration to epoch 0, wrapping, accepting, sealing. */
class ClusterKeysTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  static final String X = "11".repeat(32);
  static final String Y = "22".repeat(32);
  private static final byte[] AAD = "transcript".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private SimulatedEnclave sim(String name, String measurement) {
    return SimulatedEnclave.open(dir.resolve(name), CLOCK, new SecureRandom(), measurement);
  }

  @Test
  void initClusterMakesEpochZeroOfTheInstancesOwnKeys() {
    byte[] secretsKey;
    byte[] storageKey;
    try (SimulatedEnclave a = sim("a", X)) {
      secretsKey = a.secretsPublicKey();
      storageKey = a.deriveStorageKey("nsl/storage/v1");
      assertEquals(Optional.empty(), a.clusterKeys());
      ClusterKeys k = a.initCluster();
      assertEquals(0, k.currentEpoch());
      assertArrayEquals(secretsKey, k.currentSecretsPublicKey());
      assertArrayEquals(secretsKey, a.secretsPublicKey());
      assertArrayEquals(storageKey, a.deriveStorageKey("nsl/storage/v1"));
      assertEquals(k, a.initCluster(), "a second init changes nothing");
    }
    try (SimulatedEnclave again = sim("a", X)) {
      assertEquals(0, again.clusterKeys().orElseThrow().currentEpoch());
      assertArrayEquals(secretsKey, again.secretsPublicKey());
      assertArrayEquals(storageKey, again.deriveStorageKey("nsl/storage/v1"));
    }
  }

  @Test
  void aNewcomerThatAcceptsWrappedKeysSharesSecretsAndStorageKeysButNotTheSigningKey() {
    try (SimulatedEnclave a = sim("a", X);
        SimulatedEnclave b = sim("b", Y)) {
      a.initCluster();
      JoinKey jk = b.newJoinKey();
      byte[] wrapped = a.wrapClusterKeys(jk.publicKey(), AAD);
      ClusterKeys got = b.acceptClusterKeys(jk, wrapped, AAD);
      assertEquals(a.clusterKeys().orElseThrow(), got);
      assertArrayEquals(a.secretsPublicKey(), b.secretsPublicKey());
      assertArrayEquals(a.deriveStorageKey("p"), b.deriveStorageKey("p"));
      assertFalse(Arrays.equals(a.signingPublicKey(), b.signingPublicKey()));
      byte[] peer = a.signingPublicKey();
      assertArrayEquals(a.secretsKeyAgreement(peer), b.secretsKeyAgreement(peer));
      assertEquals(got, b.acceptClusterKeys(jk, wrapped, AAD), "accepting again is a no-op");
    }
    try (SimulatedEnclave b = sim("b", Y)) {
      assertTrue(b.clusterKeys().isPresent(), "the accepted keys were sealed");
    }
  }

  @Test
  void refusesWrappedKeysThatWereAlteredOrBoundToAnotherTranscript() {
    try (SimulatedEnclave a = sim("a", X);
        SimulatedEnclave b = sim("b", Y)) {
      a.initCluster();
      JoinKey jk = b.newJoinKey();
      byte[] wrapped = a.wrapClusterKeys(jk.publicKey(), AAD);
      byte[] flipped = wrapped.clone();
      flipped[flipped.length - 20] ^= 1;
      ClusterKeysRejectedException ex =
          assertThrows(
              ClusterKeysRejectedException.class, () -> b.acceptClusterKeys(jk, flipped, AAD));
      assertEquals("JOIN_KEYS_TAMPERED", ex.code());
      assertThrows(
          ClusterKeysRejectedException.class,
          () -> b.acceptClusterKeys(jk, wrapped, "other".getBytes(StandardCharsets.US_ASCII)));
      JoinKey other = b.newJoinKey();
      assertThrows(
          ClusterKeysRejectedException.class, () -> b.acceptClusterKeys(other, wrapped, AAD));
      assertEquals(Optional.empty(), b.clusterKeys(), "nothing was installed");
      assertFalse(Files.exists(dir.resolve("b").resolve("cluster.sealed")));
    }
  }

  @Test
  void anInstanceOfOneClusterRefusesTheKeysOfAnother() {
    try (SimulatedEnclave a = sim("a", X);
        SimulatedEnclave c = sim("c", X);
        SimulatedEnclave b = sim("b", Y)) {
      a.initCluster();
      c.initCluster();
      JoinKey jk = b.newJoinKey();
      b.acceptClusterKeys(jk, a.wrapClusterKeys(jk.publicKey(), AAD), AAD);
      JoinKey jk2 = b.newJoinKey();
      byte[] foreign = c.wrapClusterKeys(jk2.publicKey(), AAD);
      ClusterStateException ex =
          assertThrows(ClusterStateException.class, () -> b.acceptClusterKeys(jk2, foreign, AAD));
      assertEquals("CLUSTER_STATE", ex.code());
      assertArrayEquals(a.secretsPublicKey(), b.secretsPublicKey());
    }
  }

  @Test
  void anInstanceWithoutClusterKeysCannotProvideThem() {
    try (SimulatedEnclave a = sim("a", X)) {
      ClusterStateException ex =
          assertThrows(
              ClusterStateException.class,
              () -> a.wrapClusterKeys(a.newJoinKey().publicKey(), AAD));
      assertTrue(ex.getMessage().contains("cluster init"), ex.getMessage());
    }
  }

  @Test
  void clusterKeysAreSealedUnderTheMeasurementAnotherBuildCannotOpenThem() {
    byte[] cpu = "cpu".getBytes(StandardCharsets.US_ASCII);
    byte[] phala = SgxVectors.phalaQuote();
    Path d = dir.resolve("sgx");
    try (OcclumEnclave e =
        OcclumEnclave.open(
            d,
            new EmulatedSgxDevice(Arrays.copyOfRange(phala, 48, 432), cpu, phala),
            CLOCK,
            new SecureRandom())) {
      e.initCluster();
    }
    // Another build (another MRENCLAVE) with its own keys is handed the first one's cluster file.
    byte[] mobile = SgxVectors.bytes("mobilecoin-attestation/hw_quote.dat");
    Path other = dir.resolve("other");
    OcclumEnclave.open(
            other,
            new EmulatedSgxDevice(Arrays.copyOfRange(mobile, 48, 432), cpu, mobile),
            CLOCK,
            new SecureRandom())
        .close();
    try {
      Files.copy(d.resolve("cluster.sealed"), other.resolve("cluster.sealed"));
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    SealedStateException ex =
        assertThrows(
            SealedStateException.class,
            () ->
                OcclumEnclave.open(
                    other,
                    new EmulatedSgxDevice(Arrays.copyOfRange(mobile, 48, 432), cpu, mobile),
                    CLOCK,
                    new SecureRandom()));
    assertTrue(ex.getMessage().contains("cluster.sealed"), ex.getMessage());
    assertTrue(ex.getMessage().contains("fails authentication"), ex.getMessage());
  }

  @Test
  void simulatedMeasurementIsTheCodeHashUnlessTheEnvironmentSetsIt() {
    String code = SimulatedMeasurement.from(Map.of());
    assertTrue(code.matches("[0-9a-f]{64}"), code);
    assertEquals(code, SimulatedMeasurement.ofCode(), "the same code gives the same measurement");
    assertEquals(
        "ab".repeat(32),
        SimulatedMeasurement.from(Map.of(SimulatedMeasurement.ENV, "AB".repeat(32))));
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () -> SimulatedMeasurement.from(Map.of(SimulatedMeasurement.ENV, "abc")));
    assertTrue(ex.getMessage().contains(SimulatedMeasurement.ENV), ex.getMessage());
  }

  @Test
  void aRunningInstanceSeesClusterKeysInitialisedBesideIt() {
    try (SimulatedEnclave running = sim("a", X)) {
      byte[] key = running.secretsPublicKey();
      try (SimulatedEnclave cli = sim("a", X)) {
        cli.initCluster(); // ./nsl cluster init while the service runs
      }
      ClusterKeys seen = running.clusterKeys().orElseThrow();
      assertArrayEquals(key, seen.currentSecretsPublicKey());
      JoinKey jk = running.newJoinKey();
      assertTrue(running.wrapClusterKeys(jk.publicKey(), AAD).length > 0, "it can provide them");
    }
  }
}
