package io.nsl.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP endpoint the {@code latency} workload's functions fetch: {@code GET /quote?value=N} on
 * loopback (a free port), answered after {@link Workload#delayMillis}(N) with {@code
 * {"value":N,"quote":2N}}. One virtual thread per call, so the endpoint itself never queues: the
 * delay a function sees is the workload's, plus loopback. Counts the calls and the most it had in
 * flight at once (the runs all workers had waiting on it), since the last {@link #resetCounts()}.
 *
 * <p>Bench only: it runs inside the report's JVM, started and stopped by it.
 */
final class SlowEndpoint implements AutoCloseable {
  private final Workload workload;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  /** Calls answered and the most in flight at once, since the last reset. */
  record Counts(long calls, long refused, int peakInFlight) {}

  SlowEndpoint(Workload workload) throws IOException {
    this.workload = workload;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.setExecutor(threads);
    server.createContext("/quote", this::quote);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Counts counts() {
    return new Counts(calls.get(), refused.get(), peakInFlight.get());
  }

  void resetCounts() {
    calls.set(0);
    refused.set(0);
    peakInFlight.set(inFlight.get());
  }

  private void quote(HttpExchange x) throws IOException {
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    try (x) {
      Long value = valueOf(x.getRequestURI().getRawQuery());
      if (value == null || !x.getRequestMethod().equals("GET")) {
        refused.incrementAndGet();
        byte[] body = "expected GET /quote?value=<integer>\n".getBytes(StandardCharsets.US_ASCII);
        x.sendResponseHeaders(400, body.length);
        x.getResponseBody().write(body);
        return;
      }
      try {
        Thread.sleep(workload.delayMillis(value)); // the latency being simulated
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // closing: the exchange ends without an answer
      }
      byte[] body =
          ("{\"value\":" + value + ",\"quote\":" + 2 * value + "}")
              .getBytes(StandardCharsets.US_ASCII);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
      calls.incrementAndGet();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The N of a {@code value=N} query, or null when the query is not exactly that. */
  static Long valueOf(String rawQuery) {
    if (rawQuery == null || !rawQuery.matches("value=-?\\d{1,18}")) {
      return null;
    }
    return Long.parseLong(rawQuery.substring("value=".length()));
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
