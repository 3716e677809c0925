package io.nsl.enclave.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.AttestationException;
import io.nsl.enclave.EnclaveUnavailableException;
import io.nsl.enclave.dcap.SgxVectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes NSL sends to /dev/sgx, checked against Occlum's and Intel's definitions. */
class OcclumLayoutTest {

  @Test
  void ioctlNumbersMatchOcclumsOwnConstants() {
    // Literal values from Occlum's tools/toolchains/dcap_lib/src/occlum_dcap.rs and test/ioctl
    // (SGXIOC_*), which Occlum computes with StructuredIoctlNum in dev_sgx/consts.rs.
    assertEquals(0x80047307L, OcclumIoctl.GET_DCAP_QUOTE_SIZE);
    assertEquals(0xc0187308L, OcclumIoctl.GEN_DCAP_QUOTE);
    assertEquals(0x80047306L, OcclumIoctl.DETECT_DCAP_DRIVER);
    assertEquals(0xc010730bL, OcclumIoctl.GET_KEY);
    assertEquals(0x82007303L, OcclumIoctl.SELF_TARGET);
    assertEquals(0xc0187304L, OcclumIoctl.CREATE_REPORT);
  }

  @Test
  void ioctlNumbersDecodeLikeOcclumsFromU32() {
    long n = OcclumIoctl.GEN_DCAP_QUOTE;
    assertEquals(8, n & 0xFF);
    assertEquals('s', (n >> 8) & 0xFF);
    assertEquals(OcclumIoctl.GEN_DCAP_QUOTE_ARG.byteSize(), (n >> 16) & 0x3FFF);
    assertEquals(3, n >>> 30);
    assertEquals(24, OcclumIoctl.GEN_DCAP_QUOTE_ARG.byteSize());
    assertEquals(24, OcclumIoctl.CREATE_REPORT_ARG.byteSize());
    assertEquals(16, OcclumIoctl.GET_KEY_ARG.byteSize());
  }

  @Test
  void ffmDowncallsReachLibcAndReportErrno() {
    // /dev/null is no SGX device: open succeeds, every SGX ioctl fails with ENOTTY (25). This
    // runs the real variadic ioctl downcall and errno capture that /dev/sgx will get.
    try (OcclumSgxDevice dev = OcclumSgxDevice.open("/dev/null")) {
      AttestationException e = assertThrows(AttestationException.class, dev::dcapDriverInstalled);
      assertTrue(e.getMessage().contains("errno 25"), e.getMessage());
      AttestationException q =
          assertThrows(AttestationException.class, () -> dev.getKey(new byte[512]));
      assertTrue(q.getMessage().contains("GET_KEY"), q.getMessage());
    }
  }

  @Test
  void missingDeviceIsReportedAsUnavailable() {
    EnclaveUnavailableException e =
        assertThrows(
            EnclaveUnavailableException.class, () -> OcclumSgxDevice.open("/nonexistent/sgx"));
    assertTrue(e.getMessage().contains("errno 2"), e.getMessage());
  }

  @Test
  void sealKeyRequestHasTheSdkLayout() {
    byte[] keyId = new byte[32];
    Arrays.fill(keyId, (byte) 0xAA);
    byte[] cpuSvn = new byte[16];
    Arrays.fill(cpuSvn, (byte) 0x11);
    byte[] req =
        SgxStructs.sealKeyRequest(new SgxStructs.SealContext(keyId, cpuSvn, 0x0102, 0x0304));
    ByteBuffer b = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(512, req.length);
    assertEquals(4, b.getShort(0)); // key_name SEAL
    assertEquals(1, b.getShort(2)); // key_policy MRENCLAVE
    assertEquals(0x0102, b.getShort(4)); // isv_svn
    assertEquals(0, b.getShort(6)); // reserved1
    assertArrayEquals(cpuSvn, Arrays.copyOfRange(req, 8, 24));
    assertEquals(0xFF0000000000000BL, b.getLong(24)); // attribute_mask.flags
    assertEquals(0L, b.getLong(32)); // attribute_mask.xfrm
    assertArrayEquals(keyId, Arrays.copyOfRange(req, 40, 72));
    assertEquals(0xF0000000, b.getInt(72)); // misc_mask
    assertEquals(0x0304, b.getShort(76)); // config_svn
    assertArrayEquals(new byte[434], Arrays.copyOfRange(req, 78, 512)); // reserved2
  }

  @Test
  void sealContextReadsSvnsFromARecordedReportBody() {
    // The QE report body inside Phala's recorded quote: QE ISVSVN 10 (README), config_svn 0.
    byte[] quote = SgxVectors.phalaQuote();
    byte[] qeBody = Arrays.copyOfRange(quote, 564, 948);
    SgxStructs.SealContext ctx = SgxStructs.contextFor(qeBody, new byte[32]);
    assertEquals(10, ctx.isvSvn());
    assertEquals(0, ctx.configSvn());
    assertArrayEquals(Arrays.copyOfRange(qeBody, 0, 16), ctx.cpuSvn());
    assertArrayEquals(ctx.encode(), SgxStructs.SealContext.decode(ctx.encode()).encode());
  }
}
