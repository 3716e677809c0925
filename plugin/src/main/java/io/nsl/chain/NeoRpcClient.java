package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Plain JSON-RPC to a Neo node, for what neow3j 3.17.0 lacks: neo-go's {@code
 * getblocknotifications} extension, the standard calls the watcher reads blocks with, and raw stack
 * items. With several endpoints ({@link RpcEndpoints}) a call that cannot reach the current node
 * moves to the next. Thread-safe.
 */
public final class NeoRpcClient {
  private static final MediaType JSON = MediaType.get("application/json");
  private final RpcEndpoints endpoints;
  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong();

  /** One node, over {@code http} as given (no fail-over). */
  public NeoRpcClient(String rpcUrl, OkHttpClient http) {
    this.endpoints = RpcEndpoints.of(rpcUrl);
    this.http = http;
  }

  public NeoRpcClient(String rpcUrl) {
    this(RpcEndpoints.of(rpcUrl));
  }

  /** The nodes of {@code endpoints}, failing over between them. */
  public NeoRpcClient(RpcEndpoints endpoints) {
    this(
        endpoints,
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(3))
            .readTimeout(Duration.ofSeconds(20))
            .addInterceptor(endpoints.interceptor())
            .build());
  }

  /** For tests: {@code http} must route through {@code endpoints.interceptor()}. */
  NeoRpcClient(RpcEndpoints endpoints, OkHttpClient http) {
    this.endpoints = endpoints;
    this.http = http;
  }

  /** The endpoint calls go to now. */
  public String rpcUrl() {
    return endpoints.current();
  }

  /**
   * Calls {@code method} and returns its {@code result}.
   *
   * @throws ChainException.NodeUnreachable on transport failure (retryable)
   * @throws ChainException.RpcError when the node answers with an error
   */
  public JsonNode call(String method, Object... params) {
    ObjectNode req = json.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", ids.incrementAndGet());
    req.put("method", method);
    ArrayNode p = req.putArray("params");
    for (Object o : params) {
      p.add(json.valueToTree(o));
    }
    Request request;
    try {
      request =
          new Request.Builder()
              .url(endpoints.current())
              .post(RequestBody.create(json.writeValueAsBytes(req), JSON))
              .build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode RPC params for " + method, e);
    }
    JsonNode body;
    try (Response response = http.newCall(request).execute()) {
      if (response.body() == null || !response.isSuccessful()) {
        throw new ChainException.NodeUnreachable(
            endpoints.current(), new IOException("HTTP " + response.code() + " for " + method));
      }
      body = json.readTree(response.body().byteStream());
    } catch (IOException e) {
      throw new ChainException.NodeUnreachable(endpoints.describe(), e);
    }
    JsonNode error = body.get("error");
    if (error != null && !error.isNull()) {
      String data = error.path("data").asText("");
      throw new ChainException.RpcError(
          method,
          error.path("code").asInt(),
          error.path("message").asText() + (data.isEmpty() ? "" : " (" + data + ")"));
    }
    return body.get("result");
  }

  /**
   * Like {@link #call}, but empty when the node does not know the item asked for (NEP-23 codes -103
   * unknown transaction, -105 unknown script container). Any other error still throws: a node that
   * fails is not a transaction that is missing.
   */
  public Optional<JsonNode> callOptional(String method, Object... params) {
    try {
      return Optional.of(call(method, params));
    } catch (ChainException.RpcError e) {
      if (e.unknownItem()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public long blockCount() {
    return call("getblockcount").asLong();
  }

  /** JSON-RPC's code for a method the node does not have (e.g. neo-go's extensions on neo-cli). */
  public static final int METHOD_NOT_FOUND = -32601;

  /** The hash of block {@code index}, 0x-prefixed as RPC shows it. */
  public String blockHash(long index) {
    return call("getblockhash", index).asText();
  }

  /** The network magic the node reports. */
  public long networkMagic() {
    return call("getversion").path("protocol").path("network").asLong();
  }

  /** One notification from a block, with the transaction (or block) that emitted it. */
  public record Notification(
      String containerHash, String contractHash, String eventName, List<StackValue> state) {
    public Notification {
      state = List.copyOf(state);
    }
  }

  /**
   * The notifications that transactions in block {@code index} emitted from {@code contractHash}
   * (0x-prefixed, big-endian as RPC shows it) under {@code eventName}. Only successful (HALT)
   * executions emit notifications.
   */
  public List<Notification> blockNotifications(long index, String contractHash, String eventName) {
    // neo-go's filter takes the hash in the usual 0x display form (what it calls "LE").
    JsonNode result =
        call(
            "getblocknotifications",
            index,
            Map.of("contract", "0x" + strip0x(contractHash), "name", eventName));
    List<Notification> out = new ArrayList<>();
    for (JsonNode n : result.path("application")) {
      out.add(
          new Notification(
              n.path("container").asText(),
              n.path("contract").asText(),
              n.path("eventname").asText(),
              parseStack(n.path("state")).asList()));
    }
    return out;
  }

  /** Parses a stack item in the node's JSON form. */
  public static StackValue parseStack(JsonNode item) {
    String type = item.path("type").asText();
    JsonNode value = item.get("value");
    return switch (type) {
      case "Integer" -> new StackValue.Int(new BigInteger(value.asText()));
      case "ByteString", "Buffer" ->
          new StackValue.Bytes(Base64.getDecoder().decode(value.asText()));
      case "Boolean" -> new StackValue.Bool(value.asBoolean());
      case "Array", "Struct" -> {
        List<StackValue> items = new ArrayList<>();
        for (JsonNode v : value) {
          items.add(parseStack(v));
        }
        yield new StackValue.Array(items);
      }
      case "Map" -> {
        List<Map.Entry<StackValue, StackValue>> entries = new ArrayList<>();
        for (JsonNode kv : value) {
          entries.add(Map.entry(parseStack(kv.get("key")), parseStack(kv.get("value"))));
        }
        yield new StackValue.Map(entries);
      }
      default -> new StackValue.Null();
    };
  }

  static String strip0x(String hex) {
    return hex.startsWith("0x") ? hex.substring(2) : hex;
  }
}
