package io.nsl.enclave.internal;

/**
 * The SGX operations NSL needs from inside an enclave. {@link OcclumSgxDevice} implements them with
 * Occlum's /dev/sgx ioctls; tests use an emulation. Implementations are thread-safe.
 */
public interface SgxDevice extends AutoCloseable {
  /** sgx_report_t (432 bytes: body 384, key_id 32, mac 16) of this enclave, report_data zero. */
  byte[] selfReport();

  /** EGETKEY: the 16-byte key for a 512-byte sgx_key_request_t. The caller clears the result. */
  byte[] getKey(byte[] keyRequest);

  /** A DCAP quote (v3) whose report body carries {@code reportData} (64 bytes). */
  byte[] dcapQuote(byte[] reportData);

  @Override
  void close();
}
