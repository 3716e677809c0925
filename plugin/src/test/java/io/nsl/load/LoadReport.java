package io.nsl.load;

import io.neow3j.types.Hash160;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
import io.nsl.devnet.LocalStack;
import io.nsl.testing.GatewayEvents;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The load script behind {@code bench/load/run.sh}: drives the real stack (local neo-go, gateway,
 * service in simulation mode) at fixed request rates and prints a report: fulfilment latency in
 * blocks and seconds (p50, p95), whether the service kept up, and the share of time per stage. Not
 * a test: no assertions; numbers go to docs/performance.md.
 *
 * <p>Usage: LoadReport [rate,...] [secondsPerRate] [ws|poll]
 */
public final class LoadReport {
  public static void main(String[] args) throws Exception {
    int[] rates = parseRates(args.length > 0 ? args[0] : "10,50,200");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Path root = ProjectRoot.find();
    Path data = Files.createTempDirectory("nsl-load-");
    PrintStream out = System.out;
    boolean websocket = !(args.length > 2 && args[2].equals("poll"));
    out.println(
        "following the chain by "
            + (websocket
                ? "websocket (block_added) + catch-up polling"
                : "polling every 1000 ms only"));
    try (LocalStack stack = LocalStack.start(root, data, out, websocket)) {
      stack.registerFunction(
          "echo", Files.readString(root.resolve("plugin/src/test/resources/functions/echo.js")));
      Hash160 consumer = stack.deployment().consumer();
      // Enough prepaid fees for every rate.
      long total = 0;
      for (int r : rates) {
        total += (long) r * seconds;
      }
      stack
          .service()
          .gateway()
          .deposit(stack.node().wallets().developer(), consumer, (total + 100) * 20_000_000L);
      out.println();
      out.printf(
          "%-8s %-9s %-9s %-8s %-8s %-9s %-9s %-8s %s%n",
          "rate/s",
          "requests",
          "fulfilled",
          "p50 blk",
          "p95 blk",
          "p50 s",
          "p95 s",
          "max s",
          "kept up");
      for (int rate : rates) {
        runRate(stack, consumer, rate, seconds, out);
      }
      out.println();
      Map<String, Double> stages = stack.service().metrics().stageTotals();
      double sum = stages.values().stream().mapToDouble(Double::doubleValue).sum();
      out.println("share of time per stage (all rates):");
      stages.forEach(
          (k, v) -> out.printf("  %-8s %6.1f %%  (%.1f s in total)%n", k, 100 * v / sum, v));
      long n = stack.service().metrics().requestsSeen();
      if (n > 0 && stages.containsKey("watch")) {
        out.printf(
            "mean time from a request's block to the watcher seeing it: %.0f ms%n",
            1000 * stages.get("watch") / n);
      }
      out.println("fulfilment transactions: " + stack.service().metrics().fulfilTransactions());
    }
  }

  private static void runRate(
      LocalStack stack, Hash160 consumer, int rate, int seconds, PrintStream out) throws Exception {
    NeoRpcClient rpc = new NeoRpcClient(stack.node().rpcUrl());
    GatewayEvents events =
        new GatewayEvents(rpc, stack.gateway().toString(), stack.node().chain().blockCount() - 1);
    int perTx = Math.max(1, Math.min(20, rate / 4)); // up to 4 transactions a second
    double txPerSecond = (double) rate / perTx;
    long intervalNanos = (long) (1e9 / txPerSecond);
    int totalTx = (int) Math.round(txPerSecond * seconds);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    java.util.concurrent.atomic.AtomicInteger sentRequests =
        new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < totalTx; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      List<Ask> asks = new ArrayList<>();
      for (int j = 0; j < perTx; j++) {
        asks.add(new Ask(consumer, "echo", "{\"n\":" + (i * perTx + j) + "}", 1_000_000));
      }
      senders.submit(
          () -> {
            DevnetDeployment.requestMany(
                stack.node().chain(), stack.node().wallets().developer(), asks, false);
            sentRequests.addAndGet(asks.size());
          });
    }
    senders.shutdown();
    if (!senders.awaitTermination(60, TimeUnit.SECONDS)) {
      // The generator shares the cores with the node and the service: past ~200 req/s here it
      // cannot send at the asked rate. Say so instead of leaving sends running (which kept the
      // JVM alive after the report).
      out.printf(
          "  (load generator fell behind: %d of %d request transactions not sent in time; dropped)%n",
          senders.shutdownNow().size(), totalTx);
    }
    int expected = sentRequests.get(); // what the node accepted from the generator
    boolean all =
        events.awaitAllFulfilled(expected, Duration.ofSeconds(Math.max(60, seconds * 4L)));
    List<Long> blocks = new ArrayList<>();
    List<Double> secs = new ArrayList<>();
    Map<Long, Long> times = new java.util.HashMap<>();
    for (var r : events.requested.values()) {
      var f = events.fulfilled.get(r.id());
      if (f == null) {
        continue;
      }
      long fb = f.get(0).block();
      blocks.add(fb - r.block());
      long t0 =
          times.computeIfAbsent(
              r.block(), b -> rpc.call("getblockheader", b, 1).path("time").asLong());
      long t1 =
          times.computeIfAbsent(fb, b -> rpc.call("getblockheader", b, 1).path("time").asLong());
      secs.add((t1 - t0) / 1000.0);
    }
    Collections.sort(blocks);
    Collections.sort(secs);
    out.printf(
        "%-8d %-9d %-9d %-8d %-8d %-9.2f %-9.2f %-8.2f %s%n",
        rate,
        events.requested.size(),
        blocks.size(),
        pct(blocks, 50),
        pct(blocks, 95),
        pct(secs, 50),
        pct(secs, 95),
        secs.isEmpty() ? 0 : secs.get(secs.size() - 1),
        all ? "yes" : "NO (backlog grew)");
  }

  private static <T> T pct(List<T> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static int[] parseRates(String s) {
    String[] parts = s.split(",");
    int[] r = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      r[i] = Integer.parseInt(parts[i].trim());
    }
    return r;
  }
}
