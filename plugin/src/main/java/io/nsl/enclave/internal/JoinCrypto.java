package io.nsl.enclave.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * Wraps a {@link ClusterRing} to a newcomer's ephemeral P-256 key, and unwraps it. Pure crypto.
 *
 * <pre>
 * wrapped = version 1 (1) | provider ephemeral public key (33) | nonce (12) | AES-256-GCM(ring ‖ tag)
 * key     = HKDF-SHA256(ikm = ECDH x(provider ephemeral, newcomer ephemeral),
 *                       salt = provider ephemeral ‖ newcomer ephemeral, info = "NSL-JOIN-WRAP-v1")
 * AAD     = the caller's associated data (the join transcript hash)
 * </pre>
 *
 * Both sides' keys are fresh for one join: a later compromise of either instance's long-term keys
 * does not open a recorded join.
 */
public final class JoinCrypto {
  private static final byte VERSION = 1;
  private static final byte[] INFO = "NSL-JOIN-WRAP-v1".getBytes(StandardCharsets.US_ASCII);

  private JoinCrypto() {}

  /** Thrown when wrapped keys do not open: altered, or wrapped to another key or transcript. */
  public static final class UnwrapFailed extends Exception {
    UnwrapFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** A fresh private scalar. */
  public static BigInteger newEphemeral(SecureRandom random) {
    return KeyRing.newScalar(random);
  }

  /** The compressed public key of {@code d}. */
  public static byte[] publicKey(BigInteger d) {
    return KeyRing.DOMAIN.getG().multiply(d).normalize().getEncoded(true);
  }

  /** Wraps {@code ring} to {@code peerPublicKey} (validated; throws InvalidPeerKeyException). */
  public static byte[] wrap(
      ClusterRing ring, byte[] peerPublicKey, byte[] aad, SecureRandom random) {
    ECPoint peer = KeyRing.decodePoint(peerPublicKey);
    BigInteger d = newEphemeral(random);
    byte[] ownPub = publicKey(d);
    byte[] key = key(peer, d, ownPub, peer.getEncoded(true));
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    byte[] plain = ring.serialize();
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad);
      byte[] ct = gcm.doFinal(plain);
      return ByteBuffer.allocate(1 + 33 + 12 + ct.length)
          .put(VERSION)
          .put(ownPub)
          .put(nonce)
          .put(ct)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Opens {@code wrapped} with the ephemeral private scalar {@code d}. */
  public static ClusterRing unwrap(BigInteger d, byte[] wrapped, byte[] aad) throws UnwrapFailed {
    if (wrapped == null || wrapped.length < 1 + 33 + 12 + 16 + 3 || wrapped[0] != VERSION) {
      throw new UnwrapFailed("the wrapped keys are not version-1 wrapped keys or are too short");
    }
    byte[] providerPub = Arrays.copyOfRange(wrapped, 1, 34);
    ECPoint provider;
    try {
      provider = KeyRing.decodePoint(providerPub);
    } catch (RuntimeException e) {
      throw new UnwrapFailed("the provider's ephemeral key is not a secp256r1 point");
    }
    byte[] key = key(provider, d, providerPub, publicKey(d));
    byte[] plain = null;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, wrapped, 34, 12));
      gcm.updateAAD(aad);
      plain = gcm.doFinal(wrapped, 46, wrapped.length - 46);
      return ClusterRing.deserialize(plain);
    } catch (AEADBadTagException e) {
      throw new UnwrapFailed(
          "the wrapped keys fail authentication: altered on the way, or wrapped for another"
              + " ephemeral key or transcript");
    } catch (IllegalArgumentException e) {
      throw new UnwrapFailed("the unwrapped bytes are not a cluster ring: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private static byte[] key(ECPoint peer, BigInteger d, byte[] providerPub, byte[] newcomerPub) {
    ECPoint shared = peer.multiply(d).normalize();
    byte[] x = BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
    byte[] salt = new byte[66];
    System.arraycopy(providerPub, 0, salt, 0, 33);
    System.arraycopy(newcomerPub, 0, salt, 33, 33);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(x, salt, INFO));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, 32);
    Arrays.fill(x, (byte) 0);
    return out;
  }
}
