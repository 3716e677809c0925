package io.nsl.enclave;

import io.nsl.enclave.internal.OcclumSgxDevice;
import io.nsl.enclave.internal.SealedKeyFile;
import io.nsl.enclave.internal.SgxDevice;
import io.nsl.enclave.internal.SgxSealingKeySource;
import io.nsl.enclave.internal.SgxStructs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Enclave} inside an Occlum SGX enclave.
 *
 * <p>Keys are sealed into {@code <dataDir>/keys.sealed} with an SGX seal key of policy MRENCLAVE
 * (see {@code SgxSealingKeySource}); evidence is a DCAP quote from Occlum's /dev/sgx whose
 * report_data is {@link ReportData#compute}. Refuses to start unless /dev/sgx opens and the process
 * runs inside Occlum; logs a loud warning when the enclave is debuggable (its quotes are then
 * refused by {@code AttestationPolicy}).
 *
 * <p>Not run on SGX hardware by the project's CI: see occlum/README.md for what was verified and
 * how.
 *
 * <p>Thread-safe.
 */
public final class OcclumEnclave extends AbstractEnclave {
  private static final Logger log = LoggerFactory.getLogger(OcclumEnclave.class);

  private final SgxDevice device;
  private final byte[] ownReportBody;

  private OcclumEnclave(
      Path dataDir, SgxDevice device, byte[] reportBody, Clock clock, SecureRandom random) {
    super(EnclaveMode.SGX, dataDir, new SgxSealingKeySource(device, random), clock, random);
    this.device = device;
    this.ownReportBody = reportBody;
  }

  /**
   * Opens the enclave on Occlum's /dev/sgx.
   *
   * @throws EnclaveUnavailableException when not inside Occlum on SGX hardware
   */
  public static OcclumEnclave open(Path dataDir, Clock clock) {
    if (!"yes".equals(System.getenv("OCCLUM"))) {
      throw new EnclaveUnavailableException(
          "SGX mode runs only inside an Occlum enclave (environment OCCLUM=yes, set by"
              + " occlum/Occlum.json, is missing); start it with occlum/run, or use simulation"
              + " mode");
    }
    if (!Files.exists(Path.of(OcclumSgxDevice.DEVICE))) {
      throw new EnclaveUnavailableException(
          OcclumSgxDevice.DEVICE
              + " is missing: this Occlum build has no SGX device (simulation"
              + " build?); run on SGX hardware with occlum/run");
    }
    OcclumSgxDevice device = OcclumSgxDevice.open();
    if (!device.dcapDriverInstalled()) {
      log.warn("Occlum reports no DCAP driver on the host: quotes will fail");
    }
    return open(dataDir, device, clock, new SecureRandom());
  }

  /**
   * Opens the enclave on {@code device}: the hardware one, or an emulation in tests. Takes
   * ownership of the device.
   */
  public static OcclumEnclave open(
      Path dataDir, SgxDevice device, Clock clock, SecureRandom random) {
    byte[] body = SgxStructs.reportBody(device.selfReport());
    SealedKeyFile.ensureDirectory(dataDir);
    OcclumEnclave e = new OcclumEnclave(dataDir, device, body, clock, random);
    log.info(
        "SGX enclave {} started, MRENCLAVE {} ({} keys)",
        e.instanceId(),
        e.measurement(),
        e.keysCreatedAtStart() ? "new" : "unsealed");
    if (e.debuggable()) {
      log.warn("**********************************************************************");
      log.warn("* THIS SGX ENCLAVE IS DEBUGGABLE: the host can read its memory.");
      log.warn("* Its quotes are refused by NSL's attestation policy. Build with");
      log.warn("* \"debuggable\": false in occlum/Occlum.json for production.");
      log.warn("**********************************************************************");
    }
    return e;
  }

  /** attributes.flags DEBUG of this enclave. */
  public boolean debuggable() {
    long flags = ByteBuffer.wrap(ownReportBody).order(ByteOrder.LITTLE_ENDIAN).getLong(48);
    return (flags & 0x2L) != 0;
  }

  @Override
  public String measurement() {
    return HexFormat.of().formatHex(ownReportBody, 64, 96);
  }

  @Override
  public IntegrityReport integrityCheck() {
    IntegrityReport base = super.integrityCheck();
    if (!base.intact()) {
      return base;
    }
    // Re-read the report: the measurement must not have changed under us.
    byte[] now = SgxStructs.reportBody(device.selfReport());
    boolean same =
        MessageDigest.isEqual(
            Arrays.copyOfRange(now, 64, 96), Arrays.copyOfRange(ownReportBody, 64, 96));
    return same
        ? base
        : new IntegrityReport(
            false,
            mode(),
            measurement(),
            "MRENCLAVE changed since start: " + HexFormat.of().formatHex(now, 64, 96),
            base.checkedAt());
  }

  @Override
  byte[] makeEvidence(GatewayIdentity gateway, byte[] reportData, Instant createdAt) {
    return makeEvidence(reportData, createdAt);
  }

  @Override
  byte[] makeEvidence(byte[] reportData, Instant createdAt) {
    byte[] quote = trim(device.dcapQuote(reportData));
    // The quote must carry exactly the report_data asked for (report body offset 48 + 320).
    if (quote.length < 432
        || !MessageDigest.isEqual(Arrays.copyOfRange(quote, 368, 432), reportData)) {
      throw new AttestationException(
          "the DCAP quote from "
              + OcclumSgxDevice.DEVICE
              + " does not carry the requested"
              + " report_data; refusing to hand it out");
    }
    return quote;
  }

  /** Cuts padding after the quote's own length (signature data length at offset 432). */
  static byte[] trim(byte[] quote) {
    if (quote.length < 436) {
      return quote;
    }
    long sigLen =
        Integer.toUnsignedLong(ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN).getInt(432));
    long total = 436 + sigLen;
    return total < quote.length ? Arrays.copyOf(quote, (int) total) : quote;
  }

  @Override
  public void close() {
    super.close();
    device.close();
  }
}
