package io.nsl.enclave;

import io.nsl.enclave.internal.SgxDevice;
import io.nsl.enclave.internal.SgxStructs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An emulation of Occlum's /dev/sgx for tests: EGETKEY is HMAC(cpu secret, MRENCLAVE ‖ request
 * fields), so the key depends on the enclave measurement and the request exactly as the hardware's
 * does; quotes are a recorded quote with the requested report_data written in (its signature is
 * then no longer valid, which these tests do not need).
 */
final class EmulatedSgxDevice implements SgxDevice {
  private final byte[] reportBody;
  private final byte[] cpuSecret;
  private final byte[] quoteTemplate;
  boolean writeReportData = true;
  boolean closed;

  EmulatedSgxDevice(byte[] reportBody, byte[] cpuSecret, byte[] quoteTemplate) {
    this.reportBody = reportBody.clone();
    this.cpuSecret = cpuSecret.clone();
    this.quoteTemplate = quoteTemplate.clone();
  }

  @Override
  public byte[] selfReport() {
    return Arrays.copyOf(reportBody, SgxStructs.REPORT_SIZE);
  }

  @Override
  public byte[] getKey(byte[] req) {
    ByteBuffer b = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);
    if (req.length != 512 || b.getShort(0) != 4 || b.getShort(2) != 1) {
      throw new IllegalArgumentException("emulated EGETKEY supports SEAL/MRENCLAVE only");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cpuSecret, "HmacSHA256"));
      mac.update(reportBody, 64, 32);
      mac.update(req, 4, 74);
      return Arrays.copyOf(mac.doFinal(), 16);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public byte[] dcapQuote(byte[] reportData) {
    byte[] q = Arrays.copyOf(quoteTemplate, quoteTemplate.length + 64); // padding, as a buffer
    if (writeReportData) {
      System.arraycopy(reportData, 0, q, 368, 64);
    }
    return q;
  }

  @Override
  public void close() {
    closed = true;
  }
}
