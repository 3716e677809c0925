package io.nsl.cluster;

import static io.nsl.cluster.ClusterFixture.GATEWAY;
import static io.nsl.cluster.ClusterFixture.OWNER_KEY;
import static io.nsl.cluster.ClusterFixture.ownerSigned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nsl.cluster.ClusterFixture.HostFile;
import io.nsl.enclave.SimulatedEnclave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash at each step of a join leaves behind, and that a retry then succeeds. The provider
 * writes nothing; the newcomer's one write is an atomic replace of cluster.sealed. Each step's
 * crash is reproduced by what it leaves on disk and on the wire.
 */
class JoinCrashTest {
  static final String X = "11".repeat(32);
  static final String Y = "22".repeat(32);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private SimulatedEnclave open(String name, String m) {
    return SimulatedEnclave.open(dir.resolve(name), CLOCK, new SecureRandom(), m);
  }

  private JoinProvider provider(SimulatedEnclave a) {
    return new JoinProvider(
        a,
        new ClusterTrust(GATEWAY, OWNER_KEY, new HostFile(ownerSigned(true, X, Y))),
        ClusterFixture.simulatedVerifier(CLOCK),
        new SeenJoins(CLOCK, Duration.ofMinutes(5), 100));
  }

  private Joiner joiner(SimulatedEnclave b) {
    return new Joiner(
        b,
        new ClusterTrust(GATEWAY, OWNER_KEY, new HostFile(ownerSigned(true, X, Y))),
        ClusterFixture.simulatedVerifier(CLOCK),
        CLOCK);
  }

  @Test
  void newcomerKilledBeforeTheAnswerArrivesHoldsNothingAndARetrySucceeds() {
    try (SimulatedEnclave a = open("a", X)) {
      a.initCluster();
      JoinProvider p = provider(a);
      try (SimulatedEnclave b = open("b", Y)) {
        // The provider answered, the newcomer died before reading it: the answer is lost.
        assertThrows(
            RuntimeException.class,
            () ->
                joiner(b)
                    .join(
                        req -> {
                          p.handle(req);
                          throw new IllegalStateException("killed");
                        }));
      }
      try (SimulatedEnclave b = open("b", Y)) {
        assertEquals(Optional.empty(), b.clusterKeys());
        joiner(b).join(p::handle);
        assertArrayEquals(a.secretsPublicKey(), b.secretsPublicKey());
      }
    }
  }

  @Test
  void newcomerKilledWhileSealingLeavesATemporaryFileThatIsIgnoredAndReplaced() throws Exception {
    try (SimulatedEnclave a = open("a", X)) {
      a.initCluster();
      open("b", Y).close();
      // kill -9 between writing the temporary file and the rename: a partial .tmp stays behind.
      Files.write(dir.resolve("b").resolve("cluster.sealed.tmp"), new byte[] {'N', 'S', 'L'});
      try (SimulatedEnclave b = open("b", Y)) {
        assertEquals(Optional.empty(), b.clusterKeys());
        joiner(b).join(provider(a)::handle);
      }
      try (SimulatedEnclave b = open("b", Y)) {
        assertEquals(a.clusterKeys(), b.clusterKeys());
      }
    }
  }

  @Test
  void newcomerKilledAfterSealingKeepsTheKeysAndJoiningAgainIsANoOp() {
    try (SimulatedEnclave a = open("a", X)) {
      a.initCluster();
      try (SimulatedEnclave b = open("b", Y)) {
        joiner(b).join(provider(a)::handle);
      } // "killed": nothing after the seal is needed
      try (SimulatedEnclave b = open("b", Y)) {
        assertEquals(a.clusterKeys(), b.clusterKeys());
        assertEquals(a.clusterKeys().orElseThrow(), joiner(b).join(provider(a)::handle));
      }
    }
  }

  @Test
  void providerKilledMidJoinKeepsItsKeysAndServesTheRetry() {
    byte[] secretsKey;
    try (SimulatedEnclave a = open("a", X)) {
      a.initCluster();
      secretsKey = a.secretsPublicKey();
      try (SimulatedEnclave b = open("b", Y)) {
        JoinRefusedException e =
            assertThrows(
                JoinRefusedException.class,
                () ->
                    joiner(b)
                        .join(
                            req -> {
                              throw new JoinRefusedException(
                                  JoinRefusal.JOIN_PROVIDER_UNREACHABLE, "connection reset");
                            }));
        assertEquals(JoinRefusal.JOIN_PROVIDER_UNREACHABLE, e.refusal());
      }
    }
    // The provider comes back from its sealed files alone.
    try (SimulatedEnclave a = open("a", X);
        SimulatedEnclave b = open("b", Y)) {
      assertArrayEquals(secretsKey, a.secretsPublicKey());
      joiner(b).join(provider(a)::handle);
      assertArrayEquals(secretsKey, b.secretsPublicKey());
    }
  }
}
