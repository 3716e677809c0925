package io.nsl.enclave.dcap;

import io.nsl.enclave.dcap.SyntheticPki.PlatformTcb;
import io.nsl.enclave.internal.SgxDevice;
import io.nsl.enclave.internal.SgxStructs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One emulated SGX machine for tests outside this package: a {@link SyntheticPki} standing in for
 * Intel's, collateral signed by it, and emulated /dev/sgx devices for enclaves of any MRENCLAVE
 * whose quotes are genuinely signed through that PKI (so {@link #verifier()} checks them as it
 * checks Intel's). EGETKEY is HMAC(cpu secret, MRENCLAVE ‖ request), bound to the measurement as
 * the hardware's key is.
 */
public final class SyntheticSgxPlatform {
  /** The time collateral and certificates are current at: use a clock fixed here. */
  public static final Instant AT = SyntheticPkiVerifierTest.AT;

  private static final int[] UP_TO_DATE = SyntheticPkiVerifierTest.UP_TO_DATE;

  private final SyntheticPki pki;
  private final Collateral collateral;
  private final byte[] cpuSecret;

  private SyntheticSgxPlatform(String cpu) {
    pki =
        SyntheticPki.create(
            new PlatformTcb(
                SyntheticPkiVerifierTest.FMSPC, SyntheticPkiVerifierTest.PCE_ID, UP_TO_DATE, 13));
    collateral =
        SyntheticCollateral.signed(
            pki,
            SyntheticCollateral.tcbInfo(
                SyntheticPkiVerifierTest.FMSPC,
                SyntheticPkiVerifierTest.PCE_ID,
                SyntheticPkiVerifierTest.ISSUED,
                SyntheticPkiVerifierTest.NEXT,
                SyntheticPkiVerifierTest.TCB_LEVELS),
            SyntheticCollateral.qeIdentity(
                SyntheticPkiVerifierTest.ISSUED,
                SyntheticPkiVerifierTest.NEXT,
                SyntheticPkiVerifierTest.QE_LEVELS),
            pki.rootCrl(SyntheticPkiVerifierTest.ISSUED, SyntheticPkiVerifierTest.NEXT),
            pki.pckCrl(SyntheticPkiVerifierTest.ISSUED, SyntheticPkiVerifierTest.NEXT));
    cpuSecret = cpu.getBytes(StandardCharsets.UTF_8);
  }

  /** A platform whose CPU seal secret is derived from {@code cpu}. */
  public static SyntheticSgxPlatform create(String cpu) {
    return new SyntheticSgxPlatform(cpu);
  }

  /** A verifier that trusts this platform's PKI root (and not Intel's). */
  public DcapQuoteVerifier verifier() {
    return pki.verifier();
  }

  /** Current collateral for this platform. */
  public Collateral collateral() {
    return collateral;
  }

  /** A 32-byte measurement named by {@code name} (SHA-256 of it), in hex. */
  public static String measurement(String name) {
    return HexFormat.of().formatHex(SyntheticQuote.sha256(name.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A device for an enclave of MRENCLAVE {@code mrEnclaveHex}, signer "nsl", product 1, SVN 1.
   *
   * @param debug whether the enclave is built debuggable
   */
  public SgxDevice device(String mrEnclaveHex, boolean debug) {
    byte[] mr = HexFormat.of().parseHex(mrEnclaveHex);
    byte[] signer = SyntheticQuote.sha256("nsl".getBytes(StandardCharsets.UTF_8));
    long flags = debug ? 0x07 : 0x05;
    return new Device(this, mr, signer, flags);
  }

  private static final class Device implements SgxDevice {
    private final SyntheticSgxPlatform platform;
    private final byte[] mrEnclave;
    private final byte[] mrSigner;
    private final long flags;

    Device(SyntheticSgxPlatform platform, byte[] mrEnclave, byte[] mrSigner, long flags) {
      this.platform = platform;
      this.mrEnclave = mrEnclave;
      this.mrSigner = mrSigner;
      this.flags = flags;
    }

    private byte[] body(byte[] reportData) {
      return SyntheticQuote.reportBody(mrEnclave, mrSigner, 1, 1, flags, reportData);
    }

    @Override
    public byte[] selfReport() {
      return Arrays.copyOf(body(new byte[64]), SgxStructs.REPORT_SIZE);
    }

    @Override
    public byte[] getKey(byte[] req) {
      ByteBuffer b = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);
      if (req.length != 512 || b.getShort(0) != 4 || b.getShort(2) != 1) {
        throw new IllegalArgumentException("emulated EGETKEY supports SEAL/MRENCLAVE only");
      }
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(platform.cpuSecret, "HmacSHA256"));
        mac.update(mrEnclave);
        mac.update(req, 4, 74);
        return Arrays.copyOf(mac.doFinal(), 16);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public byte[] dcapQuote(byte[] reportData) {
      return SyntheticQuote.v3(
          platform.pki,
          10,
          13,
          body(reportData),
          SyntheticQuote.intelQeReportBody(10),
          new byte[32]);
    }

    @Override
    public void close() {}
  }
}
