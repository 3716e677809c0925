package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to neo-go's websocket ({@code /ws}, stream {@code block_added}) and announces each new
 * block on a {@link BlockSignal}, so the watcher sees a block within milliseconds instead of a poll
 * interval. Reconnects with backoff; logs once per state change. The subscription only wakes the
 * watcher: blocks are always read from the watcher's durable cursor, so a missed message never
 * loses a request.
 */
public final class BlockSubscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockSubscription.class);
  private final String wsUrl;
  private final BlockSignal signal;
  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService reconnects =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("ws-reconnect").factory());
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
  private volatile WebSocket socket;
  private volatile boolean closed;

  /**
   * @param rpcUrl the node's HTTP RPC address; the websocket is at {@code ws://same-host/ws}
   */
  public BlockSubscription(String rpcUrl, BlockSignal signal) {
    this.wsUrl = rpcUrl.replaceFirst("^http", "ws").replaceAll("/+$", "") + "/ws";
    this.signal = signal;
    this.http = new OkHttpClient.Builder().pingInterval(Duration.ofSeconds(10)).build();
  }

  public void start() {
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    socket = http.newWebSocket(new Request.Builder().url(wsUrl).build(), new Listener());
  }

  private final class Listener extends WebSocketListener {
    @Override
    public void onOpen(WebSocket ws, Response response) {
      ws.send(
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"subscribe\",\"params\":[\"block_added\"]}");
      synchronized (backoff) {
        if (backoff.onSuccess()) {
          log.info("websocket to {} is back; following new blocks live", wsUrl);
        }
      }
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      try {
        JsonNode msg = json.readTree(text);
        if ("block_added".equals(msg.path("method").asText())) {
          signal.announce(msg.path("params").path(0).path("index").asLong());
        } else if (msg.has("error")) {
          log.warn("node refused the block subscription: {}", msg.get("error"));
        }
      } catch (IOException e) {
        log.warn("unreadable websocket message from {}: {}", wsUrl, e.getMessage());
      }
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      scheduleReconnect(t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      scheduleReconnect("closed (" + code + " " + reason + ")");
    }
  }

  private void scheduleReconnect(String why) {
    if (closed) {
      return;
    }
    Duration wait;
    synchronized (backoff) {
      wait = backoff.onFailure();
      if (backoff.failures() == 1) {
        log.warn("websocket to {} lost ({}); polling until it is back", wsUrl, why);
      }
    }
    reconnects.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    WebSocket s = socket;
    if (s != null) {
      s.close(1000, "service stopping");
    }
    reconnects.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
