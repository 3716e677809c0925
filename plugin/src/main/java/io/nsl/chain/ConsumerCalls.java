package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two calls of a consumer contract built like the example ({@code contracts/consumer}): the
 * script of {@code request(functionId, input, jsGasLimit, gasForResponse)}, which its owner signs,
 * and {@code getAnswer(requestId)} read back. Shared by the devnet's client and the service's chain
 * actions.
 */
public final class ConsumerCalls {
  /** GAS (fractions) each request reserves for its fulfilment: the gateway's default minimum. */
  public static final long GAS_FOR_RESPONSE = 10_000_000;

  private ConsumerCalls() {}

  /** The answer the gateway delivered to the consumer's callback. */
  public record Answer(int status, byte[] result) {
    public Answer {
      result = result.clone();
    }

    @Override
    public byte[] result() {
      return result.clone();
    }
  }

  /** The script that calls {@code consumer.request(...)}; the consumer's owner must sign it. */
  public static byte[] requestScript(
      Hash160 consumer, String functionId, String inputJson, long jsGasLimit) {
    return new ScriptBuilder()
        .contractCall(
            consumer,
            "request",
            List.of(
                ContractParameter.string(functionId),
                ContractParameter.byteArray(inputJson.getBytes(StandardCharsets.UTF_8)),
                ContractParameter.integer(BigInteger.valueOf(jsGasLimit)),
                ContractParameter.integer(BigInteger.valueOf(GAS_FOR_RESPONSE))))
        .toArray();
  }

  /**
   * The consumer's stored answer to {@code requestId}, empty before it came. Read-only.
   *
   * @throws ChainException.RpcError when {@code getAnswer} faults (not a consumer like the example)
   */
  public static Optional<Answer> answer(NeoRpcClient rpc, Hash160 consumer, long requestId) {
    JsonNode r =
        rpc.call(
            "invokefunction",
            "0x" + consumer,
            "getAnswer",
            List.of(Map.of("type", "Integer", "value", Long.toString(requestId))));
    if (!"HALT".equals(r.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction getAnswer(" + requestId + ") on 0x" + consumer,
          0,
          "faulted: " + r.path("exception").asText());
    }
    StackValue v = NeoRpcClient.parseStack(r.path("stack").path(0));
    if (v instanceof StackValue.Null) {
      return Optional.empty();
    }
    List<StackValue> pair = v.asList();
    return Optional.of(new Answer(pair.get(0).asInt().intValue(), pair.get(1).asBytes()));
  }
}
