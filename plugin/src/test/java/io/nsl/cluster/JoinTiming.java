package io.nsl.cluster;

import io.nsl.cluster.ClusterFixture.HostFile;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.OcclumEnclave;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.SyntheticSgxPlatform;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Measures how long a join takes (not a test: {@code java -cp ... io.nsl.cluster.JoinTiming N}).
 * Each join is a fresh newcomer: ephemeral key, evidence, the provider's checks and evidence,
 * wrapping, the newcomer's checks, unwrapping and sealing.
 */
public final class JoinTiming {
  private JoinTiming() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("join-timing");
    Clock clock = Clock.fixed(SyntheticSgxPlatform.AT, ZoneOffset.UTC);
    String x = SyntheticSgxPlatform.measurement("x");
    String y = SyntheticSgxPlatform.measurement("y");

    // SIMULATED, over HTTP on loopback.
    byte[] simPolicy =
        SignedPolicy.sign(
                ClusterFixture.policy(ClusterFixture.GATEWAY, 1, true, Set.of(x, y), Set.of()),
                ClusterFixture.OWNER)
            .toJson();
    EvidenceVerifier simV = ClusterFixture.simulatedVerifier(clock);
    run(
        "SIMULATED, HTTP loopback",
        n,
        dir.resolve("sim"),
        (d, i) -> SimulatedEnclave.open(d, clock, new SecureRandom(), i == 0 ? x : y),
        simPolicy,
        simV,
        clock,
        true);

    // SGX on the emulated platform: synthetic-PKI quotes checked by the DCAP verifier with
    // collateral, on both sides.
    SyntheticSgxPlatform platform = SyntheticSgxPlatform.create("timing cpu");
    byte[] sgxPolicy =
        SignedPolicy.sign(
                ClusterFixture.policy(ClusterFixture.GATEWAY, 1, false, Set.of(x, y), Set.of()),
                ClusterFixture.OWNER)
            .toJson();
    EvidenceVerifier sgxV =
        new EvidenceVerifier(
            platform.verifier(),
            new AttestationPolicy(
                false, Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, true, null),
            q -> platform.collateral(),
            clock);
    run(
        "SGX (emulated, DCAP + collateral both ways), in process",
        n,
        dir.resolve("sgx"),
        (d, i) ->
            OcclumEnclave.open(
                d, platform.device(i == 0 ? x : y, false), clock, new SecureRandom()),
        sgxPolicy,
        sgxV,
        clock,
        false);
  }

  private static void run(
      String what,
      int n,
      Path dir,
      BiFunction<Path, Integer, Enclave> open,
      byte[] policy,
      EvidenceVerifier verifier,
      Clock clock,
      boolean http) {
    try (Enclave a = open.apply(dir.resolve("a"), 0)) {
      a.initCluster();
      JoinProvider p =
          new JoinProvider(
              a,
              new ClusterTrust(
                  ClusterFixture.GATEWAY, ClusterFixture.OWNER_KEY, new HostFile(policy)),
              verifier,
              new SeenJoins(clock, Duration.ofMinutes(5), 1_000_000));
      try (JoinServer server = new JoinServer(new InetSocketAddress("127.0.0.1", 0), p)) {
        JoinTransport t =
            http
                ? new HttpJoinTransport("http://127.0.0.1:" + server.port(), Duration.ofSeconds(30))
                : p::handle;
        long[] ms = new long[n];
        for (int i = -5; i < n; i++) { // 5 warm-up joins
          try (Enclave b = open.apply(dir.resolve("b" + i), 1)) {
            Joiner j =
                new Joiner(
                    b,
                    new ClusterTrust(
                        ClusterFixture.GATEWAY, ClusterFixture.OWNER_KEY, new HostFile(policy)),
                    verifier,
                    clock);
            long t0 = System.nanoTime();
            j.join(t);
            if (i >= 0) {
              ms[i] = System.nanoTime() - t0;
            }
          }
        }
        Arrays.sort(ms);
        System.out.printf(
            "%s: %d joins, median %.1f ms, p95 %.1f ms%n",
            what, n, ms[n / 2] / 1e6, ms[(int) (n * 0.95)] / 1e6);
      }
    }
  }
}
