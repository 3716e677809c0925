package io.nsl.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.chain.ChainException;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.NotificationSource;
import io.nsl.chain.StackValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TriggerChain} over a node's JSON-RPC: {@code getblockheader}, test invocations of the
 * gateway's read-only methods, and a block's notifications read the way the watcher reads them
 * (decision 0801): neo-go's {@code getblocknotifications}, or on a node without it (a C# neo-cli)
 * the standard {@code getblock} and one {@code getapplicationlog} per transaction, keeping
 * executions that ended in HALT. A block's notifications are read once, in one of those ways, and
 * filtered here for the gateway and for each watched event.
 *
 * <p>Threading: one scheduler thread (the watcher's).
 */
public final class NeoTriggerChain implements TriggerChain {
  private static final Logger log = LoggerFactory.getLogger(NeoTriggerChain.class);
  private final NeoRpcClient rpc;
  private final String gateway;
  private final NotificationSource.Mode mode;
  private boolean useStandard;
  private long cachedIndex = -1;
  private List<Notification> cached = List.of();

  /**
   * @param gateway the gateway's script hash, 0x big-endian
   * @param mode the watcher's mode ({@code chain.watcher}): {@code AUTO} reads with neo-go's
   *     extension until the node answers -32601, then with the standard calls for good
   */
  public NeoTriggerChain(NeoRpcClient rpc, String gateway, NotificationSource.Mode mode) {
    this.rpc = rpc;
    this.gateway = gateway.startsWith("0x") ? gateway : "0x" + gateway;
    this.mode = mode;
    this.useStandard = mode == NotificationSource.Mode.STANDARD;
  }

  /** Which way block notifications are read now: {@code notifications} or {@code standard}. */
  public String way() {
    return useStandard ? "standard" : "notifications";
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
    return filter(block(index), gateway, null);
  }

  @Override
  public List<Notification> notifications(long index, String contract, String eventName) {
    return filter(block(index), contract, eventName);
  }

  private static List<Notification> filter(
      List<Notification> notes, String contract, String eventName) {
    String want = normal(contract);
    List<Notification> out = new ArrayList<>();
    for (Notification n : notes) {
      if (normal(n.contractHash()).equals(want)
          && (eventName == null || eventName.equals(n.eventName()))) {
        out.add(n);
      }
    }
    return out;
  }

  private static String normal(String hash) {
    String h = hash.toLowerCase(Locale.ROOT);
    return h.startsWith("0x") ? h : "0x" + h;
  }

  /** Every notification of block {@code index}'s transactions that ended in HALT, in order. */
  private List<Notification> block(long index) {
    if (index != cachedIndex) {
      cached = List.copyOf(readBlock(index));
      cachedIndex = index;
    }
    return cached;
  }

  private List<Notification> readBlock(long index) {
    if (!useStandard) {
      try {
        return application(rpc.call("getblocknotifications", index));
      } catch (ChainException.RpcError e) {
        if (mode != NotificationSource.Mode.AUTO || e.rpcCode() != NeoRpcClient.METHOD_NOT_FOUND) {
          throw e;
        }
        useStandard = true;
        log.info(
            "the node has no getblocknotifications (RPC error {}); triggers read blocks with the"
                + " standard getblock and getapplicationlog from block {} on",
            e.rpcCode(),
            index);
      }
    }
    List<Notification> out = new ArrayList<>();
    for (JsonNode tx : rpc.call("getblock", index, 1).path("tx")) {
      String txHash = tx.path("hash").asText();
      for (JsonNode execution : rpc.call("getapplicationlog", txHash).path("executions")) {
        if ("HALT".equals(execution.path("vmstate").asText())) {
          for (JsonNode n : execution.path("notifications")) {
            out.add(note(txHash, n));
          }
        }
      }
    }
    return out;
  }

  /** The transactions' notifications of a {@code getblocknotifications} answer. */
  private static List<Notification> application(JsonNode result) {
    List<Notification> out = new ArrayList<>();
    for (JsonNode n : result.path("application")) {
      out.add(note(n.path("container").asText(), n));
    }
    return out;
  }

  private static Notification note(String container, JsonNode n) {
    return new Notification(
        container,
        n.path("contract").asText(),
        n.path("eventname").asText(),
        NeoRpcClient.parseStack(n.path("state")).asList());
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

  /** The subscription's budget on chain now (datoshi), or -1 for an unknown id. */
  public long budget(long id) {
    StackValue v = invoke("getSubscription", Map.of("type", "Integer", "value", Long.toString(id)));
    return v instanceof StackValue.Array a ? a.items().get(10).asInt().longValueExact() : -1;
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
