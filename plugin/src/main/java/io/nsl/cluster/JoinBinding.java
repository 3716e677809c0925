package io.nsl.cluster;

import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.GatewayIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bytes each join quote's report_data binds, and the transcript hash. Pure; thread-safe. Every
 * hash input starts with its own tag, so no value of one kind can be read as another.
 *
 * <pre>
 * request report_data  = SHA-256("NSL-JOIN-REQ-v1" | networkMagic u32 LE | gatewayScriptHashLE (20)
 *                                | mode u8 | ephemeral public key (33) | nonce (32)
 *                                | createdAtMillis u64 BE) | 32 zero bytes
 * transcript           = SHA-256("NSL-JOIN-TRANSCRIPT-v1" | request report_data (64)
 *                                | SHA-256(request evidence))
 * response report_data = SHA-256("NSL-JOIN-RESP-v1" | transcript (32) | mode u8
 *                                | epoch count u16 | per epoch: epoch u32 | secrets key (33)
 *                                | SHA-256(wrapped keys)) | 32 zero bytes
 * wrap AAD             = "NSL-JOIN-WRAP-AAD-v1" | transcript
 * </pre>
 */
public final class JoinBinding {
  /** The protocol label every join message carries. */
  public static final String PROTOCOL = "NSL-JOIN-v1";

  private JoinBinding() {}

  /** report_data of a newcomer's request. */
  public static byte[] requestReportData(
      GatewayIdentity gateway,
      int modeByte,
      byte[] ephemeralPublicKey,
      byte[] nonce,
      long createdAtMillis) {
    MessageDigest sha = sha256();
    sha.update("NSL-JOIN-REQ-v1".getBytes(StandardCharsets.US_ASCII));
    long magic = gateway.networkMagic();
    sha.update(
        new byte[] {
          (byte) magic, (byte) (magic >>> 8), (byte) (magic >>> 16), (byte) (magic >>> 24)
        });
    sha.update(gateway.gatewayScriptHashLE());
    sha.update((byte) modeByte);
    sha.update(ephemeralPublicKey);
    sha.update(nonce);
    sha.update(ByteBuffer.allocate(8).putLong(createdAtMillis).array());
    return pad(sha.digest());
  }

  /** The transcript hash of a request (its report_data and its evidence). */
  public static byte[] transcript(byte[] requestReportData, byte[] requestEvidence) {
    MessageDigest sha = sha256();
    sha.update("NSL-JOIN-TRANSCRIPT-v1".getBytes(StandardCharsets.US_ASCII));
    sha.update(requestReportData);
    sha.update(sha256().digest(requestEvidence));
    return sha.digest();
  }

  /** report_data of a provider's answer. */
  public static byte[] responseReportData(
      byte[] transcript, int modeByte, List<ClusterKeys.EpochKey> epochs, byte[] wrappedKeys) {
    MessageDigest sha = sha256();
    sha.update("NSL-JOIN-RESP-v1".getBytes(StandardCharsets.US_ASCII));
    sha.update(transcript);
    sha.update((byte) modeByte);
    sha.update(ByteBuffer.allocate(2).putShort((short) epochs.size()).array());
    for (ClusterKeys.EpochKey e : epochs) {
      sha.update(ByteBuffer.allocate(4).putInt(e.epoch()).array());
      sha.update(e.secretsPublicKey());
    }
    sha.update(sha256().digest(wrappedKeys));
    return pad(sha.digest());
  }

  /** The associated data the wrapped keys are authenticated with. */
  public static byte[] wrapAad(byte[] transcript) {
    byte[] tag = "NSL-JOIN-WRAP-AAD-v1".getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(tag.length + transcript.length).put(tag).put(transcript).array();
  }

  private static byte[] pad(byte[] h) {
    byte[] out = new byte[64];
    System.arraycopy(h, 0, out, 0, 32);
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
