package io.nsl.enclave.internal;

/**
 * Where the key that seals the {@link KeyRing} comes from: a local file in simulation, the CPU (SGX
 * EGETKEY through Occlum's GET_KEY ioctl) in SGX. Implementations are thread-safe.
 */
public interface SealingKeySource {

  /**
   * One byte naming the source, written into the sealed file header (see {@link SealedKeyFile}).
   */
  byte tag();

  /**
   * A fresh public context for a new sealed file (for SGX: the key id and the SVNs the key request
   * names). Stored in clear in the header; must not be secret.
   */
  byte[] newContext();

  /**
   * The 32-byte AES key for {@code context}. The caller clears the result.
   *
   * @throws io.nsl.enclave.SealedStateException when no key can be derived for this context
   */
  byte[] sealingKey(byte[] context);
}
