package io.nsl.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nsl.NslException;
import io.nsl.api.ApiLimits;
import io.nsl.enclave.EnclaveMode;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.FetchPolicy;
import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The service configuration (config/nsl.yml documents every option). Records validated on load;
 * unknown options are refused with the option's name.
 *
 * <p>Why one file of over 700 lines: it is one record per section of nsl.yml (chain, executor,
 * submitter, api, fetch, storage, workers), each with its defaults and the check that refuses a bad
 * value by the option's name, and the loader that binds the YAML to them. Kept together so that
 * nsl.yml and the code that reads it are compared in one place; the sections share the loader's
 * error handling and nothing else, so one could move out whole if a section grows.
 */
public record ServiceConfig(
    String mode,
    String dataDir,
    Chain chain,
    Executor executor,
    Submitter submitter,
    Api api,
    Fetch fetch,
    Storage storage,
    Workers workers) {

  /**
   * Which storage engine holds the service's state (docs/operator.md, "Storage engines").
   *
   * @param url {@code null} (default): the embedded RocksDB store in {@code <dataDir>/store}; a
   *     {@code postgresql://user@host:port/database} (or {@code jdbc:postgresql://…}) URL: the
   *     shared PostgreSQL store there (password in {@code PGPASSWORD} or {@code ~/.pgpass})
   * @param readCacheMb PostgreSQL only: memory for the read cache of the function state this worker
   *     holds locks on (docs/storage.md, "Read cache"), 0..{@link #MAX_READ_CACHE_MB} MiB, 0 off;
   *     default 64
   */
  public record Storage(String url, int readCacheMb) {
    /** The largest read cache, in MiB (64 GiB): more is a typo, not a machine. */
    public static final int MAX_READ_CACHE_MB = 65_536;

    @JsonCreator
    public Storage(
        @JsonProperty("url") String url, @JsonProperty("readCacheMb") Integer readCacheMb) {
      this(
          url,
          readCacheMb == null
              ? (int) (StorageOptions.DEFAULT_READ_CACHE_BYTES >> 20)
              : readCacheMb);
    }

    /** The store at {@code url}, the default cache. */
    public Storage(String url) {
      this(url, (Integer) null);
    }

    public Storage {
      if (url != null && url.isBlank()) {
        url = null;
      }
      if (url != null && !StorageOptions.isDatabaseUrl(url)) {
        throw new InvalidConfig(
            "storage.url must be a postgresql:// (or jdbc:postgresql://) URL, or absent for the"
                + " embedded store in <dataDir>/store; got a value starting '"
                + url.substring(0, Math.min(url.length(), 12))
                + "'");
      }
      if (readCacheMb < 0 || readCacheMb > MAX_READ_CACHE_MB) {
        throw new InvalidConfig(
            "storage.readCacheMb must be 0 (off) to "
                + MAX_READ_CACHE_MB
                + " MiB, got "
                + readCacheMb);
      }
    }

    /** How the service opens its store, {@code dataDir} resolved. */
    public StorageOptions options(Path dataDir) {
      return url == null
          ? StorageOptions.defaults(dataDir.resolve("store"))
          : StorageOptions.postgres(url).withReadCacheBytes((long) readCacheMb << 20);
    }
  }

  /**
   * Where the chain is and who pays on it.
   *
   * @param rpcUrl the node's JSON-RPC, tried first
   * @param rpcUrls more endpoints of the same network to fail over to, in order ({@link
   *     #rpcEndpoints()})
   * @param networkMagic the network every endpoint must be on; 0 accepts whatever the node says
   * @param watcher how the watcher reads blocks: {@code auto}, {@code notifications} (neo-go's
   *     extension) or {@code standard} (plain N3 RPC)
   */
  public record Chain(
      String rpcUrl,
      List<String> rpcUrls,
      String gatewayHash,
      long startBlock,
      boolean websocket,
      long pollIntervalMs,
      String operatorWallet,
      String operatorPasswordEnv,
      long networkMagic,
      String watcher) {
    public static final List<String> WATCHER_MODES = List.of("auto", "notifications", "standard");

    /**
     * Most frequent poll of the node, in ms: each is an RPC call, and the devnet's blocks (500 ms)
     * need no more than a few a block.
     */
    public static final long MIN_POLL_INTERVAL_MS = 100;

    /**
     * Least frequent poll of the node, in ms (a minute, several blocks on any public N3 network):
     * without the websocket, every request waits up to this long to be seen.
     */
    public static final long MAX_POLL_INTERVAL_MS = 60_000;

    public Chain {
      checkRange(
          "chain.pollIntervalMs",
          pollIntervalMs,
          MIN_POLL_INTERVAL_MS,
          MAX_POLL_INTERVAL_MS,
          "ms between polls of the node");
      checkRpcUrl("chain.rpcUrl", rpcUrl);
      rpcUrls = rpcUrls == null ? List.of() : List.copyOf(rpcUrls);
      for (int i = 0; i < rpcUrls.size(); i++) {
        checkRpcUrl("chain.rpcUrls[" + i + "]", rpcUrls.get(i));
      }
      if (gatewayHash != null
          && !gatewayHash.isEmpty()
          && !gatewayHash.matches("0[xX][0-9a-fA-F]{40}")) {
        throw new InvalidConfig(
            "chain.gatewayHash must be 0x + 40 hex digits, big-endian as explorers show it, got '"
                + gatewayHash
                + "' (./nsl run --gateway also reads plain little-endian hex)");
      }
      if (networkMagic < 0 || networkMagic > 0xFFFF_FFFFL) {
        throw new InvalidConfig(
            "chain.networkMagic must be 0 (any) or 1..4294967295, got " + networkMagic);
      }
      if (!WATCHER_MODES.contains(watcher)) {
        throw new InvalidConfig(
            "chain.watcher must be one of " + WATCHER_MODES + ", got '" + watcher + "'");
      }
    }

    @JsonCreator
    public Chain(
        @JsonProperty("rpcUrl") String rpcUrl,
        @JsonProperty("rpcUrls") List<String> rpcUrls,
        @JsonProperty("gatewayHash") String gatewayHash,
        @JsonProperty("startBlock") Long startBlock,
        @JsonProperty("websocket") Boolean websocket,
        @JsonProperty("pollIntervalMs") Long pollIntervalMs,
        @JsonProperty("operatorWallet") String operatorWallet,
        @JsonProperty("operatorPasswordEnv") String operatorPasswordEnv,
        @JsonProperty("networkMagic") Long networkMagic,
        @JsonProperty("watcher") String watcher) {
      this(
          rpcUrl != null
              ? rpcUrl
              : rpcUrls != null && !rpcUrls.isEmpty() ? rpcUrls.get(0) : "http://127.0.0.1:20332",
          rpcUrls,
          gatewayHash == null ? "" : gatewayHash,
          startBlock == null ? 0 : startBlock,
          websocket == null || websocket,
          pollIntervalMs == null ? 1000 : pollIntervalMs,
          operatorWallet == null ? "config/devnet/operator.wallet.json" : operatorWallet,
          operatorPasswordEnv == null ? "NSL_OPERATOR_PASSWORD" : operatorPasswordEnv,
          networkMagic == null ? 0 : networkMagic,
          watcher == null ? "auto" : watcher);
    }

    /** One node, any network, the watcher in {@code auto} mode (devnets, tests). */
    public Chain(
        String rpcUrl,
        String gatewayHash,
        long startBlock,
        boolean websocket,
        long pollIntervalMs,
        String operatorWallet,
        String operatorPasswordEnv) {
      this(
          rpcUrl,
          List.of(),
          gatewayHash,
          startBlock,
          websocket,
          pollIntervalMs,
          operatorWallet,
          operatorPasswordEnv,
          0L,
          "auto");
    }

    /** The endpoints to use, in order: {@code rpcUrl}, then {@code rpcUrls}, without repeats. */
    public List<String> rpcEndpoints() {
      return java.util.stream.Stream.concat(java.util.stream.Stream.of(rpcUrl), rpcUrls.stream())
          .distinct()
          .toList();
    }

    /**
     * Refuses a node on another network than {@code networkMagic} names (0 names none).
     *
     * @throws InvalidConfig saying both magics and what to change
     */
    public void checkNetworkMagic(String rpcUrl, long nodeMagic) {
      if (networkMagic != 0 && nodeMagic != networkMagic) {
        throw new InvalidConfig(
            "the node at "
                + rpcUrl
                + " is on network magic "
                + nodeMagic
                + ", but chain.networkMagic (or the --network profile) says "
                + networkMagic
                + ": point chain.rpcUrl/rpcUrls at nodes of that network, or choose the profile"
                + " of the node's network");
      }
    }

    /** This chain on a network: its endpoints ({@code urls[0]} first) and its magic. */
    public Chain onNetwork(List<String> urls, long magic) {
      return new Chain(
          urls.get(0),
          urls,
          gatewayHash,
          startBlock,
          websocket,
          pollIntervalMs,
          operatorWallet,
          operatorPasswordEnv,
          magic,
          watcher);
    }

    /** This chain section with other nodes: {@code urls[0]} first, the rest to fail over to. */
    public Chain withRpcUrls(List<String> urls) {
      return onNetwork(urls, networkMagic);
    }

    /** This chain section with another watcher mode. */
    public Chain withWatcher(String mode) {
      return new Chain(
          rpcUrl,
          rpcUrls,
          gatewayHash,
          startBlock,
          websocket,
          pollIntervalMs,
          operatorWallet,
          operatorPasswordEnv,
          networkMagic,
          mode);
    }

    /**
     * This chain with other values where they are given (null: keep). A new {@code rpcUrl} comes
     * first; {@code rpcUrls} stay as the nodes to fail over to.
     */
    public Chain with(
        String newRpcUrl, String newGatewayHash, Long newStartBlock, String newOperatorWallet) {
      return new Chain(
          newRpcUrl != null ? newRpcUrl : rpcUrl,
          rpcUrls,
          newGatewayHash != null ? newGatewayHash : gatewayHash,
          newStartBlock != null ? newStartBlock : startBlock,
          websocket,
          pollIntervalMs,
          newOperatorWallet != null ? newOperatorWallet : operatorWallet,
          operatorPasswordEnv,
          networkMagic,
          watcher);
    }
  }

  /**
   * Refuses {@code value} outside {@code min..max}, naming the option, the range, what the range
   * means ({@code why}, in parentheses when it is not empty) and the value.
   */
  static void checkRange(String option, long value, long min, long max, String why) {
    if (value < min || value > max) {
      throw new InvalidConfig(
          option
              + " must be "
              + min
              + ".."
              + max
              + (why.isEmpty() ? "" : " (" + why + ")")
              + ", got "
              + value);
    }
  }

  /** Refuses anything but an absolute http(s) URL with a host, naming the option. */
  static void checkRpcUrl(String option, String url) {
    java.net.URI u;
    try {
      u = url == null ? null : new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new InvalidConfig(option + " is not a URL: '" + url + "' (" + e.getReason() + ")");
    }
    if (u == null
        || u.getHost() == null
        || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
      throw new InvalidConfig(
          option + " must be an http:// or https:// URL with a host, got '" + url + "'");
    }
  }

  /**
   * Several workers on one shared store (docs/pipeline.md, "Several workers"). Without {@code id}
   * the service is the one worker and nothing here is used.
   *
   * @param id this worker's name among them, stable across its restarts ({@code [A-Za-z0-9._-]},
   *     1..{@link #MAX_ID_CHARS}); empty for a single worker
   * @param leaseMs how long a heartbeat keeps this worker live: others take its requests over this
   *     long after it stops
   * @param renewMs how often it renews (leaseMs at least {@link #MIN_RENEWALS_PER_LEASE} times
   *     this)
   * @param functionLockMs how long a function's lock holds without release: longer than any run
   */
  public record Workers(String id, long leaseMs, long renewMs, long functionLockMs) {
    /** Longest worker name. */
    public static final int MAX_ID_CHARS = 64;

    /** Most frequent lease renewal, in ms: each one is a write to the shared store. */
    public static final long MIN_RENEW_MS = 100;

    /** Renewals a lease must span, so one late renewal does not lose it. */
    public static final int MIN_RENEWALS_PER_LEASE = 2;

    /** Longest lease, in ms: a dead worker's requests wait this long for another. */
    public static final long MAX_LEASE_MS = 600_000;

    /** Shortest function lock, in ms. */
    public static final long MIN_FUNCTION_LOCK_MS = 1_000;

    private static final java.util.regex.Pattern ID =
        java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_CHARS + "}");

    @JsonCreator
    public Workers(
        @JsonProperty("id") String id,
        @JsonProperty("leaseMs") Long leaseMs,
        @JsonProperty("renewMs") Long renewMs,
        @JsonProperty("functionLockMs") Long functionLockMs) {
      this(
          id == null ? "" : id,
          leaseMs == null ? 5_000 : leaseMs,
          renewMs == null ? 1_000 : renewMs,
          functionLockMs == null ? 60_000 : functionLockMs);
    }

    public Workers {
      if (!id.isEmpty() && !ID.matcher(id).matches()) {
        throw new InvalidConfig(
            "workers.id must be 1.."
                + MAX_ID_CHARS
                + " characters of A-Z a-z 0-9 . _ -, got '"
                + id
                + "'");
      }
      if (renewMs < MIN_RENEW_MS
          || leaseMs < MIN_RENEWALS_PER_LEASE * renewMs
          || leaseMs > MAX_LEASE_MS) {
        throw new InvalidConfig(
            "workers.renewMs must be at least "
                + MIN_RENEW_MS
                + " and workers.leaseMs at least "
                + MIN_RENEWALS_PER_LEASE
                + " times it and at most "
                + MAX_LEASE_MS
                + ", got renewMs "
                + renewMs
                + ", leaseMs "
                + leaseMs);
      }
      if (functionLockMs < MIN_FUNCTION_LOCK_MS) {
        throw new InvalidConfig(
            "workers.functionLockMs must be at least "
                + MIN_FUNCTION_LOCK_MS
                + " (longer than any run), got "
                + functionLockMs);
      }
    }

    /** Whether this service is one of several workers. */
    public boolean several() {
      return !id.isEmpty();
    }
  }

  /**
   * Running functions.
   *
   * @param threads worker threads; 0 = one per CPU core
   * @param memoryLimitBytes the counted-memory budget of a function that declares none (decision
   *     0710)
   * @param maxMemoryLimitBytes the largest budget a function may declare at upload
   */
  public record Executor(int threads, long memoryLimitBytes, long maxMemoryLimitBytes) {
    public Executor {
      if (maxMemoryLimitBytes <= 0) {
        throw new InvalidConfig(
            "executor.maxMemoryLimitBytes must be > 0, got " + maxMemoryLimitBytes);
      }
      if (memoryLimitBytes <= 0 || memoryLimitBytes > maxMemoryLimitBytes) {
        throw new InvalidConfig(
            "executor.memoryLimitBytes must be in 1.."
                + maxMemoryLimitBytes
                + " (executor.maxMemoryLimitBytes), got "
                + memoryLimitBytes);
      }
    }

    @JsonCreator
    public Executor(
        @JsonProperty("threads") Integer threads,
        @JsonProperty("memoryLimitBytes") Long memoryLimitBytes,
        @JsonProperty("maxMemoryLimitBytes") Long maxMemoryLimitBytes) {
      this(
          threads == null ? 0 : threads,
          memoryLimitBytes == null ? ExecutionLimits.DEFAULT_MEMORY_BYTES : memoryLimitBytes,
          maxMemoryLimitBytes == null
              ? Math.max(
                  ExecutionLimits.DEFAULT_MEMORY_BYTES,
                  memoryLimitBytes == null ? 0 : memoryLimitBytes)
              : maxMemoryLimitBytes);
    }

    /** The engine's limits with this executor's memory budgets. */
    public ExecutionLimits limits(ExecutionLimits base) {
      return base.withMemoryBytes(memoryLimitBytes, maxMemoryLimitBytes);
    }
  }

  public record Submitter(int maxBatch, long maxDelayMs, long validForBlocks) {
    /** The most fulfilments an operator may put in one transaction. */
    public static final int MAX_BATCH = 200;

    /**
     * Longest a batch's first answer waits for others, in ms (a minute, several blocks): a batch is
     * sent at once when the executor has nothing more in hand, so a longer wait only holds answers
     * back under load.
     */
    public static final long MAX_DELAY_MS = 60_000;

    /**
     * Most blocks a fulfilment transaction stays valid: Neo's MaxValidUntilBlockIncrement (5760,
     * the N3 protocol's value and the devnet's in config/devnet/protocol.template.yml) less one.
     * The transaction's validUntilBlock is the block count (height + 1) plus this, and a node
     * refuses one above height + MaxValidUntilBlockIncrement: every send would fail.
     */
    public static final long MAX_VALID_FOR_BLOCKS = 5_759;

    public Submitter {
      checkRange("submitter.maxBatch", maxBatch, 1, MAX_BATCH, "");
      checkRange(
          "submitter.maxDelayMs", maxDelayMs, 0, MAX_DELAY_MS, "ms; 0 sends each answer at once");
      checkRange(
          "submitter.validForBlocks",
          validForBlocks,
          1,
          MAX_VALID_FOR_BLOCKS,
          "a node refuses a transaction valid beyond its height + MaxValidUntilBlockIncrement, "
              + (MAX_VALID_FOR_BLOCKS + 1)
              + " on N3");
    }

    @JsonCreator
    public Submitter(
        @JsonProperty("maxBatch") Integer maxBatch,
        @JsonProperty("maxDelayMs") Long maxDelayMs,
        @JsonProperty("validForBlocks") Long validForBlocks) {
      this(
          maxBatch == null ? 50 : maxBatch,
          maxDelayMs == null ? 150 : maxDelayMs,
          validForBlocks == null ? 40 : validForBlocks);
    }
  }

  /**
   * The HTTP API: where it listens and its bounds (see {@link ApiLimits}; durations in seconds
   * here). Defaults are {@link ApiLimits#defaults()}.
   */
  public record Api(
      String bind,
      int port,
      int maxBodyBytes,
      long timestampWindowSeconds,
      int nonceCacheEntries,
      double callerPerSecond,
      int callerBurst,
      double addressPerSecond,
      int addressBurst,
      int recentFailures,
      long requestTimeoutSeconds,
      int maxRequestHeaders) {
    private static final ApiLimits D = ApiLimits.defaults();

    /** The highest TCP port; 0 asks the system for any free one (logged at start). */
    public static final int MAX_PORT = 65_535;

    public Api {
      checkRange("api.port", port, 0, MAX_PORT, "0 picks a free port");
    }

    @JsonCreator
    public Api(
        @JsonProperty("bind") String bind,
        @JsonProperty("port") Integer port,
        @JsonProperty("maxBodyBytes") Integer maxBodyBytes,
        @JsonProperty("timestampWindowSeconds") Long timestampWindowSeconds,
        @JsonProperty("nonceCacheEntries") Integer nonceCacheEntries,
        @JsonProperty("callerPerSecond") Double callerPerSecond,
        @JsonProperty("callerBurst") Integer callerBurst,
        @JsonProperty("addressPerSecond") Double addressPerSecond,
        @JsonProperty("addressBurst") Integer addressBurst,
        @JsonProperty("recentFailures") Integer recentFailures,
        @JsonProperty("requestTimeoutSeconds") Long requestTimeoutSeconds,
        @JsonProperty("maxRequestHeaders") Integer maxRequestHeaders) {
      this(
          bind == null ? "127.0.0.1" : bind,
          port == null ? 8787 : port,
          maxBodyBytes == null ? D.maxBodyBytes() : maxBodyBytes,
          timestampWindowSeconds == null
              ? D.timestampWindow().getSeconds()
              : timestampWindowSeconds,
          nonceCacheEntries == null ? D.nonceCacheEntries() : nonceCacheEntries,
          callerPerSecond == null ? D.callerPerSecond() : callerPerSecond,
          callerBurst == null ? D.callerBurst() : callerBurst,
          addressPerSecond == null ? D.addressPerSecond() : addressPerSecond,
          addressBurst == null ? D.addressBurst() : addressBurst,
          recentFailures == null ? D.recentFailures() : recentFailures,
          requestTimeoutSeconds == null ? D.requestTimeout().getSeconds() : requestTimeoutSeconds,
          maxRequestHeaders == null ? D.maxRequestHeaders() : maxRequestHeaders);
    }

    /** Listening on {@code bind:port} with the default limits. */
    public Api(String bind, int port) {
      this(bind, (Integer) port, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The limits as the API takes them.
     *
     * @throws InvalidConfig naming the option ({@code api.NAME}) and the value when one is out of
     *     range
     */
    public ApiLimits limits() {
      try {
        return new ApiLimits(
            maxBodyBytes,
            Duration.ofSeconds(timestampWindowSeconds),
            nonceCacheEntries,
            callerPerSecond,
            callerBurst,
            addressPerSecond,
            addressBurst,
            recentFailures,
            Duration.ofSeconds(requestTimeoutSeconds),
            maxRequestHeaders);
      } catch (IllegalArgumentException e) {
        // ApiLimits names its own components; two are durations here, given in seconds.
        String m =
            e.getMessage()
                .replaceFirst("^timestampWindow ", "timestampWindowSeconds ")
                .replaceFirst("^requestTimeout ", "requestTimeoutSeconds ");
        throw new InvalidConfig("api." + m);
      }
    }
  }

  /**
   * What functions' {@code fetch} may reach, for every function this service runs (see {@link
   * FetchPolicy}). No hosts, the default, means no function may fetch.
   */
  public record Fetch(
      List<String> allowedHosts,
      boolean allowHttp,
      boolean allowPrivateAddresses,
      int maxCalls,
      int maxRequestBodyBytes,
      int maxResponseBytes,
      long timeoutMs) {
    public static final int MAX_CALLS = 100;
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    public static final long MAX_TIMEOUT_MS = 60_000;

    public Fetch {
      FetchPolicy.hostListProblem(allowedHosts)
          .ifPresent(
              problem -> {
                throw new InvalidConfig("fetch.allowedHosts: " + problem);
              });
      allowedHosts = List.copyOf(allowedHosts);
      checkRange("fetch.maxCalls", maxCalls, 0, MAX_CALLS, "");
      checkRange("fetch.maxRequestBodyBytes", maxRequestBodyBytes, 0, MAX_BODY_BYTES, "");
      checkRange("fetch.maxResponseBytes", maxResponseBytes, 0, MAX_BODY_BYTES, "");
      checkRange("fetch.timeoutMs", timeoutMs, 1, MAX_TIMEOUT_MS, "");
    }

    @JsonCreator
    public Fetch(
        @JsonProperty("allowedHosts") List<String> allowedHosts,
        @JsonProperty("allowHttp") Boolean allowHttp,
        @JsonProperty("allowPrivateAddresses") Boolean allowPrivateAddresses,
        @JsonProperty("maxCalls") Integer maxCalls,
        @JsonProperty("maxRequestBodyBytes") Integer maxRequestBodyBytes,
        @JsonProperty("maxResponseBytes") Integer maxResponseBytes,
        @JsonProperty("timeoutMs") Long timeoutMs) {
      this(
          allowedHosts == null ? List.of() : allowedHosts,
          allowHttp != null && allowHttp,
          allowPrivateAddresses != null && allowPrivateAddresses,
          maxCalls == null ? FetchPolicy.DEFAULT_MAX_CALLS : maxCalls,
          maxRequestBodyBytes == null
              ? FetchPolicy.DEFAULT_MAX_REQUEST_BODY_BYTES
              : maxRequestBodyBytes,
          maxResponseBytes == null ? FetchPolicy.DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes,
          timeoutMs == null ? FetchPolicy.DEFAULT_TIMEOUT.toMillis() : timeoutMs);
    }

    /** The policy every execution gets. */
    public FetchPolicy policy() {
      return new FetchPolicy(
          Set.copyOf(allowedHosts),
          allowHttp,
          allowPrivateAddresses,
          maxCalls,
          maxRequestBodyBytes,
          maxResponseBytes,
          Duration.ofMillis(timeoutMs));
    }
  }

  /** A configuration with the embedded store ({@code storage.url} absent), a single worker. */
  public ServiceConfig(
      String mode,
      String dataDir,
      Chain chain,
      Executor executor,
      Submitter submitter,
      Api api,
      Fetch fetch) {
    this(mode, dataDir, chain, executor, submitter, api, fetch, null, null);
  }

  /** A single worker's configuration (no {@code workers} section). */
  public ServiceConfig(
      String mode,
      String dataDir,
      Chain chain,
      Executor executor,
      Submitter submitter,
      Api api,
      Fetch fetch,
      Storage storage) {
    this(mode, dataDir, chain, executor, submitter, api, fetch, storage, null);
  }

  @JsonCreator
  public ServiceConfig(
      @JsonProperty("mode") String mode,
      @JsonProperty("dataDir") String dataDir,
      @JsonProperty("chain") Chain chain,
      @JsonProperty("executor") Executor executor,
      @JsonProperty("submitter") Submitter submitter,
      @JsonProperty("api") Api api,
      @JsonProperty("fetch") Fetch fetch,
      @JsonProperty("storage") Storage storage,
      @JsonProperty("workers") Workers workers) {
    this.mode = mode == null ? "simulation" : mode;
    this.dataDir = dataDir == null ? ".run/service" : dataDir;
    this.chain =
        chain == null
            ? new Chain(null, null, null, null, null, null, null, null, null, (String) null)
            : chain;
    this.executor = executor == null ? new Executor(null, null, null) : executor;
    this.submitter = submitter == null ? new Submitter(null, null, null) : submitter;
    this.api = api == null ? new Api("127.0.0.1", 8787) : api;
    this.fetch = fetch == null ? new Fetch(null, null, null, null, null, null, null) : fetch;
    this.storage = storage == null ? new Storage(null) : storage;
    this.workers = workers == null ? new Workers(null, null, null, null) : workers;
    if (!this.mode.equals("simulation") && !this.mode.equals("sgx")) {
      throw new InvalidConfig("mode must be 'simulation' or 'sgx', got '" + this.mode + "'");
    }
    if (this.executor.threads() < 0) {
      throw new InvalidConfig(
          "executor.threads must be 0 (one per core) or more, got " + this.executor.threads());
    }
    this.api.limits(); // refuses an out-of-range API limit at load, by option name
    if (this.workers.several() && this.storage.url() == null) {
      throw new InvalidConfig(
          "workers.id '"
              + this.workers.id()
              + "' needs storage.url: several workers share one PostgreSQL store (the embedded"
              + " store belongs to one process); set storage.url (or ./nsl run --store URL) or"
              + " remove workers.id");
    }
  }

  /** This configuration on another chain. */
  public ServiceConfig withChain(Chain newChain) {
    return new ServiceConfig(
        mode, dataDir, newChain, executor, submitter, api, fetch, storage, workers);
  }

  /**
   * The folder of the enclave's sealed keys: {@code <dataDir>/enclave} under {@code root}. The
   * service opens its enclave here, and so do the commands that show its keys.
   */
  public Path enclaveDir(Path root) {
    return root.resolve(dataDir).resolve("enclave");
  }

  /** This configuration with other fetch rules. */
  public ServiceConfig withFetch(Fetch newFetch) {
    return new ServiceConfig(
        mode, dataDir, chain, executor, submitter, api, newFetch, storage, workers);
  }

  /** This configuration with another store ({@code ./nsl run --store}). */
  public ServiceConfig withStorage(Storage newStorage) {
    return new ServiceConfig(
        mode, dataDir, chain, executor, submitter, api, fetch, newStorage, workers);
  }

  /** This configuration as one of several workers. */
  public ServiceConfig withWorkers(Workers newWorkers) {
    return new ServiceConfig(
        mode, dataDir, chain, executor, submitter, api, fetch, storage, newWorkers);
  }

  /** The enclave {@code mode} names. */
  public EnclaveMode enclaveMode() {
    return mode.equals("sgx") ? EnclaveMode.SGX : EnclaveMode.SIMULATED;
  }

  /** Worker threads, resolving 0 to the number of cores. */
  public int executorThreads() {
    return executor.threads() > 0 ? executor.threads() : Runtime.getRuntime().availableProcessors();
  }

  /** Reads a YAML config file. */
  public static ServiceConfig load(Path file) {
    return load(file, null);
  }

  /**
   * Reads a YAML config file with {@code storage.url} replaced by {@code storeUrl} when it is not
   * null ({@code ./nsl run --store}), before the options are checked together: a file with {@code
   * workers.id} and no URL of its own is accepted with the command line's.
   */
  public static ServiceConfig load(Path file, String storeUrl) {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try {
      com.fasterxml.jackson.databind.JsonNode tree = yaml.readTree(Files.readAllBytes(file));
      if (storeUrl != null) {
        com.fasterxml.jackson.databind.node.ObjectNode root =
            tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                ? o
                : yaml.createObjectNode();
        com.fasterxml.jackson.databind.JsonNode storage = root.get("storage");
        (storage instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                ? o
                : root.putObject("storage"))
            .put("url", storeUrl);
        tree = root;
      }
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return defaults();
      }
      ServiceConfig c = yaml.treeToValue(tree, ServiceConfig.class);
      return c == null ? defaults() : c;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidConfig(
          file
              + ": unknown option '"
              + e.getPropertyName()
              + "' (known: "
              + e.getKnownPropertyIds()
              + ")");
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      Throwable cause = e.getCause();
      throw new InvalidConfig(
          file + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidConfig("cannot read config " + file + ": " + e.getMessage());
    }
  }

  public static ServiceConfig defaults() {
    return new ServiceConfig(null, null, null, null, null, null, null, null, null);
  }

  /** A configuration file or value is wrong; the message names the option. */
  public static final class InvalidConfig extends NslException {
    public InvalidConfig(String message) {
      super("INVALID_CONFIG", message);
    }
  }
}
