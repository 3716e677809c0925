package io.nsl.pipeline;

/**
 * Signs fulfilment messages with the enclave's signing key (ECDSA secp256r1 over SHA-256, 64-byte
 * r||s); the private key never leaves it. Thread-safe.
 */
@FunctionalInterface
public interface ResultSigner {
  byte[] sign(byte[] message);
}
