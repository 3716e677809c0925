package io.nsl.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.types.Hash160;
import io.nsl.api.ConsoleBackends;
import io.nsl.chain.ChainException;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator view's money figures, read from the node on each call by test invocations (nothing
 * sent, nothing paid): the operator account's GAS, the gateway's fee recipient and that account's
 * prepaid balance at the gateway. The fees themselves are the gateway's: each fulfilled request's
 * fee (requestFee + jsGasLimit × jsGasPrice + gasForResponse, fixed when it was made) is credited
 * to the fee recipient's balance there, whoever answered it; the service cannot tell its own share
 * apart from the balance, so it shows the balance and who it belongs to. Thread-safe (stateless
 * over the client).
 */
final class OperatorFunds implements Supplier<ConsoleBackends.Funds> {
  /** GAS's script hash: the same on every Neo N3 network (a native contract). */
  static final Hash160 GAS = new Hash160("d2a4cff31913016155e38e474a2c06d08be276cf");

  private final NeoRpcClient rpc;
  private final Hash160 gateway;
  private final Hash160 operator;

  OperatorFunds(NeoRpcClient rpc, Hash160 gateway, Hash160 operator) {
    this.rpc = rpc;
    this.gateway = gateway;
    this.operator = operator;
  }

  /** Never throws for the node's failures: a figure it could not read is null, and says why. */
  @Override
  public ConsoleBackends.Funds get() {
    Long operatorGas = null;
    String recipient = null;
    Long recipientBalance = null;
    try {
      operatorGas = integer(invoke(GAS, "balanceOf", operator));
      List<StackValue> fees = invoke(gateway, "getFeeParameters").asList();
      byte[] le = fees.get(5).asBytes(); // [5] feeRecipient, little-endian as stored
      byte[] be = new byte[le.length];
      for (int i = 0; i < le.length; i++) {
        be[i] = le[le.length - 1 - i];
      }
      Hash160 r = new Hash160(be);
      recipient = "0x" + r;
      recipientBalance = integer(invoke(gateway, "balanceOf", r));
      return new ConsoleBackends.Funds(operatorGas, recipient, recipientBalance, null);
    } catch (ChainException
        | IllegalArgumentException
        | IndexOutOfBoundsException
        | ArithmeticException e) {
      return new ConsoleBackends.Funds(
          operatorGas,
          recipient,
          recipientBalance,
          "the node at " + rpc.rpcUrl() + " could not be read: " + e.getMessage());
    }
  }

  private static long integer(StackValue v) {
    return v.asInt().longValueExact();
  }

  private StackValue invoke(Hash160 contract, String method, Hash160... accounts) {
    Object[] params =
        java.util.Arrays.stream(accounts)
            .map(a -> Map.of("type", "Hash160", "value", "0x" + a))
            .toArray();
    JsonNode r = rpc.call("invokefunction", "0x" + contract, method, List.of(params));
    if (!"HALT".equals(r.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction " + method, 0, "faulted: " + r.path("exception").asText());
    }
    return NeoRpcClient.parseStack(r.path("stack").path(0));
  }
}
