package io.nsl.enclave;

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
import java.util.Objects;

/**
 * What both implementations share: the sealed {@link KeyRing} life cycle, the key operations and
 * the integrity check. Subclasses supply the sealing key source and the attestation evidence.
 */
abstract sealed class AbstractEnclave implements Enclave permits SimulatedEnclave, OcclumEnclave {
  static final String SEALED_FILE = "keys.sealed";
  private static final int MAX_RANDOM = 1 << 20;

  private final EnclaveMode mode;
  private final Path sealedFile;
  private final SealingKeySource sealing;
  protected final Clock clock;
  protected final SecureRandom random;
  private final KeyRing keys;
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
    return keys.secretsPublicKey();
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
    return keys.secretsAgreement(peerPublicKey);
  }

  @Override
  public final byte[] deriveStorageKey(String purpose) {
    if (purpose == null || purpose.isEmpty()) {
      throw new IllegalArgumentException("purpose must be a non-empty label");
    }
    open("deriveStorageKey");
    return keys.deriveKey(purpose);
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
    byte[] secretsPub = keys.secretsPublicKey();
    byte[] reportData = ReportData.compute(gateway, signingPub, secretsPub);
    Instant now = clock.instant();
    byte[] evidence = makeEvidence(gateway, reportData, now);
    return new Attestation(
        mode, instanceId, signingPub, secretsPub, gateway, reportData, evidence, now);
  }

  /** The mode-specific evidence over {@code reportData}. */
  abstract byte[] makeEvidence(GatewayIdentity gateway, byte[] reportData, Instant createdAt);

  /** The running code's measurement (hex), or a fixed word when there is none. */
  abstract String measurement();

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
