package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.transaction.Transaction;
import io.neow3j.wallet.Account;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link FulfilmentChain} on a neo-go node: transactions built with neow3j ({@link
 * GatewayClient#buildFulfilBatch}) and paid by the operator account, everything else plain JSON-RPC
 * ({@link NeoRpcClient}). Thread-safe.
 */
public final class NeoFulfilmentChain implements FulfilmentChain {
  private final NeoChain chain;
  private final NeoRpcClient rpc;
  private final GatewayClient gateway;
  private final Account operator;
  private final String gatewayHex;
  private final Map<Long, Long> blockTimes =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> e) {
          return size() > 256;
        }
      };

  public NeoFulfilmentChain(
      NeoChain chain, NeoRpcClient rpc, GatewayClient gateway, Account operator) {
    this.chain = chain;
    this.rpc = rpc;
    this.gateway = gateway;
    this.operator = operator;
    this.gatewayHex = gateway.hash().toString().toLowerCase();
  }

  @Override
  public String rpcUrl() {
    return rpc.rpcUrl();
  }

  @Override
  public long blockCount() {
    return rpc.blockCount();
  }

  @Override
  public Map<Long, GatewayClient.RequestState> requestStates(List<Long> requestIds) {
    return gateway.requestStates(requestIds);
  }

  @Override
  public PreparedFulfilment prepare(
      List<FulfilmentMessage.Entry> entries, byte[] batchSignature, long validUntilBlock) {
    Transaction tx = gateway.buildFulfilBatch(entries, batchSignature, operator, validUntilBlock);
    return new PreparedFulfilment("0x" + tx.getTxId(), tx.toArray());
  }

  @Override
  public void send(PreparedFulfilment tx) {
    try {
      rpc.call("sendrawtransaction", Base64.getEncoder().encodeToString(tx.rawTransaction()));
    } catch (ChainException.RpcError e) {
      if (!e.alreadyKnown()) {
        throw e;
      }
    }
  }

  @Override
  public Optional<Inclusion> inclusion(String txHash) {
    Optional<JsonNode> log = rpc.callOptional("getapplicationlog", txHash);
    if (log.isEmpty()) {
      return Optional.empty();
    }
    JsonNode execution = log.get().path("executions").path(0);
    boolean halted = "HALT".equals(execution.path("vmstate").asText());
    List<Long> accepted = new ArrayList<>();
    List<Long> rejected = new ArrayList<>();
    for (JsonNode n : execution.path("notifications")) {
      // Only the gateway's events count: a callback may emit events of the same name.
      if (!NeoRpcClient.strip0x(n.path("contract").asText()).equalsIgnoreCase(gatewayHex)) {
        continue;
      }
      String event = n.path("eventname").asText();
      StackValue first = NeoRpcClient.parseStack(n.path("state")).asList().get(0);
      if (event.equals("Fulfilled")) {
        // One event reports many answers: the packed heads of their entries.
        for (GatewayClient.Fulfilled f : GatewayClient.parseFulfilled(first.asBytes())) {
          accepted.add(f.requestId());
        }
      } else if (event.equals("FulfilmentRejected")) {
        rejected.add(first.asInt().longValueExact());
      }
    }
    long block = rpc.call("gettransactionheight", txHash).asLong();
    // The fees the operator paid: the transaction's own, as the node holds it (also after a
    // restart, when this process never built the transaction it tracks).
    JsonNode tx = rpc.call("getrawtransaction", txHash, 1);
    return Optional.of(
        new Inclusion(
            block,
            halted,
            halted ? "" : execution.path("exception").asText(""),
            accepted,
            rejected,
            fee(tx, "sysfee", txHash),
            fee(tx, "netfee", txHash)));
  }

  private static long fee(JsonNode tx, String name, String txHash) {
    String v = tx.path(name).asText("");
    if (!v.matches("[0-9]{1,18}")) {
      throw new ChainException.RpcError(
          "getrawtransaction " + txHash, 0, "answer has no whole '" + name + "', got '" + v + "'");
    }
    return Long.parseLong(v);
  }

  @Override
  public long blockTimeMillis(long index) {
    synchronized (blockTimes) {
      Long t = blockTimes.get(index);
      if (t != null) {
        return t;
      }
    }
    long t = rpc.call("getblockheader", index, 1).path("time").asLong();
    synchronized (blockTimes) {
      blockTimes.put(index, t);
    }
    return t;
  }

  @Override
  public void refreshFeePolicy() {
    chain.refreshFeePolicy();
  }
}
