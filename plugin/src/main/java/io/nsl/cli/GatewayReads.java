package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.types.Hash160;
import io.nsl.chain.ChainException;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's settings as the CLI reads them: read-only test invocations of its safe methods
 * (contracts/README.md), nothing sent, nothing paid. Thread-safe (stateless over the client).
 */
final class GatewayReads {
  /** GAS's script hash: the same on every Neo N3 network (a native contract). */
  static final Hash160 GAS = new Hash160("d2a4cff31913016155e38e474a2c06d08be276cf");

  private final NeoRpcClient rpc;
  private final Hash160 gateway;

  GatewayReads(NeoRpcClient rpc, Hash160 gateway) {
    this.rpc = rpc;
    this.gateway = gateway;
  }

  /**
   * The fee parameters and pause flag, as {@code getFeeParameters} returns them (datoshi for fees).
   */
  record Fees(
      long requestFee,
      long jsGasPrice,
      long minGasForResponse,
      long maxJsGasLimit,
      long expiryBlocks,
      Hash160 feeRecipient,
      long maxInputSize,
      boolean paused) {}

  Hash160 owner() {
    return hash160(invoke(gateway, "getOwner"));
  }

  boolean allowsSimulated() {
    return bool(invoke(gateway, "allowsSimulated"));
  }

  boolean paused() {
    return bool(invoke(gateway, "isPaused"));
  }

  Fees fees() {
    List<StackValue> f = invoke(gateway, "getFeeParameters").asList();
    return new Fees(
        f.get(0).asInt().longValueExact(),
        f.get(1).asInt().longValueExact(),
        f.get(2).asInt().longValueExact(),
        f.get(3).asInt().longValueExact(),
        f.get(4).asInt().longValueExact(),
        hash160(f.get(5)),
        f.get(6).asInt().longValueExact(),
        bool(f.get(7)));
  }

  /** The account's prepaid balance at the gateway, datoshi. */
  long balanceOf(Hash160 account) {
    return invoke(gateway, "balanceOf", hash160Param(account)).asInt().longValueExact();
  }

  /** The account's own GAS, datoshi. */
  long gasBalanceOf(Hash160 account) {
    return invoke(GAS, "balanceOf", hash160Param(account)).asInt().longValueExact();
  }

  /** An enclave key's [mode, registeredAt, revokedAt], or empty when the gateway never saw it. */
  Optional<List<StackValue>> enclave(byte[] publicKey) {
    StackValue v =
        invoke(
            gateway,
            "getEnclave",
            Map.of("type", "PublicKey", "value", HexFormat.of().formatHex(publicKey)));
    return v instanceof StackValue.Array a ? Optional.of(a.items()) : Optional.empty();
  }

  /** Whether a contract is deployed at {@code hash}. */
  boolean contractExists(Hash160 hash) {
    try {
      rpc.call("getcontractstate", "0x" + hash);
      return true;
    } catch (ChainException.RpcError e) {
      if (e.rpcCode() == UNKNOWN_CONTRACT || e.rpcCode() == LEGACY_UNKNOWN_CONTRACT) {
        return false;
      }
      throw e;
    }
  }

  /** NEP-23's "unknown contract", and the generic code older nodes answer it with. */
  static final int UNKNOWN_CONTRACT = -102;

  static final int LEGACY_UNKNOWN_CONTRACT = -100;

  private static Map<String, String> hash160Param(Hash160 h) {
    return Map.of("type", "Hash160", "value", "0x" + h);
  }

  private StackValue invoke(Hash160 contract, String method, Object... params) {
    JsonNode r = rpc.call("invokefunction", "0x" + contract, method, List.of(params));
    if (!"HALT".equals(r.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction " + method,
          0,
          "faulted: "
              + r.path("exception").asText()
              + " (is 0x"
              + contract
              + " a gateway, and on the network of "
              + rpc.rpcUrl()
              + "?)");
    }
    return NeoRpcClient.parseStack(r.path("stack").path(0));
  }

  private static boolean bool(StackValue v) {
    return v instanceof StackValue.Bool b ? b.value() : v.asInt().signum() != 0;
  }

  /** A Hash160 stack item (little-endian, as the VM keeps it). */
  private static Hash160 hash160(StackValue v) {
    byte[] le = v.asBytes();
    if (le.length != 20) {
      throw new ChainException.RpcError(
          "invokefunction", 0, "expected a 20-byte script hash, got " + le.length + " bytes");
    }
    return new Hash160(HashArgument.reverse(le));
  }

  /** Datoshi as GAS with 8 decimals, trailing zeros dropped ("0.05", "10"). */
  static String gas(long datoshi) {
    return new java.math.BigDecimal(BigInteger.valueOf(datoshi), 8)
        .stripTrailingZeros()
        .toPlainString();
  }
}
