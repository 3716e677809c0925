package io.nsl.enclave;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-byte report_data every NSL attestation carries (the SGX report field the CPU signs through
 * the quote). Pure function, thread-safe.
 *
 * <pre>
 * report_data = SHA-256( "NSL-ATTEST-v1"            13 bytes, ASCII, no terminator
 *                     || networkMagic               4 bytes, unsigned, little-endian
 *                     || gatewayScriptHashLE        20 bytes
 *                     || signingPublicKey           33 bytes, compressed secp256r1
 *                     || secretsPublicKey )         33 bytes, compressed secp256r1
 *               || 32 zero bytes
 * </pre>
 *
 * The hash input is always 103 bytes. The version tag lets a later format change the layout without
 * an old quote ever matching a new meaning.
 */
public final class ReportData {
  /** Domain-separation tag at the start of the hash input. */
  public static final String TAG = "NSL-ATTEST-v1";

  /** Length of the SGX report_data field. */
  public static final int LENGTH = 64;

  /** A compressed secp256r1 public key. */
  public static final int PUBLIC_KEY_BYTES = 33;

  /** The SHA-256 that fills the first part of report_data; the rest is zero. */
  public static final int DIGEST_BYTES = 32;

  /** The network magic, an unsigned 32-bit value in little-endian order. */
  public static final int NETWORK_MAGIC_BYTES = 4;

  private ReportData() {}

  /**
   * Computes report_data.
   *
   * @throws IllegalArgumentException when a public key is not 33 bytes
   */
  public static byte[] compute(
      GatewayIdentity gateway, byte[] signingPublicKey, byte[] secretsPublicKey) {
    requireCompressed("signingPublicKey", signingPublicKey);
    requireCompressed("secretsPublicKey", secretsPublicKey);
    MessageDigest sha = sha256();
    sha.update(TAG.getBytes(StandardCharsets.US_ASCII));
    long magic = gateway.networkMagic();
    sha.update(
        new byte[] {
          (byte) magic, (byte) (magic >>> 8), (byte) (magic >>> 16), (byte) (magic >>> 24)
        });
    sha.update(gateway.gatewayScriptHashLE());
    sha.update(signingPublicKey);
    sha.update(secretsPublicKey);
    byte[] out = new byte[LENGTH];
    System.arraycopy(sha.digest(), 0, out, 0, DIGEST_BYTES);
    return out;
  }

  private static void requireCompressed(String name, byte[] key) {
    if (key == null || key.length != PUBLIC_KEY_BYTES || (key[0] != 2 && key[0] != 3)) {
      throw new IllegalArgumentException(
          name + " must be a 33-byte compressed secp256r1 point (02/03 prefix)");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
