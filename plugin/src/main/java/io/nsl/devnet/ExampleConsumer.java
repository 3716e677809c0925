package io.nsl.devnet;

import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.TransactionBuilder;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.ChainException;
import io.nsl.chain.ConsumerCalls;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of a consumer contract built like the example ({@code contracts/consumer}): {@code
 * request(functionId, input, jsGasLimit, gasForResponse)} from its owner, and {@code
 * getAnswer(requestId)} read back. Works on any chain where such a consumer is deployed; only its
 * {@link #request} sends a transaction.
 */
public final class ExampleConsumer {
  /** GAS (fractions) each request reserves for its fulfilment: the gateway's default minimum. */
  public static final long GAS_FOR_RESPONSE = ConsumerCalls.GAS_FOR_RESPONSE;

  private final NeoChain chain;
  private final Hash160 consumer;

  public ExampleConsumer(NeoChain chain, Hash160 consumer) {
    this.chain = chain;
    this.consumer = consumer;
  }

  /** A request the consumer sent: the gateway's id and the transaction that carried it. */
  public record Sent(long requestId, String transaction) {}

  /** The answer the gateway delivered to the consumer's callback. */
  public record Answer(int status, byte[] result) {
    public Answer {
      result = result.clone();
    }

    @Override
    public byte[] result() {
      return result.clone();
    }

    public String resultUtf8() {
      return new String(result, StandardCharsets.UTF_8);
    }
  }

  /**
   * The owner asks the consumer to request {@code functionId} on {@code inputJson}; waits for the
   * block.
   *
   * @throws io.nsl.chain.ChainException when the node refuses it or it faults (e.g. not the owner,
   *     or the consumer's prepaid balance at the gateway is too low)
   */
  public Sent request(Account owner, String functionId, String inputJson, long jsGasLimit) {
    var b =
        new TransactionBuilder(chain.neow3j())
            .script(ConsumerCalls.requestScript(consumer, functionId, inputJson, jsGasLimit))
            .signers(AccountSigner.calledByEntry(owner));
    NeoApplicationLog log =
        chain.sendAndWait(b, "request " + functionId, Duration.ofSeconds(30), owner);
    long id = log.getExecutions().get(0).getStack().get(0).getInteger().longValue();
    return new Sent(id, "0x" + log.getTransactionId());
  }

  /** The consumer's stored answer to {@code requestId}, empty before it came. Read-only. */
  public Optional<Answer> answer(long requestId) {
    try {
      return ConsumerCalls.answer(new NeoRpcClient(chain.rpcUrl()), consumer, requestId)
          .map(a -> new Answer(a.status(), a.result()));
    } catch (ChainException.RpcError e) {
      throw new DevnetException(
          "the consumer 0x"
              + consumer
              + " cannot answer getAnswer("
              + requestId
              + "): "
              + e.getMessage()
              + "; is it a consumer built like contracts/consumer?");
    }
  }
}
