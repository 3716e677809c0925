package io.nsl.enclave.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Byte layouts of the Intel SGX SDK structures NSL sends to and reads from /dev/sgx (sgx_key.h,
 * sgx_report.h), little-endian. Pure functions; tested against the SDK's offsets and recorded
 * reports.
 */
public final class SgxStructs {
  /** sizeof(sgx_key_request_t). */
  public static final int KEY_REQUEST_SIZE = 512;

  /** sizeof(sgx_report_t): body 384, key_id 32, mac 16. */
  public static final int REPORT_SIZE = 432;

  /** sizeof(sgx_target_info_t). */
  public static final int TARGET_INFO_SIZE = 512;

  /** sizeof(sgx_key_128bit_t). */
  public static final int KEY_SIZE = 16;

  /** SGX_KEYSELECT_SEAL. */
  public static final int KEYSELECT_SEAL = 0x0004;

  /** SGX_KEYPOLICY_MRENCLAVE: the key is bound to this exact enclave measurement. */
  public static final int KEYPOLICY_MRENCLAVE = 0x0001;

  /** SGX_KEYPOLICY_MRSIGNER (what Occlum's "autokey" uses; not used by NSL). */
  public static final int KEYPOLICY_MRSIGNER = 0x0002;

  /**
   * TSEAL_DEFAULT_FLAGSMASK of the SGX SDK: INITTED, DEBUG and bit 3 plus the reserved high byte
   * take part in key derivation, so a debug build never derives a production enclave's key.
   */
  public static final long SEAL_FLAGS_MASK = 0xFF0000000000000BL;

  /** TSEAL_DEFAULT_MISCMASK. */
  public static final int SEAL_MISC_MASK = 0xF0000000;

  private SgxStructs() {}

  /**
   * sgx_key_request_t: key_name u16 @0, key_policy u16 @2, isv_svn u16 @4, reserved u16 @6,
   * cpu_svn[16] @8, attribute_mask {flags u64 @24, xfrm u64 @32}, key_id[32] @40, misc_mask
   * u32 @72, config_svn u16 @76, reserved[434] @78.
   */
  public static byte[] sealKeyRequest(SealContext ctx) {
    ByteBuffer b = ByteBuffer.allocate(KEY_REQUEST_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) KEYSELECT_SEAL);
    b.putShort(2, (short) KEYPOLICY_MRENCLAVE);
    b.putShort(4, (short) ctx.isvSvn());
    b.put(8, ctx.cpuSvn());
    b.putLong(24, SEAL_FLAGS_MASK);
    b.putLong(32, 0L);
    b.put(40, ctx.keyId());
    b.putInt(72, SEAL_MISC_MASK);
    b.putShort(76, (short) ctx.configSvn());
    return b.array();
  }

  /**
   * What a sealed file must remember to derive its key again: EGETKEY's key id and the SVNs the
   * enclave had when sealing (so an upgraded CPU SVN can still derive the old key).
   *
   * @param keyId 32 random bytes
   * @param cpuSvn 16 bytes
   * @param isvSvn u16
   * @param configSvn u16
   */
  public record SealContext(byte[] keyId, byte[] cpuSvn, int isvSvn, int configSvn) {
    /** sizeof(sgx_key_id_t). */
    public static final int KEY_ID_BYTES = 32;

    /** sizeof(sgx_cpu_svn_t). */
    public static final int CPU_SVN_BYTES = 16;

    /** The serialised context: key id, CPU SVN, ISV SVN u16, CONFIG SVN u16. */
    public static final int SIZE = KEY_ID_BYTES + CPU_SVN_BYTES + 2 + 2;

    public SealContext {
      if (keyId.length != KEY_ID_BYTES || cpuSvn.length != CPU_SVN_BYTES) {
        throw new IllegalArgumentException(
            "keyId is " + KEY_ID_BYTES + " bytes, cpuSvn " + CPU_SVN_BYTES);
      }
      keyId = keyId.clone();
      cpuSvn = cpuSvn.clone();
    }

    @Override
    public byte[] keyId() {
      return keyId.clone();
    }

    @Override
    public byte[] cpuSvn() {
      return cpuSvn.clone();
    }

    public byte[] encode() {
      return ByteBuffer.allocate(SIZE)
          .order(ByteOrder.LITTLE_ENDIAN)
          .put(keyId)
          .put(cpuSvn)
          .putShort((short) isvSvn)
          .putShort((short) configSvn)
          .array();
    }

    public static SealContext decode(byte[] b) {
      if (b.length != SIZE) {
        throw new IllegalArgumentException("a seal context is " + SIZE + " bytes, got " + b.length);
      }
      ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      return new SealContext(
          Arrays.copyOfRange(b, 0, KEY_ID_BYTES),
          Arrays.copyOfRange(b, KEY_ID_BYTES, KEY_ID_BYTES + CPU_SVN_BYTES),
          Short.toUnsignedInt(in.getShort(KEY_ID_BYTES + CPU_SVN_BYTES)),
          Short.toUnsignedInt(in.getShort(KEY_ID_BYTES + CPU_SVN_BYTES + 2)));
    }
  }

  /** The 384-byte report body of an sgx_report_t. */
  public static byte[] reportBody(byte[] report) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException(
          "an sgx_report_t is " + REPORT_SIZE + " bytes, got " + report.length);
    }
    return Arrays.copyOfRange(report, 0, 384);
  }

  /** Report body offsets (sgx_report_body_t): cpu_svn @0, isv_svn @258, config_svn @260. */
  public static SealContext contextFor(byte[] reportBody, byte[] keyId) {
    ByteBuffer b = ByteBuffer.wrap(reportBody).order(ByteOrder.LITTLE_ENDIAN);
    return new SealContext(
        keyId,
        Arrays.copyOfRange(reportBody, 0, SealContext.CPU_SVN_BYTES),
        Short.toUnsignedInt(b.getShort(258)),
        Short.toUnsignedInt(b.getShort(260)));
  }
}
