package io.nsl.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nsl.NslException;
import io.nsl.api.ApiLimits;
import io.nsl.js.FetchPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The service configuration (config/nsl.yml documents every option). Records validated on load;
 * unknown options are refused with the option's name.
 */
public record ServiceConfig(
    String mode,
    String dataDir,
    Chain chain,
    Executor executor,
    Submitter submitter,
    Api api,
    Fetch fetch) {

  /**
   * The node(s) and the gateway. {@code rpcUrls} lists more nodes to fail over to ({@link
   * #rpcEndpoints()}); {@code watcher} says how the watcher reads blocks: {@code auto}, {@code
   * notifications} (neo-go's extension) or {@code standard} (plain N3 RPC).
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
      String watcher) {
    public static final List<String> WATCHER_MODES = List.of("auto", "notifications", "standard");

    public Chain {
      rpcUrls = List.copyOf(rpcUrls);
      for (int i = 0; i < rpcUrls.size(); i++) {
        httpUrl("chain.rpcUrls[" + i + "]", rpcUrls.get(i));
      }
      httpUrl("chain.rpcUrl", rpcUrl);
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
        @JsonProperty("watcher") String watcher) {
      this(
          rpcUrl != null
              ? rpcUrl
              : rpcUrls != null && !rpcUrls.isEmpty() ? rpcUrls.get(0) : "http://127.0.0.1:20332",
          rpcUrls == null ? List.of() : rpcUrls,
          gatewayHash == null ? "" : gatewayHash,
          startBlock == null ? 0 : startBlock,
          websocket == null || websocket,
          pollIntervalMs == null ? 1000 : pollIntervalMs,
          operatorWallet == null ? "config/devnet/operator.wallet.json" : operatorWallet,
          operatorPasswordEnv == null ? "NSL_OPERATOR_PASSWORD" : operatorPasswordEnv,
          watcher == null ? "auto" : watcher);
    }

    /** One node, the watcher in {@code auto} mode. */
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
          "auto");
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
          mode);
    }

    /** This chain section with other nodes: {@code urls[0]} first, the rest to fail over to. */
    public Chain withRpcUrls(List<String> urls) {
      return new Chain(
          urls.get(0),
          urls,
          gatewayHash,
          startBlock,
          websocket,
          pollIntervalMs,
          operatorWallet,
          operatorPasswordEnv,
          watcher);
    }

    /**
     * The nodes to use, in order: {@code rpcUrl} first (so {@code ./nsl run --rpc} still picks the
     * node), then {@code rpcUrls}, without duplicates.
     */
    public List<String> rpcEndpoints() {
      return java.util.stream.Stream.concat(java.util.stream.Stream.of(rpcUrl), rpcUrls.stream())
          .distinct()
          .toList();
    }

    private static void httpUrl(String option, String value) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(value);
      } catch (java.net.URISyntaxException e) {
        throw new InvalidConfig(option + ": '" + value + "' is not a URL: " + e.getReason());
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new InvalidConfig(
            option + ": '" + value + "' is not an http:// or https:// URL with a host");
      }
    }
  }

  public record Executor(int threads) {
    @JsonCreator
    public Executor(@JsonProperty("threads") Integer threads) {
      this(threads == null ? 0 : threads);
    }
  }

  public record Submitter(int maxBatch, long maxDelayMs, long validForBlocks) {
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
      range("fetch.maxCalls", maxCalls, 0, MAX_CALLS);
      range("fetch.maxRequestBodyBytes", maxRequestBodyBytes, 0, MAX_BODY_BYTES);
      range("fetch.maxResponseBytes", maxResponseBytes, 0, MAX_BODY_BYTES);
      range("fetch.timeoutMs", timeoutMs, 1, MAX_TIMEOUT_MS);
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

    private static void range(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new InvalidConfig(option + " must be " + min + ".." + max + ", got " + value);
      }
    }
  }

  @JsonCreator
  public ServiceConfig(
      @JsonProperty("mode") String mode,
      @JsonProperty("dataDir") String dataDir,
      @JsonProperty("chain") Chain chain,
      @JsonProperty("executor") Executor executor,
      @JsonProperty("submitter") Submitter submitter,
      @JsonProperty("api") Api api,
      @JsonProperty("fetch") Fetch fetch) {
    this.mode = mode == null ? "simulation" : mode;
    this.dataDir = dataDir == null ? ".run/service" : dataDir;
    this.chain =
        chain == null ? new Chain(null, null, null, null, null, null, null, null, null) : chain;
    this.executor = executor == null ? new Executor((Integer) null) : executor;
    this.submitter = submitter == null ? new Submitter(null, null, null) : submitter;
    this.api = api == null ? new Api("127.0.0.1", 8787) : api;
    this.fetch = fetch == null ? new Fetch(null, null, null, null, null, null, null) : fetch;
    if (!this.mode.equals("simulation") && !this.mode.equals("sgx")) {
      throw new InvalidConfig("mode must be 'simulation' or 'sgx', got '" + this.mode + "'");
    }
    if (this.submitter.maxBatch() < 1 || this.submitter.maxBatch() > 200) {
      throw new InvalidConfig(
          "submitter.maxBatch must be 1..200, got " + this.submitter.maxBatch());
    }
    if (this.executor.threads() < 0) {
      throw new InvalidConfig(
          "executor.threads must be 0 (one per core) or more, got " + this.executor.threads());
    }
    this.api.limits(); // refuses an out-of-range API limit at load, by option name
  }

  /** This configuration with other fetch rules. */
  public ServiceConfig withFetch(Fetch newFetch) {
    return new ServiceConfig(mode, dataDir, chain, executor, submitter, api, newFetch);
  }

  /** Worker threads, resolving 0 to the number of cores. */
  public int executorThreads() {
    return executor.threads() > 0 ? executor.threads() : Runtime.getRuntime().availableProcessors();
  }

  /** Reads a YAML config file. */
  public static ServiceConfig load(Path file) {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try {
      ServiceConfig c = yaml.readValue(Files.readAllBytes(file), ServiceConfig.class);
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
    return new ServiceConfig(null, null, null, null, null, null, null);
  }

  /** A configuration file or value is wrong; the message names the option. */
  public static final class InvalidConfig extends NslException {
    public InvalidConfig(String message) {
      super("INVALID_CONFIG", message);
    }
  }
}
