package io.nsl.pipeline;

import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient.SignedFulfilment;
import java.util.List;

/**
 * Signs answers for one gateway on one network: each answer alone (the executor), and each batch as
 * a whole (the submitter), through the enclave's {@link ResultSigner}. Thread-safe.
 */
public final class FulfilmentSigner {
  private final ResultSigner signer;
  private final long networkMagic;
  private final byte[] gatewayScriptHashLE;

  public FulfilmentSigner(ResultSigner signer, long networkMagic, byte[] gatewayScriptHashLE) {
    this.signer = signer;
    this.networkMagic = networkMagic;
    this.gatewayScriptHashLE = gatewayScriptHashLE.clone();
  }

  /**
   * One answer, signed alone (what {@code fulfil} checks, and a batch of one); {@code fields} are
   * the request's fields as its Request event carried them.
   */
  public SignedFulfilment sign(
      long requestId, int status, byte[] result, long gasUsed, byte[] fields) {
    byte[] message =
        FulfilmentMessage.encode(
            networkMagic, gatewayScriptHashLE, requestId, status, result, gasUsed, fields);
    return new SignedFulfilment(requestId, status, result, gasUsed, signer.sign(message));
  }

  /** The one signature over a whole batch, in entry order. */
  public byte[] signBatch(List<FulfilmentMessage.Entry> entries) {
    return signer.signBatch(networkMagic, gatewayScriptHashLE, entries);
  }
}
