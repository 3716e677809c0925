package io.nsl.enclave.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Occlum's /dev/sgx ioctl numbers, built the way Occlum builds them
 * (src/libos/src/fs/file_ops/ioctl/non_builtin.rs, StructuredIoctlNum::as_u32): bits 0..7 command
 * id, 8..15 magic 's', 16..29 argument size, 30..31 direction (1 in, 2 out, 3 in/out). The command
 * ids and argument types are those of src/libos/src/fs/dev_fs/dev_sgx/consts.rs and mod.rs (Occlum
 * v0.31 tree). Pure.
 */
public final class OcclumIoctl {
  static final int MAGIC = 's';
  static final int IN = 1;
  static final int OUT = 2;
  static final int IN_OUT = 3;

  /** IoctlCreateReportArg: target_info*, report_data*, report*. */
  public static final StructLayout CREATE_REPORT_ARG =
      MemoryLayout.structLayout(
          ValueLayout.ADDRESS.withName("target_info"),
          ValueLayout.ADDRESS.withName("report_data"),
          ValueLayout.ADDRESS.withName("report"));

  /** IoctlGenDCAPQuoteArg: report_data*, quote_size* (u32 in/out), quote_buf*. */
  public static final StructLayout GEN_DCAP_QUOTE_ARG =
      MemoryLayout.structLayout(
          ValueLayout.ADDRESS.withName("report_data"),
          ValueLayout.ADDRESS.withName("quote_size"),
          ValueLayout.ADDRESS.withName("quote_buf"));

  /** IoctlGetKeyArg: key_request*, key*. */
  public static final StructLayout GET_KEY_ARG =
      MemoryLayout.structLayout(
          ValueLayout.ADDRESS.withName("key_request"), ValueLayout.ADDRESS.withName("key"));

  /** SGXIOC_SELF_TARGET: out sgx_target_info_t. */
  public static final long SELF_TARGET = number(3, SgxStructs.TARGET_INFO_SIZE, OUT);

  /** SGXIOC_CREATE_REPORT. */
  public static final long CREATE_REPORT = number(4, CREATE_REPORT_ARG.byteSize(), IN_OUT);

  /** SGXIOC_DETECT_DCAP_DRIVER: out i32. */
  public static final long DETECT_DCAP_DRIVER = number(6, 4, OUT);

  /** SGXIOC_GET_DCAP_QUOTE_SIZE: out u32. */
  public static final long GET_DCAP_QUOTE_SIZE = number(7, 4, OUT);

  /** SGXIOC_GEN_DCAP_QUOTE. */
  public static final long GEN_DCAP_QUOTE = number(8, GEN_DCAP_QUOTE_ARG.byteSize(), IN_OUT);

  /** SGXIOC_GET_KEY. */
  public static final long GET_KEY = number(11, GET_KEY_ARG.byteSize(), IN_OUT);

  private OcclumIoctl() {}

  /** Occlum's StructuredIoctlNum encoding, as an unsigned 32-bit value in a long. */
  static long number(int cmdId, long argSize, int direction) {
    if (argSize <= 0 || argSize > 0x3FFF) {
      throw new IllegalArgumentException("ioctl argument size out of range: " + argSize);
    }
    return (cmdId & 0xFFL) | ((long) MAGIC << 8) | (argSize << 16) | ((long) direction << 30);
  }
}
