package io.nsl.enclave.dcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An SGX report body (sgx_report_body_t, 384 bytes) as it appears in a quote (the ISV enclave's)
 * and in the QE report. Offsets within the body: cpusvn 0, miscselect 16, attributes 48 (flags u64
 * LE, xfrm u64 LE), MRENCLAVE 64, MRSIGNER 128, ISVPRODID 256, ISVSVN 258, report_data 320.
 */
public record EnclaveReportBody(byte[] raw) {
  public static final int SIZE = 384;

  /** attributes.flags bit 1: the enclave is debuggable. */
  public static final long FLAG_DEBUG = 0x2L;

  public EnclaveReportBody {
    if (raw == null || raw.length != SIZE) {
      throw new IllegalArgumentException("a report body is 384 bytes");
    }
    raw = raw.clone();
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public byte[] cpuSvn() {
    return Arrays.copyOfRange(raw, 0, 16);
  }

  public long miscSelect() {
    return Integer.toUnsignedLong(le().getInt(16));
  }

  /** The 16 attribute bytes (flags ‖ xfrm, little-endian each). */
  public byte[] attributes() {
    return Arrays.copyOfRange(raw, 48, 64);
  }

  public long attributesFlags() {
    return le().getLong(48);
  }

  public boolean debug() {
    return (attributesFlags() & FLAG_DEBUG) != 0;
  }

  public byte[] mrEnclave() {
    return Arrays.copyOfRange(raw, 64, 96);
  }

  public byte[] mrSigner() {
    return Arrays.copyOfRange(raw, 128, 160);
  }

  public int isvProdId() {
    return Short.toUnsignedInt(le().getShort(256));
  }

  public int isvSvn() {
    return Short.toUnsignedInt(le().getShort(258));
  }

  public byte[] reportData() {
    return Arrays.copyOfRange(raw, 320, 384);
  }

  private ByteBuffer le() {
    return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnclaveReportBody b && Arrays.equals(b.raw, raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "EnclaveReportBody[" + java.util.HexFormat.of().formatHex(mrEnclave()) + "]";
  }
}
