package io.nsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.cli.Main;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetDeployment.Ask;
import io.nsl.devnet.DevnetHome;
import io.nsl.devnet.DevnetWallets;
import io.nsl.testing.GatewayEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * The several-workers report behind {@code bench/workers/run.sh} (issue 19): for 1, 2 and 3 workers
 * on one PostgreSQL server ({@code ./nsl devnet up --workers N --store postgresql}, a fresh devnet
 * each), it sends the same number of requests (the example function {@code double}, which reads a
 * secret from the shared store) as fast as the load generator can, waits until every one is
 * answered on chain, and prints side by side: the sustained answer rate (answered requests over the
 * block time from the first request to the last answer), its ratio to 1 worker, p50/p95 blocks from
 * request to answer, and what could be the limit: the CPU of each worker, the node, PostgreSQL and
 * this generator (share of one core over the measured span), the chain's block time, the answers
 * per fulfilment transaction (the gateway batch) and the load average. Not a test: no assertions;
 * the figures go to docs/performance.md.
 *
 * <p>Every run of a function holds that function's lock in the shared store (state consistency,
 * decision 1010), so the runs of one function are serial across all workers: the requests are
 * spread round-robin over {@code functions} copies of {@code double} ({@code double-1}, …,
 * registered by the same developer, so they read the same secret), or all go to {@code double} with
 * {@code functions} = 1.
 *
 * <p>Before the measured requests, {@code warmup} requests per worker are sent and answered (not
 * counted; the assignment spreads them over the workers): each worker is a fresh JVM that spends
 * most of its first minutes compiling (the JIT compilers took 57–66 % of a worker's CPU over its
 * start and first 600 requests, docs/performance.md), and three of them would otherwise pay three
 * times that inside the measured span.
 *
 * <p>The workload ({@link Workload}, system property {@code nsl.bench.workload}, {@code WORKLOAD}
 * in run.sh) is {@code double} by default. {@code latency} registers {@code functions} copies of
 * bench/workers/quote.js instead ({@code quote-1}, …), which fetch a {@link SlowEndpoint} this JVM
 * runs on loopback and which answers in 200–500 ms: the workers are restarted with a dev-mode fetch
 * rule that allows it, and the report adds the endpoint's count of fetches, the most in flight at
 * once, and the ceiling the executor threads and the function locks set.
 *
 * <p>Usage: WorkersReport [requests=1500] [workerCounts=1,2,3] [functions=6, 30 for latency]
 * [warmup=200]
 */
public final class WorkersReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PER_TX = 20;
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

  record Result(
      int workers,
      int sent,
      int answered,
      Map<Integer, Integer> notOk,
      SlowEndpoint.Counts fetches,
      Map<String, Double> workerCounts,
      double perSecond,
      long p50Blocks,
      long p95Blocks,
      double blockSeconds,
      double batch,
      List<Double> workerCpu,
      double nodeCpu,
      double postgresCpu,
      double generatorCpu,
      double sendSeconds,
      String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
    List<Integer> counts = new ArrayList<>();
    for (String c : (args.length > 1 ? args[1] : "1,2,3").split(",")) {
      counts.add(Integer.parseInt(c.trim()));
    }
    Workload workload = Workload.parse(System.getProperty("nsl.bench.workload", "double"));
    int functions = args.length > 2 ? Integer.parseInt(args[2]) : workload.defaultFunctions();
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    PrintStream out = System.out;
    Path root = ProjectRoot.find();
    Path base = Files.createTempDirectory("nsl-workers-bench-");
    List<Result> results = new ArrayList<>();
    try (SlowEndpoint endpoint = workload.fetches() ? new SlowEndpoint(workload) : null) {
      Path code = root.resolve("examples/functions/double.js");
      if (endpoint != null) {
        code = base.resolve("quote.js");
        Files.writeString(
            code,
            Files.readString(root.resolve("bench/workers/quote.js"))
                .replace("@ENDPOINT@", endpoint.base().toString()));
        out.printf(
            "workload %s: each run fetches %s/quote (answers after %d-%d ms, mean %.0f)%n",
            workload,
            endpoint.base(),
            workload.minDelayMs(),
            workload.maxDelayMs(),
            workload.meanDelayMillis());
      }
      for (int n : counts) {
        out.printf(
            "== %d worker(s), %d requests over %d function(s) (devnet in %s)%n",
            n, requests, functions, base);
        results.add(
            runOne(
                base.resolve("w" + n),
                n,
                requests,
                new Functions(workload, functions, code),
                endpoint,
                warmup,
                out));
      }
    }
    print(workload, results, functions, out);
  }

  /** The functions the requests go to: {@code count} copies of {@code code}, named by workload. */
  record Functions(Workload workload, int count, Path code) {}

  private static Result runOne(
      Path dir,
      int workers,
      int requests,
      Functions functions,
      SlowEndpoint endpoint,
      int warmup,
      PrintStream out)
      throws Exception {
    Path root = ProjectRoot.find();
    JsonNode info =
        cli(
            "devnet",
            "up",
            "--dir",
            dir.toString(),
            "--workers",
            Integer.toString(workers),
            "--store",
            "postgresql",
            "--json");
    try {
      if (endpoint != null) {
        allowLoopbackFetch(dir, workers, out);
        awaitReady(dir, Duration.ofSeconds(300));
      }
      List<String> ids = new ArrayList<>();
      long r0 = System.nanoTime();
      for (int f = 1; f <= functions.count(); f++) {
        String id = functions.workload().functionId(f, functions.count());
        ids.add(id);
        if (id.equals("double")) {
          continue; // the devnet registered the example itself
        }
        cli(
            "function",
            "register",
            functions.code().toString(),
            "--id",
            id,
            "--api",
            info.path("apiUrl").asText(),
            "--rpc",
            info.path("rpcUrl").asText(),
            "--gateway",
            info.path("gateway").asText(),
            "--wallet",
            info.path("wallets").path("developer").path("path").asText(),
            "--wallet-password-env",
            "NSL_BENCH_PASSWORD_UNSET",
            "--json");
      }
      out.printf(
          "  %d function(s) registered in %.1f s%n", ids.size(), (System.nanoTime() - r0) / 1e9);
      awaitReady(dir, Duration.ofSeconds(300));
      JsonNode status = cli("devnet", "status", "--dir", dir.toString(), "--json");
      List<Long> workerPids = new ArrayList<>();
      status.path("workers").forEach(w -> workerPids.add(w.path("pid").asLong()));
      List<String> apiUrls = new ArrayList<>();
      status.path("workers").forEach(w -> apiUrls.add(w.path("apiUrl").asText()));
      long postgres = status.path("postgresql").path("pid").asLong();
      long node = Long.parseLong(Files.readString(dir.resolve("node/neo-go.pid")).trim());
      long self = ProcessHandle.current().pid();

      String rpcUrl = info.path("rpcUrl").asText();
      NeoRpcClient rpc = new NeoRpcClient(rpcUrl);
      NeoChain chain = new NeoChain(rpcUrl, Duration.ofMillis(100));
      Hash160 consumer = new Hash160(info.path("consumer").asText().substring(2));
      Account developer = new DevnetWallets(root.resolve("config/devnet")).developer();
      if (warmup > 0) {
        // A fresh worker JVM compiles as it goes: answered before the measured requests are sent,
        // these keep the one-off compilation of 1, 2 or 3 fresh JVMs out of the sustained rate.
        GatewayEvents warm =
            new GatewayEvents(rpc, info.path("gateway").asText(), chain.blockCount() - 1);
        long w0 = System.nanoTime();
        Made warmed =
            awaitAnswered(
                warm,
                rpc,
                sendAll(chain, developer, consumer, ids, warmup * workers, out),
                Duration.ofSeconds(600));
        out.printf(
            "  warm-up: %d of %d requests answered in %.1f s (%d request transaction(s)"
                + " FAULTed)%n",
            warm.fulfilled.size(),
            warmed.requests().size(),
            (System.nanoTime() - w0) / 1e9,
            warmed.faultedTxs());
      }
      GatewayEvents events =
          new GatewayEvents(rpc, info.path("gateway").asText(), chain.blockCount() - 1);

      if (endpoint != null) {
        endpoint.resetCounts();
      }
      Map<String, Double> counts0 = workerCounts(apiUrls, out);
      String loadBefore = loadAverage();
      Map<Long, Long> cpu0 = cpuTicks(workerPids, node, postgres, self);
      long t0 = System.nanoTime();
      List<String> sentTxs = sendAll(chain, developer, consumer, ids, requests, out);
      double sendSeconds = (System.nanoTime() - t0) / 1e9;
      Made made = awaitAnswered(events, rpc, sentTxs, Duration.ofSeconds(900));
      boolean all = made.all();
      double wall = (System.nanoTime() - t0) / 1e9;
      Map<Long, Long> cpu1 = cpuTicks(workerPids, node, postgres, self);
      Map<String, Double> counts1 = workerCounts(apiUrls, out);
      Map<String, Double> workerCounts = new LinkedHashMap<>();
      counts1.forEach((k, v) -> workerCounts.put(k, v - counts0.getOrDefault(k, 0.0)));
      SlowEndpoint.Counts fetches =
          endpoint == null ? new SlowEndpoint.Counts(0, 0, 0) : endpoint.counts();
      String loadAfter = loadAverage();
      if (!all) {
        out.printf(
            "  NOT all answered within 900 s: %d of %d%n",
            events.fulfilled.size(), made.requests().size());
      }
      if (made.faultedTxs() > 0) {
        out.printf(
            "  %d request transaction(s) FAULTED on chain (their requests were never made; the"
                + " system fee estimated when sent was short at execution)%n",
            made.faultedTxs());
        made.faults().forEach(f -> out.println("    " + f));
      }

      Map<Long, Long> blockTime = new HashMap<>();
      List<Long> blocks = new ArrayList<>();
      long firstRequestBlock = Long.MAX_VALUE;
      long lastAnswerBlock = 0;
      Map<Integer, Integer> notOk = new java.util.TreeMap<>();
      for (var r : made.requests()) {
        var f = events.fulfilled.get(r.id());
        firstRequestBlock = Math.min(firstRequestBlock, r.block());
        if (f != null) {
          if (f.getFirst().status() != 0) {
            notOk.merge(f.getFirst().status(), 1, Integer::sum);
          }
          blocks.add(f.getFirst().block() - r.block());
          lastAnswerBlock = Math.max(lastAnswerBlock, f.getFirst().block());
        }
      }
      Collections.sort(blocks);
      double span =
          (time(rpc, blockTime, lastAnswerBlock) - time(rpc, blockTime, firstRequestBlock))
              / 1000.0;
      double blockSeconds = span / Math.max(1, lastAnswerBlock - firstRequestBlock);
      List<Double> workerCpu = new ArrayList<>();
      for (long pid : workerPids) {
        workerCpu.add(share(cpu0, cpu1, pid, wall));
      }
      Result r =
          new Result(
              workers,
              made.requests().size(),
              blocks.size(),
              notOk,
              fetches,
              workerCounts,
              blocks.size() / Math.max(span, 0.001),
              pct(blocks, 50),
              pct(blocks, 95),
              blockSeconds,
              (double) blocks.size() / Math.max(1, events.fulfilTxs.size()),
              workerCpu,
              share(cpu0, cpu1, node, wall),
              share(cpu0, cpu1, postgres, wall),
              share(cpu0, cpu1, self, wall),
              sendSeconds,
              loadBefore,
              loadAfter);
      out.printf(
          "  %d answered of %d in %.1f s of blocks (sent in %.1f s): %.1f/s, p95 %d blocks%n",
          r.answered(), r.sent(), span, sendSeconds, r.perSecond(), r.p95Blocks());
      out.println("  " + describe(workerCounts));
      if (!notOk.isEmpty()) {
        out.printf("  answers with an error status (status=count, docs/functions.md): %s%n", notOk);
      }
      if (endpoint != null) {
        out.printf(
            "  endpoint: %d fetches answered (%d refused), at most %d in flight at once%n",
            fetches.calls(), fetches.refused(), fetches.peakInFlight());
      }
      return r;
    } finally {
      cli("devnet", "down", "--purge", "--dir", dir.toString(), "--json");
    }
  }

  /**
   * Lets the devnet's workers fetch the report's endpoint: adds a {@code fetch} section to each
   * worker's configuration (plain http to 127.0.0.1, loopback allowed: the dev-mode rule the
   * simulator's {@code --dev-http} gives, never a production setting) and restarts the workers with
   * it ({@code devnet up} starts the stopped ones again, keys and data kept). {@code devnet up} has
   * no option for fetch rules, and the workers read their configuration only at start.
   */
  private static void allowLoopbackFetch(Path dir, int workers, PrintStream out)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    DevnetHome home = new DevnetHome(dir);
    List<ProcessHandle> running = new ArrayList<>();
    for (int n = 1; n <= workers; n++) {
      Files.writeString(
          home.serviceConfig(n),
          String.join(
              "\n",
              "# Added by io.nsl.load.WorkersReport (latency workload): fetch may call the report's"
                  + " endpoint",
              "# on loopback over plain http. Dev mode only.",
              "fetch:",
              "  allowedHosts: [\"127.0.0.1\"]",
              "  allowHttp: true",
              "  allowPrivateAddresses: true",
              ""),
          StandardOpenOption.APPEND);
      home.service(n).ifPresent(running::add);
    }
    running.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : running) {
      try {
        h.onExit().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "worker process " + h.pid() + " did not stop within 60 s of SIGTERM", e);
      }
    }
    cli("devnet", "up", "--dir", dir.toString(), "--json");
    out.printf(
        "  %d worker(s) restarted with the loopback fetch rule in %.1f s%n",
        workers, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Sends {@code requests} requests at once, {@value #PER_TX} to a transaction from 4 threads,
   * round-robin over the functions {@code ids}; returns the hashes of the transactions sent. A
   * transaction that could not be sent is printed and left out.
   */
  private static List<String> sendAll(
      NeoChain chain,
      Account developer,
      Hash160 consumer,
      List<String> ids,
      int requests,
      PrintStream out)
      throws InterruptedException {
    List<String> sentTxs = Collections.synchronizedList(new ArrayList<>());
    ExecutorService senders = Executors.newFixedThreadPool(4);
    for (int i = 0; i * PER_TX < requests; i++) {
      List<Ask> asks = new ArrayList<>();
      for (int j = i * PER_TX; j < Math.min(requests, (i + 1) * PER_TX); j++) {
        asks.add(new Ask(consumer, ids.get(j % ids.size()), "{\"value\":" + j + "}", 1_000_000));
      }
      senders.submit(
          () -> {
            try {
              sentTxs.add(DevnetDeployment.requestMany(chain, developer, asks, false));
            } catch (RuntimeException e) {
              out.println("  a request transaction was not sent: " + e.getMessage());
            }
          });
    }
    senders.shutdown();
    if (!senders.awaitTermination(300, TimeUnit.SECONDS)) {
      senders.shutdownNow();
    }
    return List.copyOf(sentTxs);
  }

  /**
   * The requests made on chain: those of request transactions that ended HALT (a FAULTed one's
   * notifications are in its application log but its requests were never made).
   */
  record Made(
      List<GatewayEvents.Requested> requests, int faultedTxs, boolean all, List<String> faults) {}

  /**
   * Why a request transaction FAULTed: its exception, the GAS it used against the system fee it
   * paid (the estimate's margin), the block it ran in, and the request ids its notifications name
   * (a FAULTed transaction's notifications stay in its log, but nothing it did is kept).
   */
  private static String faultLine(NeoRpcClient rpc, String tx, JsonNode execution) {
    JsonNode raw = rpc.call("getrawtransaction", tx, 1);
    List<String> ids = new ArrayList<>();
    for (JsonNode n : execution.path("notifications")) {
      if (n.path("eventname").asText().equals("Request")) {
        ids.add(n.path("state").path("value").path(0).path("value").asText());
      }
    }
    return String.format(
        "%s in block %d: %s; GAS used %s of system fee %s; request ids %s",
        tx,
        blockOf(rpc, raw),
        execution.path("exception").asText(),
        execution.path("gasconsumed").asText(),
        raw.path("sysfee").asText(),
        ids.isEmpty() ? "none" : ids.getFirst() + ".." + ids.getLast());
  }

  private static long blockOf(NeoRpcClient rpc, JsonNode raw) {
    return rpc.call("getblockheader", raw.path("blockhash").asText(), 1).path("index").asLong();
  }

  /**
   * Waits until every sent request transaction is on chain (HALT or FAULT) and every request of the
   * HALT ones is answered.
   */
  private static Made awaitAnswered(
      GatewayEvents events, NeoRpcClient rpc, List<String> sentTxs, Duration timeout)
      throws InterruptedException {
    Map<String, Boolean> halted = new HashMap<>();
    List<String> faults = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String tx : sentTxs) {
        if (!halted.containsKey(txKey(tx))) {
          try {
            JsonNode execution = rpc.call("getapplicationlog", tx).path("executions").path(0);
            String state = execution.path("vmstate").asText();
            if (!state.isEmpty()) {
              halted.put(txKey(tx), state.equals("HALT"));
            }
            if (state.equals("FAULT")) {
              faults.add(faultLine(rpc, tx, execution));
            }
          } catch (RuntimeException notYetOnChain) {
            // no log yet: asked again next round
          }
        }
      }
      // After the logs: every block holding a transaction seen above is read now. Polled before
      // them, a block made in between held transactions counted as on chain whose requests were
      // not read yet, and with all of them in it the wait ended at once with none (the first
      // run's 3-worker warm-up: "0 of 0 requests answered in 0.9 s").
      events.poll();
      List<GatewayEvents.Requested> made = new ArrayList<>();
      for (var r : events.requested.values()) {
        if (halted.getOrDefault(txKey(r.requester()), false)) {
          made.add(r);
        }
      }
      int faulted = (int) halted.values().stream().filter(h -> !h).count();
      boolean all =
          halted.size() == sentTxs.size()
              && made.stream().allMatch(r -> events.fulfilled.containsKey(r.id()));
      if (all || System.nanoTime() > deadline) {
        return new Made(made, faulted, all, faults);
      }
      Thread.sleep(250);
    }
  }

  private static String txKey(String hash) {
    return hash.toLowerCase(java.util.Locale.ROOT).replaceFirst("^0x", "");
  }

  private static void print(
      Workload workload, List<Result> results, int functions, PrintStream out) {
    double base = results.isEmpty() ? 1 : results.getFirst().perSecond();
    int threads = Runtime.getRuntime().availableProcessors();
    out.println();
    out.println("Workload " + workload + ", " + functions + " function(s).");
    out.println(
        "| workers | answered | req/s | ratio to 1 | p50 blk | p95 blk | block s | answers/tx |"
            + " CPU workers % (each) | CPU node % | CPU PostgreSQL % | CPU generator % |"
            + " load before → after |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      double sum = r.workerCpu().stream().mapToDouble(Double::doubleValue).sum();
      List<String> each = new ArrayList<>();
      r.workerCpu().forEach(c -> each.add(String.format("%.0f", c)));
      out.printf(
          "| %d | %d/%d | %.1f | %.2f | %d | %d | %.2f | %.1f | %.0f (%s) | %.0f | %.0f | %.0f |"
              + " %s → %s |%n",
          r.workers(),
          r.answered(),
          r.sent(),
          r.perSecond(),
          r.perSecond() / base,
          r.p50Blocks(),
          r.p95Blocks(),
          r.blockSeconds(),
          r.batch(),
          sum,
          String.join(", ", each),
          r.nodeCpu(),
          r.postgresCpu(),
          r.generatorCpu(),
          r.loadBefore(),
          r.loadAfter());
    }
    for (Result r : results) {
      out.printf("%d worker(s): %s%n", r.workers(), describe(r.workerCounts()));
      if (!r.notOk().isEmpty()) {
        out.printf(
            "%d worker(s): answers with an error status (status=count): %s%n",
            r.workers(), r.notOk());
      }
      if (workload.fetches()) {
        int inFlight = Math.min(r.workers() * threads, functions);
        out.printf(
            "%d worker(s): %d fetches answered by the endpoint, at most %d in flight at once;"
                + " ceiling if a run were only its fetch: min(%d workers x %d executor threads,"
                + " %d functions) / %.0f ms = %.1f answers/s (measured %.1f, %.0f %% of it)%n",
            r.workers(),
            r.fetches().calls(),
            r.fetches().peakInFlight(),
            r.workers(),
            threads,
            functions,
            workload.meanDelayMillis(),
            workload.ceilingPerSecond(inFlight),
            r.perSecond(),
            100 * r.perSecond() / workload.ceilingPerSecond(inFlight));
      }
    }
    out.println(
        "Executor threads per worker: "
            + threads
            + " (executor.threads 0, the default: one per core of this machine).");
    out.println(
        "CPU %: CPU time over the span from the first send to the last answer, in % of one core"
            + " (this machine has "
            + Runtime.getRuntime().availableProcessors()
            + "); PostgreSQL counts the server and all its backends.");
  }

  private static final String EXECUTE_SUM = "nsl_stage_seconds_sum{stage=\"execute\"}";
  private static final String EXECUTE_COUNT = "nsl_stage_seconds_count{stage=\"execute\"}";

  /** Takes of a function's lock within 100 ms (the rest waited for another worker's run). */
  private static final String LOCK_FAST = "nsl_function_lock_seconds_bucket{le=\"0.1\"}";

  /** The series of the workers' /metrics the report sums over all workers. */
  private static final List<String> COUNTED =
      List.of(
          EXECUTE_COUNT,
          EXECUTE_SUM,
          "nsl_takeovers_total",
          "nsl_duplicate_submissions_total",
          "nsl_stale_answers_total",
          "nsl_requests_dropped_total",
          "nsl_function_lock_seconds_sum",
          "nsl_function_lock_seconds_count",
          "nsl_function_lock_busy_total",
          LOCK_FAST);

  /** {@link #COUNTED} summed over the workers now; a worker that does not answer counts 0. */
  private static Map<String, Double> workerCounts(List<String> apiUrls, PrintStream out) {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Double> sum = new LinkedHashMap<>();
    COUNTED.forEach(s -> sum.put(s, 0.0));
    for (String url : apiUrls) {
      try {
        String text =
            http.send(
                    HttpRequest.newBuilder(URI.create(url + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        COUNTED.forEach(s -> sum.merge(s, MetricsText.sum(text, s), Double::sum));
      } catch (IOException e) {
        out.println("  the metrics of " + url + " could not be read (counted 0): " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + url + "/metrics", e);
      }
    }
    return sum;
  }

  /** The workers' counts over the measured span, in words. */
  private static String describe(Map<String, Double> c) {
    double runs = c.getOrDefault(EXECUTE_COUNT, 0.0);
    double lockTakes = c.getOrDefault("nsl_function_lock_seconds_count", 0.0);
    return String.format(
        "workers over the span: %.0f runs, %.0f ms each on average in the execute stage; %.0f"
            + " takeovers, %.0f duplicate submissions, %.0f stale answers, %.0f dropped;"
            + " function locks: %.0f takes, %.1f ms each on average, %.0f s in all, %.0f over"
            + " 100 ms, %.0f found the function busy on another worker",
        runs,
        runs == 0 ? 0 : 1000 * c.getOrDefault(EXECUTE_SUM, 0.0) / runs,
        c.getOrDefault("nsl_takeovers_total", 0.0),
        c.getOrDefault("nsl_duplicate_submissions_total", 0.0),
        c.getOrDefault("nsl_stale_answers_total", 0.0),
        c.getOrDefault("nsl_requests_dropped_total", 0.0),
        c.getOrDefault("nsl_function_lock_seconds_count", 0.0),
        lockTakes == 0
            ? 0
            : 1000 * c.getOrDefault("nsl_function_lock_seconds_sum", 0.0) / lockTakes,
        c.getOrDefault("nsl_function_lock_seconds_sum", 0.0),
        lockTakes - c.getOrDefault(LOCK_FAST, 0.0),
        c.getOrDefault("nsl_function_lock_busy_total", 0.0));
  }

  /** Runs a CLI command in this JVM; its stdout must be one JSON object. */
  private static JsonNode cli(String... args) throws IOException {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    if (exit != 0 && !args[1].equals("status")) {
      throw new IllegalStateException(
          String.join(" ", args) + " failed (exit " + exit + "): " + out + err);
    }
    return JSON.readTree(out.toString());
  }

  /** Waits until every worker's /ready answers 200 (each has joined the membership). */
  private static void awaitReady(Path dir, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      JsonNode s = cli("devnet", "status", "--dir", dir.toString(), "--json");
      boolean ready = s.path("workers").size() > 0;
      for (JsonNode w : s.path("workers")) {
        try {
          ready &=
              http.send(
                          HttpRequest.newBuilder(URI.create(w.path("apiUrl").asText() + "/ready"))
                              .timeout(Duration.ofSeconds(5))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
        } catch (IOException e) {
          ready = false;
        }
      }
      if (ready) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the workers were not ready within " + timeout);
  }

  private static long time(NeoRpcClient rpc, Map<Long, Long> cache, long block) {
    return cache.computeIfAbsent(
        block, b -> rpc.call("getblockheader", b, 1).path("time").asLong());
  }

  /** CPU ticks (user + system) of each pid; PostgreSQL's with all its backends. */
  private static Map<Long, Long> cpuTicks(List<Long> workers, long node, long postgres, long self) {
    Map<Long, Long> t = new LinkedHashMap<>();
    for (long pid : workers) {
      t.put(pid, ticks(pid));
    }
    t.put(node, ticks(node));
    t.put(self, ticks(self));
    long pg = ticks(postgres);
    for (ProcessHandle h :
        ProcessHandle.of(postgres).map(p -> p.descendants().toList()).orElse(List.of())) {
      pg += ticks(h.pid());
    }
    t.put(postgres, pg);
    return t;
  }

  /**
   * utime + stime of /proc/PID/stat (fields 14 and 15); a process gone in between counts 0, which
   * undercounts PostgreSQL backends that ended during the run (NSL's pool keeps its connections).
   */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double share(Map<Long, Long> a, Map<Long, Long> b, long pid, double wall) {
    return 100.0 * (b.getOrDefault(pid, 0L) - a.getOrDefault(pid, 0L)) / TICKS_PER_SECOND / wall;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static <T> T pct(List<T> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
