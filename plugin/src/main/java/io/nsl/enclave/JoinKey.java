package io.nsl.enclave;

import io.nsl.enclave.internal.JoinCrypto;
import java.math.BigInteger;

/**
 * A newcomer's ephemeral P-256 key for one join ({@link Enclave#newJoinKey()}): it gives out its
 * public key, and only {@link Enclave#acceptClusterKeys} uses its private half. Use once, then
 * {@link #destroy()}. The scalar is a BigInteger and cannot be wiped (see docs/enclave.md).
 */
public final class JoinKey {
  private volatile BigInteger d;
  private final byte[] publicKey;

  JoinKey(BigInteger d) {
    this.d = d;
    this.publicKey = JoinCrypto.publicKey(d);
  }

  /** The 33-byte compressed public key bound into the newcomer's quote. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  BigInteger scalar() {
    BigInteger k = d;
    if (k == null) {
      throw new IllegalStateException("this join key was destroyed; make a new one per join");
    }
    return k;
  }

  /** Drops the private half; later use throws. */
  public void destroy() {
    d = null;
  }

  @Override
  public String toString() {
    return "JoinKey[" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }
}
