package io.nsl.secrets;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A {@link SecretsKey} for tests, written directly on Bouncy Castle (not on the production
 * helpers), the way the enclave's key will behave: gives out the public key, does ECDH, keeps d.
 */
final class TestSecretsKey implements SecretsKey {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private final BigInteger d;
  private final byte[] publicKey;

  TestSecretsKey(byte[] privateKey) {
    this.d = new BigInteger(1, privateKey);
    this.publicKey = P256.getG().multiply(d).normalize().getEncoded(true);
  }

  static TestSecretsKey random(java.util.Random random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    k[0] &= 0x7f; // below n
    k[31] |= 1;
    return new TestSecretsKey(k);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] agree(byte[] peerPublicKeyCompressed) {
    ECPoint peer = P256.getCurve().decodePoint(peerPublicKeyCompressed);
    ECPoint shared = peer.multiply(d).normalize();
    return BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
  }

  @Override
  public String toString() {
    return "TestSecretsKey[" + Arrays.hashCode(publicKey) + "]";
  }
}
