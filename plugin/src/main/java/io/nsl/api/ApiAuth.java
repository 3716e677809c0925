package io.nsl.api;

import io.nsl.P256;
import io.nsl.secrets.SecretOwner;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How a developer signs an API request with their Neo key (docs/api.md, "Authentication").
 *
 * <pre>
 * message   = "NSL-API-v1" LF METHOD LF PATH_AND_QUERY LF TIMESTAMP LF NONCE LF hex(SHA-256(body))
 * signature = ECDSA secp256r1 over SHA-256(message), 64 bytes r||s, hex
 * headers   X-NSL-PublicKey: 33-byte compressed key, hex
 *           X-NSL-Timestamp: Unix time in milliseconds
 *           X-NSL-Nonce:     16..64 characters [A-Za-z0-9_-], never reused
 *           X-NSL-Signature: the signature, hex
 * </pre>
 *
 * PATH_AND_QUERY is the request target exactly as sent (raw, still percent-encoded). The caller is
 * the Neo account of the key: the script hash of its single-signature verification script, the same
 * rule as the gateway's function owners and the secret envelopes' owners. Pure and thread-safe;
 * neow3j's {@code Sign.signMessage(message, keyPair)} produces a valid signature.
 */
public final class ApiAuth {
  public static final String SCHEME = "NSL-API-v1";
  public static final String HEADER_PUBLIC_KEY = "X-NSL-PublicKey";
  public static final String HEADER_TIMESTAMP = "X-NSL-Timestamp";
  public static final String HEADER_NONCE = "X-NSL-Nonce";
  public static final String HEADER_SIGNATURE = "X-NSL-Signature";

  /** Shortest nonce: 16 characters of 64 kinds are 96 bits, too many to guess a fresh one. */
  public static final int NONCE_MIN_CHARS = 16;

  /** Longest nonce: every nonce is remembered for the replay window, so they are kept short. */
  public static final int NONCE_MAX_CHARS = 64;

  /** What a nonce may be, as error messages say it. */
  public static final String NONCE_RULE =
      NONCE_MIN_CHARS + ".." + NONCE_MAX_CHARS + " characters of [A-Za-z0-9_-]";

  private ApiAuth() {}

  /** The bytes a developer signs for one request. */
  public static byte[] message(
      String method, String pathAndQuery, long timestampMillis, String nonce, byte[] body) {
    String text =
        SCHEME
            + "\n"
            + method
            + "\n"
            + pathAndQuery
            + "\n"
            + timestampMillis
            + "\n"
            + nonce
            + "\n"
            + HexFormat.of().formatHex(sha256(body));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code signature} (64 bytes r||s) is a secp256r1 signature of SHA-256({@code message})
   * by {@code compressedPublicKey}. False for a key that is not a point on the curve, or r, s out
   * of range; never throws for bad input.
   */
  public static boolean verify(byte[] compressedPublicKey, byte[] message, byte[] signature) {
    return P256.verify(compressedPublicKey, message, signature);
  }

  /** Whether the bytes are a compressed secp256r1 point. */
  public static boolean isCompressedPoint(byte[] key) {
    return P256.decodeCompressed(key) != null;
  }

  /** The caller's account, 0x + big-endian hex, as Neo tools print script hashes. */
  public static String ownerOf(byte[] compressedPublicKey) {
    return SecretOwner.fromPublicKey(compressedPublicKey).toString();
  }

  static byte[] sha256(byte[] b) {
    return P256.sha256(b);
  }
}
