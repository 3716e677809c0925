package io.nsl.service;

import io.nsl.cluster.ClusterTrust;
import io.nsl.cluster.EvidenceVerifier;
import io.nsl.cluster.HttpJoinTransport;
import io.nsl.cluster.JoinProvider;
import io.nsl.cluster.JoinRefusedException;
import io.nsl.cluster.JoinServer;
import io.nsl.cluster.Joiner;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.PolicySource;
import io.nsl.cluster.SeenJoins;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the cluster part of the service from {@link ClusterOptions}: joins through a provider when
 * asked (before storage opens, so storage uses the cluster's root secret), and serves the join
 * endpoint. Part of the composition root.
 */
public final class ClusterWiring {
  private static final Logger log = LoggerFactory.getLogger(ClusterWiring.class);
  private static final int JOIN_ATTEMPTS = 10;

  private ClusterWiring() {}

  public static ClusterTrust trust(GatewayIdentity gateway, Path dataDir, ClusterOptions o) {
    String hex =
        o.ownerKeyHex()
            .orElseThrow(
                () ->
                    new ServiceConfig.InvalidConfig(
                        "cluster membership needs the gateway owner's public key pinned in "
                            + ClusterOptions.OWNER_KEY_ENV
                            + " (66 hex digits; in SGX set it in occlum/Occlum.json env.default"
                            + " so that it is part of the measurement)"));
    OwnerKey owner;
    try {
      owner = OwnerKey.ofHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ServiceConfig.InvalidConfig(ClusterOptions.OWNER_KEY_ENV + ": " + e.getMessage());
    }
    return new ClusterTrust(
        gateway, owner, PolicySource.file(o.policyFile().orElse(defaultPolicyFile(dataDir))));
  }

  public static Path defaultPolicyFile(Path dataDir) {
    return dataDir.resolve("cluster-policy.json");
  }

  public static EvidenceVerifier verifier(ClusterOptions o, Clock clock) {
    Optional<Collateral> collateral = o.collateralFile().map(ClusterWiring::readCollateral);
    return new EvidenceVerifier(
        DcapQuoteVerifier.withIntelRoot(),
        AttestationPolicy.defaults(),
        q -> collateral.orElse(null),
        clock);
  }

  private static Collateral readCollateral(Path f) {
    try {
      return Collateral.fromPccsJson(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ServiceConfig.InvalidConfig("cannot read collateral " + f + ": " + e.getMessage());
    }
  }

  /**
   * Joins when {@code o} asks for it and this instance holds no cluster keys yet; then starts the
   * join endpoint when a port is given. Returns what to close at shutdown.
   *
   * @throws JoinRefusedException when the join is refused (the service does not start)
   */
  public static AutoCloseable start(
      Enclave enclave, GatewayIdentity gateway, Path dataDir, ClusterOptions o, Clock clock) {
    if (!o.enabled()) {
      return () -> {};
    }
    ClusterTrust trust = trust(gateway, dataDir, o);
    EvidenceVerifier verifier = verifier(o, clock);
    if (o.joinUrl().isPresent()) {
      Optional<ClusterKeys> held = enclave.clusterKeys();
      if (held.isPresent()) {
        log.info(
            "this instance already holds cluster keys (current epoch {}); not joining again",
            held.get().currentEpoch());
      } else {
        join(new Joiner(enclave, trust, verifier, clock), o.joinUrl().get());
      }
    }
    if (o.port().isEmpty()) {
      return () -> {};
    }
    return new JoinServer(
        new InetSocketAddress(o.bind(), o.port().get()),
        new JoinProvider(
            enclave, trust, verifier, new SeenJoins(clock, Duration.ofMinutes(5), 10_000)));
  }

  private static void join(Joiner joiner, String url) {
    HttpJoinTransport http = new HttpJoinTransport(url, Duration.ofSeconds(30));
    for (int attempt = 1; ; attempt++) {
      try {
        ClusterKeys k = joiner.join(http);
        log.info("joined the cluster through {}: current epoch {}", url, k.currentEpoch());
        return;
      } catch (JoinRefusedException e) {
        if (!e.retryable() || attempt >= JOIN_ATTEMPTS) {
          throw e;
        }
        log.warn("join attempt {} failed ({}); retrying in 2 s", attempt, e.getMessage());
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
