package io.nsl.enclave.internal;

import io.nsl.enclave.InvalidPeerKeyException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The cluster keys one instance holds: for each live epoch a secrets key (secp256r1) and a 32-byte
 * storage root secret. Epochs ascend; the last one is current. Pure crypto, no I/O.
 *
 * <p>Serialised form (what is sealed and what a join wraps), all integers big-endian:
 *
 * <pre>
 * version 1 (1) | epoch count u16 | per epoch: epoch u32 | secrets scalar (32) | root secret (32)
 * </pre>
 *
 * <p>Erasure as {@link KeyRing}: scalars are BigIntegers that cannot be wiped; root secrets and
 * every serialised copy are cleared. Thread-safe: immutable apart from {@link #destroy()}.
 */
public final class ClusterRing {
  /** Most epochs a ring may hold. */
  public static final int MAX_EPOCHS = 64;

  private static final byte VERSION = 1;
  private static final int PER_EPOCH = 4 + KeyRing.SCALAR_BYTES + KeyRing.ROOT_SECRET_BYTES;

  private record Epoch(int epoch, BigInteger secretsD, byte[] secretsPublic, byte[] root) {}

  private final List<Epoch> epochs;

  private ClusterRing(List<Epoch> epochs) {
    this.epochs = List.copyOf(epochs);
  }

  /** Epoch 0 made of {@code ring}'s secrets key and root secret: migration keeps every key. */
  public static ClusterRing fromKeyRing(KeyRing ring) {
    BigInteger d = ring.secretsScalar();
    return new ClusterRing(List.of(epoch(0, d, ring.rootSecretCopy())));
  }

  /** A fresh epoch 0 from {@code random}. */
  public static ClusterRing generate(SecureRandom random) {
    byte[] root = new byte[32];
    random.nextBytes(root);
    return new ClusterRing(List.of(epoch(0, KeyRing.newScalar(random), root)));
  }

  private static Epoch epoch(int n, BigInteger d, byte[] root) {
    byte[] pub = KeyRing.DOMAIN.getG().multiply(d).normalize().getEncoded(true);
    return new Epoch(n, d, pub, root);
  }

  /**
   * This ring plus a fresh epoch (current + 1) with a new secrets key and root secret from {@code
   * random}, which becomes current. This ring is unchanged.
   *
   * @throws IllegalStateException when the ring already holds {@link #MAX_EPOCHS} epochs
   */
  public ClusterRing withNextEpoch(SecureRandom random) {
    if (epochs.size() >= MAX_EPOCHS) {
      throw new IllegalStateException(
          "the cluster already holds "
              + MAX_EPOCHS
              + " live epochs; retire old ones (./nsl cluster rotate --retire N) first");
    }
    byte[] root = new byte[32];
    random.nextBytes(root);
    List<Epoch> out = new ArrayList<>(copies());
    out.add(epoch(currentEpoch() + 1, KeyRing.newScalar(random), root));
    return new ClusterRing(out);
  }

  /**
   * This ring without {@code epoch}. This ring is unchanged.
   *
   * @throws IllegalArgumentException when {@code epoch} is current or not held
   */
  public ClusterRing without(int epoch) {
    find(epoch);
    if (epoch == currentEpoch()) {
      throw new IllegalArgumentException(
          "epoch " + epoch + " is the current epoch; rotate to a new one before retiring it");
    }
    List<Epoch> out = new ArrayList<>();
    for (Epoch e : copies()) {
      if (e.epoch() != epoch) {
        out.add(e);
      }
    }
    return new ClusterRing(out);
  }

  /** Each epoch with its own copy of the root, so destroying one ring leaves the other intact. */
  private List<Epoch> copies() {
    List<Epoch> out = new ArrayList<>();
    for (Epoch e : epochs) {
      out.add(new Epoch(e.epoch(), e.secretsD(), e.secretsPublic(), e.root().clone()));
    }
    return out;
  }

  /**
   * Rebuilds a ring from {@link #serialize()} output. The caller clears {@code bytes}.
   *
   * @throws IllegalArgumentException when the bytes are not a serialised ring
   */
  public static ClusterRing deserialize(byte[] bytes) {
    if (bytes.length < 3 || bytes[0] != VERSION) {
      throw new IllegalArgumentException("not a version-1 cluster ring");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    int count = Short.toUnsignedInt(in.getShort());
    if (count < 1 || count > MAX_EPOCHS || in.remaining() != count * PER_EPOCH) {
      throw new IllegalArgumentException(
          "a cluster ring holds 1.." + MAX_EPOCHS + " epochs of " + PER_EPOCH + " bytes");
    }
    List<Epoch> out = new ArrayList<>();
    int last = -1;
    for (int i = 0; i < count; i++) {
      int n = in.getInt();
      if (n <= last) {
        throw new IllegalArgumentException("epochs must ascend; " + n + " follows " + last);
      }
      byte[] d = new byte[KeyRing.SCALAR_BYTES];
      in.get(d);
      BigInteger scalar = new BigInteger(1, d);
      Arrays.fill(d, (byte) 0);
      if (!KeyRing.isValidScalar(scalar)) {
        throw new IllegalArgumentException("the secrets scalar of epoch " + n + " is out of range");
      }
      byte[] root = new byte[KeyRing.ROOT_SECRET_BYTES];
      in.get(root);
      out.add(epoch(n, scalar, root));
      last = n;
    }
    return new ClusterRing(out);
  }

  /** WARNING: returns private key material. The caller seals or wraps it and clears the array. */
  public byte[] serialize() {
    ByteBuffer out = ByteBuffer.allocate(3 + epochs.size() * PER_EPOCH);
    out.put(VERSION).putShort((short) epochs.size());
    for (Epoch e : epochs) {
      byte[] d = BigIntegers.asUnsignedByteArray(KeyRing.SCALAR_BYTES, e.secretsD());
      out.putInt(e.epoch()).put(d).put(e.root());
      Arrays.fill(d, (byte) 0);
    }
    return out.array();
  }

  /** The newest epoch. */
  public int currentEpoch() {
    return epochs.get(epochs.size() - 1).epoch();
  }

  /** Every live epoch, ascending. */
  public List<Integer> epochs() {
    return epochs.stream().map(Epoch::epoch).toList();
  }

  /** The compressed secrets public key of {@code epoch}. */
  public byte[] secretsPublicKey(int epoch) {
    return find(epoch).secretsPublic().clone();
  }

  /** ECDH x-coordinate between the secrets key of {@code epoch} and {@code peer}. */
  public byte[] secretsAgreement(int epoch, byte[] peerPublicKey) {
    ECPoint peer = KeyRing.decodePoint(peerPublicKey);
    ECPoint shared = peer.multiply(find(epoch).secretsD()).normalize();
    if (shared.isInfinity()) {
      throw new InvalidPeerKeyException("the shared point is the point at infinity");
    }
    return BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
  }

  /** HKDF-SHA256 over the root secret of {@code epoch}, exactly as {@link KeyRing#deriveKey}. */
  public byte[] deriveKey(int epoch, String purpose) {
    return KeyRing.deriveFrom(find(epoch).root(), purpose);
  }

  /** The epoch whose secrets public key is {@code publicKey}, or -1. */
  public int epochOf(byte[] publicKey) {
    for (Epoch e : epochs) {
      if (Arrays.equals(e.secretsPublic(), publicKey)) {
        return e.epoch();
      }
    }
    return -1;
  }

  /**
   * True when this ring holds every epoch of {@code held} with the same keys, and only newer epochs
   * besides: what a member that joined before a rotation may take (nothing it holds is lost).
   */
  public boolean keepsEveryEpochOf(ClusterRing held) {
    for (Epoch h : held.epochs) {
      Epoch mine = null;
      for (Epoch e : epochs) {
        if (e.epoch() == h.epoch()) {
          mine = e;
        }
      }
      if (mine == null
          || !mine.secretsD().equals(h.secretsD())
          || !java.security.MessageDigest.isEqual(mine.root(), h.root())) {
        return false;
      }
    }
    for (Epoch e : epochs) {
      if (!held.epochs().contains(e.epoch()) && e.epoch() < held.currentEpoch()) {
        return false;
      }
    }
    return true;
  }

  /** True when both rings hold the same epochs with the same keys. */
  public boolean sameKeysAs(ClusterRing other) {
    byte[] a = serialize();
    byte[] b = other.serialize();
    try {
      return java.security.MessageDigest.isEqual(a, b);
    } finally {
      Arrays.fill(a, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Clears the root secrets. */
  public void destroy() {
    for (Epoch e : epochs) {
      Arrays.fill(e.root(), (byte) 0);
    }
  }

  private Epoch find(int epoch) {
    for (Epoch e : epochs) {
      if (e.epoch() == epoch) {
        return e;
      }
    }
    throw new IllegalArgumentException("epoch " + epoch + " is not held (held: " + epochs() + ")");
  }

  @Override
  public String toString() {
    return "ClusterRing[epochs=" + epochs() + "]";
  }
}
