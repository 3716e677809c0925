package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.cluster.ClusterTrust;
import io.nsl.cluster.EvidenceVerifier;
import io.nsl.cluster.HttpJoinTransport;
import io.nsl.cluster.JoinProvider;
import io.nsl.cluster.JoinServer;
import io.nsl.cluster.Joiner;
import io.nsl.cluster.MeasurementPolicy;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.SeenJoins;
import io.nsl.cluster.SignedPolicy;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.SimulatedMeasurement;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a newcomer at random points of {@code ./nsl cluster join} (a separate JVM): afterwards
 * its enclave folder opens, holds either no cluster keys or exactly the provider's, and a retried
 * join succeeds. Seeded; the seed is in every failure message.
 */
class JoinKillIT {
  private static final String X = "a1".repeat(32);
  private static final String Y = "b2".repeat(32);
  private static final String GATEWAY = "0x" + "ab".repeat(20);
  private static final long MAGIC = 5195086L;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aNewcomerKilledAnywhereInAJoinHoldsNothingOrEverythingAndARetrySucceeds() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] owner =
        MessageDigest.getInstance("SHA-256").digest("owner".getBytes(StandardCharsets.UTF_8));
    GatewayIdentity g = GatewayIdentity.ofBigEndianHex(MAGIC, GATEWAY);
    Path data = dir.resolve("service");
    Files.createDirectories(data);
    Path policy = data.resolve("cluster-policy.json");
    Files.write(
        policy,
        SignedPolicy.sign(
                new MeasurementPolicy(g, 1, true, Set.of(X, Y), List.of(), Set.of()), owner)
            .toJson());
    Path config = dir.resolve("nsl.yml");
    Files.writeString(
        config,
        "mode: simulation\ndataDir: " + data + "\nchain:\n  gatewayHash: \"" + GATEWAY + "\"\n");
    Clock clock = Clock.systemUTC();
    EvidenceVerifier verifier =
        new EvidenceVerifier(
            DcapQuoteVerifier.withIntelRoot(), AttestationPolicy.defaults(), q -> null, clock);
    ClusterTrust trust =
        new ClusterTrust(g, OwnerKey.ofPrivate(owner), io.nsl.cluster.PolicySource.file(policy));

    try (SimulatedEnclave a =
            SimulatedEnclave.open(dir.resolve("provider"), clock, new SecureRandom(), X);
        JoinServer server =
            new JoinServer(
                new InetSocketAddress("127.0.0.1", 0),
                new JoinProvider(
                    a, trust, verifier, new SeenJoins(clock, Duration.ofMinutes(5), 10_000)))) {
      ClusterKeys expected = a.initCluster();
      String url = "http://127.0.0.1:" + server.port();

      // One undisturbed run to learn how long a join takes here.
      long t0 = System.nanoTime();
      Process p = child(url, dir.resolve("n-first"), OwnerKey.ofPrivate(owner).hex(), config);
      assertEquals(0, p.waitFor(), "seed " + seed + ": see " + dir.resolve("n-first.log"));
      long full = (System.nanoTime() - t0) / 1_000_000;

      int before = 0;
      int after = 0;
      for (int round = 0; round < 6; round++) {
        Path n = dir.resolve("n" + round);
        // Most of a run is JVM start-up: aim the kills at its second half, where the join is.
        long killAt = (long) (full * (0.5 + 0.7 * random.nextDouble()));
        Process c = child(url, n, OwnerKey.ofPrivate(owner).hex(), config);
        Thread.sleep(killAt);
        c.destroyForcibly();
        c.waitFor(30, TimeUnit.SECONDS);
        try (SimulatedEnclave b = SimulatedEnclave.open(n, clock, new SecureRandom(), Y)) {
          Optional<ClusterKeys> held = b.clusterKeys();
          if (held.isPresent()) {
            after++;
            assertEquals(expected, held.get(), "seed " + seed + " round " + round + ": other keys");
          } else {
            before++;
          }
          ClusterKeys got =
              new Joiner(b, trust, verifier, clock)
                  .join(new HttpJoinTransport(url, Duration.ofSeconds(30)));
          assertEquals(expected, got, "seed " + seed + " round " + round + ": the retry");
        }
      }
      assertTrue(before + after == 6, "seed " + seed);
      System.out.printf(
          "JoinKillIT seed %d: a join takes %d ms here; %d kills left no keys, %d left the keys%n",
          seed, full, before, after);
    }
  }

  private Process child(String url, Path enclaveDir, String ownerHex, Path config)
      throws Exception {
    Path root = ProjectRoot.find();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dnsl.root=" + root);
    cmd.add("-cp");
    cmd.add(root.resolve("plugin/target/classes") + ":" + root.resolve("plugin/target/lib") + "/*");
    cmd.add("io.nsl.cli.Main");
    cmd.addAll(
        List.of(
            "cluster",
            "join",
            url,
            "--config",
            config.toString(),
            "--enclave-dir",
            enclaveDir.toString(),
            "--owner-key",
            ownerHex,
            "--network-magic",
            Long.toString(MAGIC),
            "--json"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put(SimulatedMeasurement.ENV, Y);
    return pb.redirectErrorStream(true)
        .redirectOutput(dir.resolve(enclaveDir.getFileName() + ".log").toFile())
        .start();
  }
}
