package io.nsl.secrets;

import io.nsl.secrets.internal.EnvelopeCrypto;

/** An owner key for tests: deterministic RFC 6979 signatures. */
record TestOwner(byte[] privateKey) implements OwnerSigner {
  static TestOwner of(String seed) {
    return new TestOwner(
        EnvelopeCrypto.sha256(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Override
  public byte[] publicKey() {
    return EnvelopeCrypto.publicKeyOf(privateKey);
  }

  @Override
  public byte[] sign(byte[] message) {
    return EnvelopeCrypto.signDeterministic(privateKey, message);
  }

  SecretOwner account() {
    return SecretOwner.fromPublicKey(publicKey());
  }
}
