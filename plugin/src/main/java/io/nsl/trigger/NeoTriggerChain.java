package io.nsl.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.chain.ChainException;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.StackValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TriggerChain} over a neo-go node's JSON-RPC: {@code getblockheader}, neo-go's {@code
 * getblocknotifications} and test invocations of the gateway's read-only methods.
 */
public final class NeoTriggerChain implements TriggerChain {
  private static final Logger log = LoggerFactory.getLogger(NeoTriggerChain.class);
  private final NeoRpcClient rpc;
  private final String gateway;

  /**
   * @param gateway the gateway's script hash, 0x big-endian
   */
  public NeoTriggerChain(NeoRpcClient rpc, String gateway) {
    this.rpc = rpc;
    this.gateway = gateway.startsWith("0x") ? gateway : "0x" + gateway;
  }

  @Override
  public Header header(long index) {
    JsonNode h = rpc.call("getblockheader", index, 1);
    return new Header(
        index, Instant.ofEpochMilli(h.path("time").asLong()), h.path("hash").asText());
  }

  @Override
  public long height() {
    return rpc.blockCount() - 1;
  }

  @Override
  public List<Notification> gatewayNotifications(long index) {
    return read(rpc.call("getblocknotifications", index, Map.of("contract", gateway)));
  }

  @Override
  public List<Notification> notifications(long index, String contract, String eventName) {
    return rpc.blockNotifications(index, contract, eventName);
  }

  private static List<Notification> read(JsonNode result) {
    List<Notification> out = new ArrayList<>();
    for (JsonNode n : result.path("application")) {
      out.add(
          new Notification(
              n.path("container").asText(),
              n.path("contract").asText(),
              n.path("eventname").asText(),
              NeoRpcClient.parseStack(n.path("state")).asList()));
    }
    return out;
  }

  @Override
  public Optional<byte[]> codeHash(String functionId) {
    StackValue v = invoke("getFunction", Map.of("type", "String", "value", functionId));
    if (!(v instanceof StackValue.Array a)) {
      return Optional.empty();
    }
    return Optional.of(a.items().get(0).asBytes());
  }

  @Override
  public Optional<List<Subscription>> subscriptions() {
    JsonNode count = rpc.call("invokefunction", gateway, "getSubscriptionCount", List.of());
    if (!"HALT".equals(count.path("state").asText())) {
      return Optional.empty();
    }
    long n = NeoRpcClient.parseStack(count.path("stack").path(0)).asInt().longValueExact();
    List<Subscription> out = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      StackValue v =
          invoke("getSubscription", Map.of("type", "Integer", "value", Long.toString(id)));
      try {
        out.add(SubscriptionBook.fromChain(id, v.asList()));
      } catch (RuntimeException e) {
        // A trigger the gateway accepted but the service cannot use (a cron expression that
        // does not parse): that subscription makes no runs; the others go on.
        log.error("subscription {} makes no runs: {}", id, e.getMessage());
      }
    }
    return Optional.of(out);
  }

  private StackValue invoke(String method, Map<String, String> param) {
    JsonNode result = rpc.call("invokefunction", gateway, method, List.of(param));
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction " + method, 0, "faulted: " + result.path("exception").asText());
    }
    return NeoRpcClient.parseStack(result.path("stack").path(0));
  }
}
