package io.nsl.pipeline;

import io.nsl.chain.FulfilmentMessage;
import java.util.List;

/**
 * Signs fulfilment messages with the enclave's signing key (ECDSA secp256r1 over SHA-256, 64-byte
 * r||s); the private key never leaves it. Thread-safe.
 *
 * <p>The executor signs each answer alone (a batch of one, kept in the durable queue); the
 * submitter signs each {@code fulfilBatch} as a whole, which is what the gateway checks: one
 * signature per transaction instead of one per answer (contracts/README.md).
 */
@FunctionalInterface
public interface ResultSigner {
  byte[] sign(byte[] message);

  /** The one signature over a whole batch, in entry order, for this network and gateway. */
  default byte[] signBatch(
      long networkMagic, byte[] gatewayScriptHashLE, List<FulfilmentMessage.Entry> entries) {
    return sign(FulfilmentMessage.encodeBatch(networkMagic, gatewayScriptHashLE, entries));
  }
}
