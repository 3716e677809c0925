package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the watcher reads a block's contract notifications from. Two ways, one result: neo-go's
 * {@code getblocknotifications} extension (one call per block), or the standard N3 RPC every node
 * has ({@code getblock} verbose, then {@code getapplicationlog} per transaction; a C# neo-cli node
 * needs its ApplicationLogs plugin for the latter). Either way only notifications of transactions
 * that ended in HALT count: a faulted transaction's notifications never happened.
 *
 * <p>Implementations are thread-safe and throw {@link ChainException} as {@link NeoRpcClient} does.
 */
public interface NotificationSource {
  /**
   * The notifications that transactions in block {@code index} emitted from {@code contractHash}
   * (0x-prefixed, big-endian as RPC shows it) under {@code eventName}, in execution order.
   */
  List<NeoRpcClient.Notification> blockNotifications(
      long index, String contractHash, String eventName);

  /**
   * Which way this source reads now, for logs and readiness: {@code notifications} or {@code
   * standard}.
   */
  String way();

  /** The {@code chain.watcher} setting. */
  enum Mode {
    /** neo-go's extension while the node has it; the standard calls from its first -32601 on. */
    AUTO,
    /** neo-go's {@code getblocknotifications} only. */
    NOTIFICATIONS,
    /** {@code getblock} + {@code getapplicationlog} only. */
    STANDARD;

    /**
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Mode parse(String value) {
      for (Mode m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(value)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "'" + value + "' is not a watcher mode: use auto, notifications or standard");
    }
  }

  /** The source for {@code mode}. */
  static NotificationSource of(Mode mode, NeoRpcClient rpc) {
    return switch (mode) {
      case NOTIFICATIONS -> new NeoGo(rpc);
      case STANDARD -> new Standard(rpc);
      case AUTO -> new Auto(rpc);
    };
  }

  /** neo-go's {@code getblocknotifications}. */
  final class NeoGo implements NotificationSource {
    private final NeoRpcClient rpc;

    public NeoGo(NeoRpcClient rpc) {
      this.rpc = rpc;
    }

    @Override
    public List<NeoRpcClient.Notification> blockNotifications(
        long index, String contractHash, String eventName) {
      return rpc.blockNotifications(index, contractHash, eventName);
    }

    @Override
    public String way() {
      return "notifications";
    }
  }

  /** Standard N3 RPC: the block's transactions, then each one's application log. */
  final class Standard implements NotificationSource {
    private final NeoRpcClient rpc;

    public Standard(NeoRpcClient rpc) {
      this.rpc = rpc;
    }

    @Override
    public List<NeoRpcClient.Notification> blockNotifications(
        long index, String contractHash, String eventName) {
      String contract = "0x" + NeoRpcClient.strip0x(contractHash).toLowerCase(Locale.ROOT);
      List<NeoRpcClient.Notification> out = new ArrayList<>();
      for (JsonNode tx : rpc.call("getblock", index, 1).path("tx")) {
        String txHash = tx.path("hash").asText();
        JsonNode log = rpc.call("getapplicationlog", txHash);
        for (JsonNode execution : log.path("executions")) {
          if (!"HALT".equals(execution.path("vmstate").asText())) {
            continue;
          }
          for (JsonNode n : execution.path("notifications")) {
            String from = n.path("contract").asText().toLowerCase(Locale.ROOT);
            if (from.equals(contract) && eventName.equals(n.path("eventname").asText())) {
              out.add(
                  new NeoRpcClient.Notification(
                      txHash,
                      n.path("contract").asText(),
                      eventName,
                      NeoRpcClient.parseStack(n.path("state")).asList()));
            }
          }
        }
      }
      return out;
    }

    @Override
    public String way() {
      return "standard";
    }
  }

  /**
   * neo-go's extension until the node answers "method not found" (-32601, detected by code, never
   * by message), then the standard calls for good: a node behind fail-over may be another kind.
   */
  final class Auto implements NotificationSource {
    private static final Logger log = LoggerFactory.getLogger(NotificationSource.class);
    private final NeoGo neoGo;
    private final Standard standard;
    private volatile boolean useStandard;

    public Auto(NeoRpcClient rpc) {
      this.neoGo = new NeoGo(rpc);
      this.standard = new Standard(rpc);
    }

    @Override
    public List<NeoRpcClient.Notification> blockNotifications(
        long index, String contractHash, String eventName) {
      if (!useStandard) {
        try {
          return neoGo.blockNotifications(index, contractHash, eventName);
        } catch (ChainException.RpcError e) {
          if (e.rpcCode() != NeoRpcClient.METHOD_NOT_FOUND) {
            throw e;
          }
          useStandard = true;
          log.info(
              "the node has no getblocknotifications (RPC error {}); reading blocks with the"
                  + " standard getblock and getapplicationlog from block {} on",
              e.rpcCode(),
              index);
        }
      }
      return standard.blockNotifications(index, contractHash, eventName);
    }

    @Override
    public String way() {
      return useStandard ? standard.way() : neoGo.way();
    }
  }
}
