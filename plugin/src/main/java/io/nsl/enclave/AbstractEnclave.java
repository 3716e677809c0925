package io.nsl.enclave;

import io.nsl.enclave.internal.ClusterRing;
import io.nsl.enclave.internal.JoinCrypto;
import io.nsl.enclave.internal.KeyRing;
import io.nsl.enclave.internal.SealedKeyFile;
import io.nsl.enclave.internal.SealingKeySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What both implementations share: the sealed {@link KeyRing} life cycle, the key operations and
 * the integrity check. Subclasses supply the sealing key source and the attestation evidence.
 */
abstract sealed class AbstractEnclave implements Enclave permits SimulatedEnclave, OcclumEnclave {
  static final String SEALED_FILE = "keys.sealed";
  static final String CLUSTER_FILE = "cluster.sealed";
  private static final int MAX_RANDOM = 1 << 20;

  private final EnclaveMode mode;
  private final Path sealedFile;
  private final SealingKeySource sealing;
  protected final Clock clock;
  protected final SecureRandom random;
  private final KeyRing keys;
  private final Path clusterFile;
  private final Object clusterLock = new Object();
  private volatile ClusterRing cluster;
  private final String instanceId;
  private final boolean createdNow;
  private volatile boolean closed;

  AbstractEnclave(
      EnclaveMode mode, Path dataDir, SealingKeySource sealing, Clock clock, SecureRandom random) {
    this.mode = Objects.requireNonNull(mode);
    this.sealing = Objects.requireNonNull(sealing);
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
    this.sealedFile = dataDir.resolve(SEALED_FILE);
    if (Files.exists(sealedFile)) {
      this.keys = SealedKeyFile.read(sealedFile, sealing);
      this.createdNow = false;
    } else {
      this.keys = KeyRing.generate(random);
      SealedKeyFile.write(sealedFile, keys, sealing, random);
      this.createdNow = true;
    }
    this.clusterFile = dataDir.resolve(CLUSTER_FILE);
    this.cluster = Files.exists(clusterFile) ? readCluster(clusterFile, sealing) : null;
    this.instanceId = instanceIdPrefix(mode) + shortHash(keys.signingPublicKey());
  }

  private static String instanceIdPrefix(EnclaveMode mode) {
    return mode == EnclaveMode.SGX ? "sgx-" : "sim-";
  }

  /** True when this start created the keys (first start on this data folder). */
  public boolean keysCreatedAtStart() {
    return createdNow;
  }

  /** Where the sealed keys live. */
  public Path sealedKeyFile() {
    return sealedFile;
  }

  @Override
  public final EnclaveMode mode() {
    return mode;
  }

  @Override
  public final String instanceId() {
    return instanceId;
  }

  @Override
  public final byte[] signingPublicKey() {
    open("signingPublicKey");
    return keys.signingPublicKey();
  }

  @Override
  public final byte[] secretsPublicKey() {
    open("secretsPublicKey");
    ClusterRing c = cluster;
    return c != null ? c.secretsPublicKey(c.currentEpoch()) : keys.secretsPublicKey();
  }

  @Override
  public final byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    open("sign");
    return keys.sign(message);
  }

  @Override
  public final byte[] secretsKeyAgreement(byte[] peerPublicKey) {
    open("secretsKeyAgreement");
    ClusterRing c = cluster;
    return c != null
        ? c.secretsAgreement(c.currentEpoch(), peerPublicKey)
        : keys.secretsAgreement(peerPublicKey);
  }

  @Override
  public final byte[] deriveStorageKey(String purpose) {
    if (purpose == null || purpose.isEmpty()) {
      throw new IllegalArgumentException("purpose must be a non-empty label");
    }
    open("deriveStorageKey");
    ClusterRing c = cluster;
    return c != null ? c.deriveKey(c.currentEpoch(), purpose) : keys.deriveKey(purpose);
  }

  @Override
  public final byte[] randomBytes(int n) {
    if (n < 0 || n > MAX_RANDOM) {
      throw new IllegalArgumentException("n must be between 0 and " + MAX_RANDOM + ", got " + n);
    }
    open("randomBytes");
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  @Override
  public final Attestation attest(GatewayIdentity gateway) {
    Objects.requireNonNull(gateway, "gateway");
    open("attest");
    byte[] signingPub = keys.signingPublicKey();
    byte[] secretsPub = secretsPublicKey();
    byte[] reportData = ReportData.compute(gateway, signingPub, secretsPub);
    Instant now = clock.instant();
    byte[] evidence = makeEvidence(gateway, reportData, now);
    return new Attestation(
        mode, instanceId, signingPub, secretsPub, gateway, reportData, evidence, now);
  }

  /** The mode-specific evidence over {@code reportData}. */
  abstract byte[] makeEvidence(GatewayIdentity gateway, byte[] reportData, Instant createdAt);

  /** Mode-specific evidence over any report_data (see {@link Enclave#evidenceFor}). */
  abstract byte[] makeEvidence(byte[] reportData, Instant createdAt);

  @Override
  public final byte[] evidenceFor(byte[] reportData) {
    if (reportData == null || reportData.length != ReportData.LENGTH) {
      throw new IllegalArgumentException("reportData must be " + ReportData.LENGTH + " bytes");
    }
    open("evidenceFor");
    return makeEvidence(reportData.clone(), clock.instant());
  }

  @Override
  public final Optional<ClusterKeys> clusterKeys() {
    open("clusterKeys");
    ClusterRing c = clusterSealedMeanwhile();
    return c == null ? Optional.empty() : Optional.of(view(c));
  }

  @Override
  public final ClusterKeys initCluster() {
    open("initCluster");
    synchronized (clusterLock) {
      if (cluster == null) {
        ClusterRing ring = ClusterRing.fromKeyRing(keys);
        sealCluster(ring);
        cluster = ring;
      }
      return view(cluster);
    }
  }

  @Override
  public final int currentEpoch() {
    ClusterRing c = cluster;
    return c == null ? 0 : c.currentEpoch();
  }

  @Override
  public final byte[] deriveStorageKey(int epoch, String purpose) {
    if (purpose == null || purpose.isEmpty()) {
      throw new IllegalArgumentException("purpose must be a non-empty label");
    }
    open("deriveStorageKey");
    ClusterRing c = clusterSealedMeanwhile();
    if (c == null) {
      if (epoch != 0) {
        throw new ClusterStateException(
            "no key for cluster epoch " + epoch + ": this instance holds no cluster keys");
      }
      return keys.deriveKey(purpose);
    }
    if (!c.epochs().contains(epoch)) {
      throw new ClusterStateException(
          "no key for cluster epoch "
              + epoch
              + ": this instance holds epochs "
              + c.epochs()
              + " (a retired epoch, or cluster keys older than the data)");
    }
    return c.deriveKey(epoch, purpose);
  }

  @Override
  public final Optional<byte[]> secretsKeyAgreement(byte[] ownPublicKey, byte[] peerPublicKey) {
    Objects.requireNonNull(ownPublicKey, "ownPublicKey");
    open("secretsKeyAgreement");
    ClusterRing c = clusterSealedMeanwhile();
    if (c == null) {
      return Arrays.equals(ownPublicKey, keys.secretsPublicKey())
          ? Optional.of(keys.secretsAgreement(peerPublicKey))
          : Optional.empty();
    }
    int epoch = c.epochOf(ownPublicKey);
    return epoch < 0 ? Optional.empty() : Optional.of(c.secretsAgreement(epoch, peerPublicKey));
  }

  @Override
  public final ClusterKeys rotateCluster() {
    open("rotateCluster");
    synchronized (clusterLock) {
      ClusterRing c = clusterSealedMeanwhile();
      if (c == null) {
        throw new ClusterStateException(
            "this instance holds no cluster keys to rotate; run ./nsl cluster init first");
      }
      ClusterRing next;
      try {
        next = c.withNextEpoch(random);
      } catch (IllegalStateException e) {
        throw new ClusterStateException(e.getMessage());
      }
      sealCluster(next); // the commit point: a kill before it leaves the old ring, after it the new
      // The old ring is not destroyed: a thread may still be using it (its roots are copies).
      cluster = next;
      return view(next);
    }
  }

  @Override
  public final ClusterKeys retireEpoch(int epoch) {
    open("retireEpoch");
    synchronized (clusterLock) {
      ClusterRing c = clusterSealedMeanwhile();
      if (c == null) {
        throw new ClusterStateException("this instance holds no cluster keys; nothing to retire");
      }
      ClusterRing next;
      try {
        next = c.without(epoch);
      } catch (IllegalArgumentException e) {
        throw new ClusterStateException("cannot retire epoch " + epoch + ": " + e.getMessage());
      }
      sealCluster(next);
      // The old ring is not destroyed: a thread may still be using it (its roots are copies).
      cluster = next;
      return view(next);
    }
  }

  @Override
  public final JoinKey newJoinKey() {
    open("newJoinKey");
    return new JoinKey(JoinCrypto.newEphemeral(random));
  }

  @Override
  public final byte[] wrapClusterKeys(byte[] peerEphemeralPublicKey, byte[] aad) {
    Objects.requireNonNull(aad, "aad");
    open("wrapClusterKeys");
    ClusterRing c = clusterSealedMeanwhile();
    if (c == null) {
      throw new ClusterStateException(
          "this instance holds no cluster keys, so it cannot provide them; run ./nsl cluster init"
              + " on the first instance, or join it to the cluster first");
    }
    return JoinCrypto.wrap(c, peerEphemeralPublicKey, aad, random);
  }

  @Override
  public final ClusterKeys acceptClusterKeys(JoinKey key, byte[] wrapped, byte[] aad) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aad, "aad");
    open("acceptClusterKeys");
    ClusterRing ring;
    try {
      ring = JoinCrypto.unwrap(key.scalar(), wrapped, aad);
    } catch (JoinCrypto.UnwrapFailed e) {
      throw new ClusterKeysRejectedException(e.getMessage() + "; nothing was installed");
    }
    synchronized (clusterLock) {
      if (cluster != null) {
        if (ring.keepsEveryEpochOf(cluster) && !cluster.sameKeysAs(ring)) {
          // A member picks up the epochs a rotation made since it joined (docs/cluster.md).
          sealCluster(ring);
          cluster = ring;
          return view(ring);
        }
        boolean same = cluster.sameKeysAs(ring);
        ring.destroy();
        if (!same) {
          throw new ClusterStateException(
              "this instance already holds cluster keys (epochs "
                  + cluster.epochs()
                  + ") and was offered different ones (epochs "
                  + ring.epochs()
                  + "): an instance belongs to one cluster, and takes newer epochs only while"
                  + " they keep every epoch it holds (join before retiring an epoch elsewhere);"
                  + " start a newcomer on a fresh enclave data folder");
        }
        return view(cluster);
      }
      sealCluster(ring);
      cluster = ring;
      return view(ring);
    }
  }

  /**
   * The held ring; when there is none but cluster.sealed appeared since start ({@code ./nsl cluster
   * init} run beside a running service), loads it. Epoch 0 of a migration holds this instance's own
   * keys, so nothing changes for secrets or storage.
   */
  private ClusterRing clusterSealedMeanwhile() {
    ClusterRing c = cluster;
    if (c != null || !Files.exists(clusterFile)) {
      return c;
    }
    synchronized (clusterLock) {
      if (cluster == null) {
        cluster = readCluster(clusterFile, sealing);
      }
      return cluster;
    }
  }

  private void sealCluster(ClusterRing ring) {
    byte[] plain = ring.serialize();
    try {
      SealedKeyFile.seal(clusterFile, plain, sealing, random, true);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static ClusterRing readCluster(Path file, SealingKeySource sealing) {
    byte[] plain = SealedKeyFile.unseal(file, sealing, 3);
    try {
      return ClusterRing.deserialize(plain);
    } catch (IllegalArgumentException e) {
      throw new SealedStateException(
          "the sealed cluster key file "
              + file
              + " holds no valid cluster ring: "
              + e.getMessage());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static ClusterKeys view(ClusterRing c) {
    List<ClusterKeys.EpochKey> epochs =
        c.epochs().stream().map(e -> new ClusterKeys.EpochKey(e, c.secretsPublicKey(e))).toList();
    return new ClusterKeys(c.currentEpoch(), epochs);
  }

  @Override
  public IntegrityReport integrityCheck() {
    Instant now = clock.instant();
    if (closed) {
      return new IntegrityReport(false, mode, "-", "the enclave is closed", now);
    }
    String measurement;
    try {
      measurement = measurement();
    } catch (RuntimeException e) {
      return new IntegrityReport(
          false, mode, "-", "cannot read own measurement: " + e.getMessage(), now);
    }
    KeyRing onDisk;
    try {
      onDisk = SealedKeyFile.read(sealedFile, sealing);
    } catch (RuntimeException e) {
      return new IntegrityReport(false, mode, measurement, e.getMessage(), now);
    }
    try {
      boolean same =
          Arrays.equals(onDisk.signingPublicKey(), keys.signingPublicKey())
              && Arrays.equals(onDisk.secretsPublicKey(), keys.secretsPublicKey());
      return new IntegrityReport(
          same,
          mode,
          measurement,
          same
              ? "sealed keys on disk unseal to the keys in memory"
              : "the sealed key file " + sealedFile + " now holds different keys than at start",
          now);
    } finally {
      onDisk.destroy();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      keys.destroy();
    }
  }

  final void open(String operation) {
    if (closed) {
      throw new EnclaveClosedException(operation);
    }
  }

  static String shortHash(byte[] data) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(data);
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
