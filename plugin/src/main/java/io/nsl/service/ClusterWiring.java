package io.nsl.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.cluster.ClusterTrust;
import io.nsl.cluster.EvidenceVerifier;
import io.nsl.cluster.HttpJoinTransport;
import io.nsl.cluster.JoinProvider;
import io.nsl.cluster.JoinRefusedException;
import io.nsl.cluster.JoinServer;
import io.nsl.cluster.Joiner;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.PolicySource;
import io.nsl.cluster.Rotation;
import io.nsl.cluster.RotationAdmin;
import io.nsl.cluster.SeenJoins;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.ClusterStateException;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.secrets.SecretWrongEnclaveException;
import io.nsl.secrets.SecretsKey;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageKeyProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
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

  /** Tries of a join through a provider that answers with a retryable refusal, in all. */
  static final int JOIN_ATTEMPTS = 10;

  /** The pause between two tries of a join. */
  static final Duration JOIN_RETRY_DELAY = Duration.ofSeconds(2);

  private static final String ADMIN_FILE = "cluster-admin.json";

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

  /** The operator's collateral file ({@code --cluster-collateral}), read and parsed, if given. */
  static Optional<Collateral> collateral(ClusterOptions o) {
    return o.collateralFile().map(ClusterWiring::readCollateral);
  }

  private static Collateral readCollateral(Path f) {
    try {
      return Collateral.fromPccsJson(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ServiceConfig.InvalidConfig("cannot read collateral " + f + ": " + e.getMessage());
    }
  }

  /** What {@link #start} started: the cluster port's server, when one was asked for. */
  public record Started(Optional<JoinServer> server) implements AutoCloseable {
    @Override
    public void close() {
      server.ifPresent(JoinServer::close);
    }
  }

  /**
   * Joins when {@code o} asks for it and this instance holds no cluster keys yet; then starts the
   * join endpoint when a port is given. Returns what to close at shutdown.
   *
   * @throws JoinRefusedException when the join is refused (the service does not start)
   */
  public static Started start(
      Enclave enclave, GatewayIdentity gateway, Path dataDir, ClusterOptions o, Clock clock) {
    if (!o.enabled()) {
      return new Started(Optional.empty());
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
      return new Started(Optional.empty());
    }
    return new Started(
        Optional.of(
            new JoinServer(
                new InetSocketAddress(o.bind(), o.port().get()),
                new JoinProvider(
                    enclave,
                    trust,
                    verifier,
                    new SeenJoins(clock, SeenJoins.DEFAULT_WINDOW, SeenJoins.DEFAULT_CAPACITY)))));
  }

  /** The file {@code ./nsl cluster rotate} reads the admin URL and token from. */
  public static Path adminFile(Path dataDir) {
    return dataDir.resolve(ADMIN_FILE);
  }

  /**
   * The storage key provider over the enclave's cluster epochs: new records under the current
   * epoch, each record opened with the key of the epoch it is tagged with (decision 0502).
   */
  public static StorageKeyProvider storageKeys(Enclave enclave) {
    return new StorageKeyProvider() {
      @Override
      public byte[] deriveStorageKey(String purpose) {
        return enclave.deriveStorageKey(purpose);
      }

      @Override
      public int currentEpoch() {
        return enclave.currentEpoch();
      }

      @Override
      public byte[] deriveStorageKey(int epoch, String purpose) {
        try {
          return enclave.deriveStorageKey(epoch, purpose);
        } catch (ClusterStateException e) {
          throw new StorageKeyMismatchException(e.getMessage(), e);
        }
      }
    };
  }

  /** The secrets key over every live cluster epoch (envelopes for an older epoch still open). */
  public static SecretsKey secretsKey(Enclave enclave) {
    return new SecretsKey() {
      @Override
      public byte[] publicKey() {
        return enclave.secretsPublicKey();
      }

      @Override
      public byte[] agree(byte[] peer) {
        return enclave.secretsKeyAgreement(peer);
      }

      @Override
      public boolean holds(byte[] publicKey) {
        Optional<ClusterKeys> k = enclave.clusterKeys();
        if (k.isEmpty()) {
          return java.util.Arrays.equals(publicKey, enclave.secretsPublicKey());
        }
        return k.get().epochs().stream()
            .anyMatch(e -> java.util.Arrays.equals(e.secretsPublicKey(), publicKey));
      }

      @Override
      public byte[] agree(byte[] ownPublicKey, byte[] peer) {
        return enclave
            .secretsKeyAgreement(ownPublicKey, peer)
            .orElseThrow(
                () ->
                    new SecretWrongEnclaveException(
                        "the envelope's secrets key was retired while it was being applied; build"
                            + " the envelope again for the current key"));
      }
    };
  }

  /**
   * Builds the rotation over the open store, resumes a move a crash interrupted, and, when {@code
   * started} serves a cluster port, serves the rotation operations there and writes their URL and a
   * fresh token to {@link #adminFile} (owner-only). Returns what to close at shutdown.
   */
  public static AutoCloseable startRotation(
      Enclave enclave,
      PersistentStorageService storage,
      Started started,
      Path dataDir,
      ClusterOptions o,
      Clock clock) {
    Rotation rotation = new Rotation(enclave, storage, o.rotationBatch(), clock);
    rotation.resumeIfNeeded();
    if (started.server().isEmpty()) {
      return rotation;
    }
    JoinServer server = started.server().get();
    byte[] token = enclave.randomBytes(32);
    String host = o.bind().equals("0.0.0.0") || o.bind().equals("::") ? "127.0.0.1" : o.bind();
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("url", "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port());
    n.put("token", HexFormat.of().formatHex(token));
    writeOwnerOnly(adminFile(dataDir), n.toString().getBytes(StandardCharsets.UTF_8));
    server.serveAdmin(new RotationAdmin(rotation, enclave, token));
    java.util.Arrays.fill(token, (byte) 0);
    return () -> {
      rotation.close();
      Files.deleteIfExists(adminFile(dataDir));
    };
  }

  private static void writeOwnerOnly(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ServiceConfig.InvalidConfig("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * Joins through {@code o}'s URL even when this instance already holds cluster keys: a member that
   * joined before a rotation takes the newer epochs this way ({@code ./nsl cluster join}).
   *
   * @throws JoinRefusedException when the join is refused
   */
  public static ClusterKeys joinNow(
      Enclave enclave, GatewayIdentity gateway, Path dataDir, ClusterOptions o, Clock clock) {
    String url = o.joinUrl().orElseThrow(() -> new IllegalArgumentException("no join URL given"));
    join(new Joiner(enclave, trust(gateway, dataDir, o), verifier(o, clock), clock), url);
    return enclave.clusterKeys().orElseThrow();
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
        log.warn(
            "join attempt {} failed ({}); retrying in {} s",
            attempt,
            e.getMessage(),
            JOIN_RETRY_DELAY.toSeconds());
        try {
          Thread.sleep(JOIN_RETRY_DELAY);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
