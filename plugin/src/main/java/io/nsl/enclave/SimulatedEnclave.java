package io.nsl.enclave;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.enclave.internal.FileSealingKeySource;
import io.nsl.enclave.internal.SealedKeyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Enclave} with no hardware behind it, for the demo, tests and development.
 *
 * <p>Keys are sealed (AES-256-GCM) into {@code <dataDir>/keys.sealed} with a key kept in {@code
 * <dataDir>/seal.key}; both files are mode 0600, the folder 0700. The same data folder gives the
 * same keys after a restart. Anyone who can read the folder has the private keys.
 *
 * <p>Every attestation it makes has {@link EnclaveMode#SIMULATED} as its mode and a JSON evidence
 * document whose {@code "mode"} is {@code "SIMULATED"} and whose {@code "warning"} says it in
 * words. Opening one logs a loud warning.
 *
 * <p>Thread-safe.
 */
public final class SimulatedEnclave extends AbstractEnclave {
  /** The {@code "format"} of the simulated evidence document. */
  public static final String EVIDENCE_FORMAT = "NSL-SIMULATED-ATTESTATION-v1";

  /** Prefix of the message the proof-of-possession signature covers (then the report_data). */
  public static final String POP_TAG = "NSL-SIMULATED-POP-v1";

  static final String SEAL_KEY_FILE = "seal.key";
  static final String WARNING =
      "SIMULATED ENCLAVE: NO HARDWARE PROTECTION. The private keys are in a plain file on the"
          + " operator's disk. Never register these keys on a production gateway.";
  private static final Logger log = LoggerFactory.getLogger(SimulatedEnclave.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String measurement;

  private SimulatedEnclave(Path dataDir, Clock clock, SecureRandom random, String measurement) {
    super(
        EnclaveMode.SIMULATED,
        dataDir,
        new FileSealingKeySource(dataDir.resolve(SEAL_KEY_FILE), random),
        clock,
        random);
    this.measurement = measurement;
  }

  /**
   * Opens (first time: creates) the simulated enclave in {@code dataDir}, creating the folder.
   *
   * @throws SealedStateException when sealed keys exist but cannot be unsealed
   * @throws EnclaveStorageException when the folder cannot be read or written
   */
  public static SimulatedEnclave open(Path dataDir, Clock clock) {
    return open(dataDir, clock, new SecureRandom());
  }

  /**
   * As {@link #open(Path, Clock)}, with the random source given (tests). The measurement comes from
   * the process environment ({@link SimulatedMeasurement#from}).
   */
  public static SimulatedEnclave open(Path dataDir, Clock clock, SecureRandom random) {
    return open(dataDir, clock, random, SimulatedMeasurement.from(System.getenv()));
  }

  /**
   * As {@link #open(Path, Clock)} with a given measurement (64 hex digits): tests run two "builds"
   * in one process this way.
   */
  public static SimulatedEnclave open(
      Path dataDir, Clock clock, SecureRandom random, String measurementHex) {
    String m = SimulatedMeasurement.checkHex(measurementHex, "measurement");
    SealedKeyFile.ensureDirectory(dataDir);
    SimulatedEnclave e = new SimulatedEnclave(dataDir, clock, random, m);
    log.warn("****************************************************************************");
    log.warn("* {}", WARNING);
    log.warn(
        "* instance {} ({} keys in {})",
        e.instanceId(),
        e.keysCreatedAtStart() ? "new" : "unsealed",
        dataDir.toAbsolutePath());
    log.warn("****************************************************************************");
    return e;
  }

  @Override
  byte[] makeEvidence(GatewayIdentity gateway, byte[] reportData, Instant createdAt) {
    return evidence(gateway, reportData, createdAt);
  }

  @Override
  byte[] makeEvidence(byte[] reportData, Instant createdAt) {
    return evidence(null, reportData, createdAt);
  }

  /**
   * The evidence document: with a gateway (an attestation) it also names the gateway and the
   * secrets key; without (evidence for a join's report data) it does not.
   */
  private byte[] evidence(GatewayIdentity gateway, byte[] reportData, Instant createdAt) {
    HexFormat hex = HexFormat.of();
    byte[] tag = POP_TAG.getBytes(StandardCharsets.US_ASCII);
    byte[] popMessage = new byte[tag.length + reportData.length];
    System.arraycopy(tag, 0, popMessage, 0, tag.length);
    System.arraycopy(reportData, 0, popMessage, tag.length, reportData.length);
    ObjectNode doc = JSON.createObjectNode();
    doc.put("format", EVIDENCE_FORMAT);
    doc.put("mode", EnclaveMode.SIMULATED.name());
    doc.put("warning", WARNING);
    doc.put("instanceId", instanceId());
    doc.put("measurement", measurement);
    if (gateway != null) {
      doc.put("networkMagic", gateway.networkMagic());
      doc.put("gatewayScriptHash", gateway.gatewayScriptHashBEHex());
    }
    doc.put("signingPublicKey", hex.formatHex(signingPublicKey()));
    if (gateway != null) {
      doc.put("secretsPublicKey", hex.formatHex(secretsPublicKey()));
    }
    doc.put("reportData", hex.formatHex(reportData));
    doc.put("createdAt", createdAt.toString());
    doc.put("proofOfPossession", hex.formatHex(sign(popMessage)));
    return doc.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String measurement() {
    return measurement;
  }
}
