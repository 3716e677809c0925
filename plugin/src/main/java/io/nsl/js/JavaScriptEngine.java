package io.nsl.js;

import io.nsl.js.internal.HttpFetcher;
import io.nsl.js.internal.InputValidator;
import io.nsl.js.internal.MemoryGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs dApp functions in GraalJS: a fresh, constrained context per execution on a shared engine,
 * deterministic gas, a wall-clock deadline, a heap watchdog, and input/output/log caps. See
 * docs/functions.md for the JS API, the limits, the gas table and the error kinds.
 *
 * <p>Threading: {@link #execute} is thread-safe and meant to be called from many threads at once;
 * each call blocks its caller until the result is ready. At most {@link
 * EngineConfig#maxConcurrentExecutions()} run at a time (on guest threads with big explicit
 * stacks); later callers wait their turn, and their deadline starts when they start running. {@link
 * #close} must not race with {@code execute}.
 *
 * <p>Failures: {@code execute} reports every function failure as an {@link ExecutionResult} with an
 * {@link ErrorKind}; it throws only on programming errors (null request, engine closed). {@link
 * #start} throws {@link JitUnavailableException} when the JIT is off and required.
 */
public final class JavaScriptEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JavaScriptEngine.class);
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int SOURCE_CACHE_MAX = 256;
  private static final String USER_SOURCE_NAME = "function.js";

  /**
   * Per warm-up run. A run that takes longer is slow (a busy machine), not wrong: see expectWarm.
   */
  public static final Duration WARMUP_TIMEOUT = Duration.ofSeconds(60);

  private final EngineConfig config;
  private final ExecutionLimits limits;
  private final InputValidator validator;
  private final MemoryGuard memoryGuard;
  private final ScheduledExecutorService deadlines;
  private final GuestExecution execution;
  private final ExecutorService guests;
  private final String preludeText;
  private final Object recycleLock = new Object();
  private final AtomicLong recycles = new AtomicLong();
  private volatile EngineHandle current;
  private volatile boolean closed;
  private final RuntimeInfo runtime;
  private final Duration warmupTimeout;

  private JavaScriptEngine(EngineConfig config, String preludeText, Duration warmupTimeout) {
    this.config = config;
    this.warmupTimeout = warmupTimeout;
    this.limits = config.limits();
    this.validator = new InputValidator(limits.maxInputBytes(), limits.maxInputDepth());
    this.preludeText = preludeText;
    this.memoryGuard =
        new MemoryGuard(limits.heapHighWaterFraction(), limits.memoryVictimMinBytes());
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("nsl-js-deadlines").unstarted(r));
    // Without this a finished run's cancelled deadline stays queued for its whole timeout,
    // holding its closed Context: at thousands of runs per second that is a heap full of dead
    // contexts, and the memory guard's high-water mark.
    timers.setRemoveOnCancelPolicy(true);
    this.deadlines = timers;
    this.execution = new GuestExecution(limits, new HttpFetcher(), memoryGuard, timers);
    AtomicInteger n = new AtomicInteger();
    this.guests =
        Executors.newFixedThreadPool(
            config.maxConcurrentExecutions(),
            r ->
                Thread.ofPlatform()
                    .daemon()
                    .name("nsl-js-guest-" + n.incrementAndGet())
                    .stackSize(limits.guestStackBytes())
                    .unstarted(r));
    EngineHandle first = EngineHandle.create(preludeText);
    this.runtime = first.describeRuntime();
    if (!runtime.jit() && config.requireJit()) {
      first.retire();
      shutdownThreads();
      throw new JitUnavailableException(
          "GraalJS would run on the Truffle interpreter (20-30x slower), so NSL refuses to start. "
              + "Runtime: "
              + runtime
              + ". Start the JVM with the flags in config/jvm.options (./nsl does): "
              + "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI, the GraalJS jars on "
              + "--module-path with --add-modules org.graalvm.polyglot, and "
              + "org.graalvm.compiler:compiler at the version matching this JDK's JVMCI on "
              + "--upgrade-module-path (25.0.3 for Temurin 25.0.3).");
    }
    this.current = first;
    try {
      warmUp(first);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Builds the engine, checks the JIT, and warms it up (runs {@link EngineConfig#warmupRounds()}
   * ordinary executions and one stack overflow).
   *
   * @throws JitUnavailableException if the JIT is off and {@link EngineConfig#requireJit()}
   * @throws IllegalStateException if the warmed-up engine does not run an ordinary function
   */
  public static JavaScriptEngine start(EngineConfig config) {
    return new JavaScriptEngine(config, EngineHandle.readPrelude(), WARMUP_TIMEOUT);
  }

  /** For tests: an engine whose warm-up runs have {@code warmupTimeout} each. */
  static JavaScriptEngine startWithWarmupTimeout(EngineConfig config, Duration warmupTimeout) {
    return new JavaScriptEngine(config, EngineHandle.readPrelude(), warmupTimeout);
  }

  /**
   * WARNING: for benchmarks only (bench/jmh's TamingCost builds one engine with the prelude as it
   * is and one with a changed copy, to compare them in one JVM). An engine with any other prelude
   * has none of the sandbox's guarantees. Package-private on purpose: no configuration reaches it.
   */
  static JavaScriptEngine startWithPrelude(EngineConfig config, String preludeText) {
    return new JavaScriptEngine(config, preludeText, WARMUP_TIMEOUT);
  }

  /** What the engine runs on. */
  public RuntimeInfo runtime() {
    return runtime;
  }

  /** The limits every execution runs under. */
  public ExecutionLimits limits() {
    return limits;
  }

  /** How many times the engine was replaced after an internal error. */
  public long recycles() {
    return recycles.get();
  }

  /**
   * Runs {@code request.code()}'s {@code main(input)} and reports how it ended. Validates the input
   * first (INVALID_INPUT with gasUsed 0 when it fails: the function never runs). Thread-safe.
   *
   * @throws IllegalStateException if the engine is closed
   */
  public ExecutionResult execute(ExecutionRequest request) {
    return execute(request, limits.timeout());
  }

  /**
   * {@link #execute(ExecutionRequest)} with a deadline of its own instead of {@link
   * ExecutionLimits#timeout()}: for simulations ({@code simulate --timeout}, {@code POST
   * /v1/simulate}'s {@code timeout}), which bound it themselves. A TIMEOUT's message names {@code
   * timeout}. Production runs use the engine's deadline.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   * @throws IllegalStateException if the engine is closed
   */
  public ExecutionResult execute(ExecutionRequest request, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (closed) {
      throw new IllegalStateException("the JavaScript engine is closed");
    }
    if (request.gasLimit() > limits.maxGasLimit()) {
      return invalidInput(
          "the gas limit " + request.gasLimit() + " is above the maximum " + limits.maxGasLimit());
    }
    if (request.memoryLimitBytes() > limits.maxMemoryBytes()) {
      return invalidInput(
          "the function's memory budget of "
              + request.memoryLimitBytes()
              + " bytes is above this operator's limit of "
              + limits.maxMemoryBytes()
              + " bytes");
    }
    try {
      validator.validate(request.inputJson(), request.inputSchema());
    } catch (InputValidator.Invalid e) {
      return invalidInput(e.getMessage());
    }
    AtomicLong startedAt = new AtomicLong();
    Future<Outcome> f;
    try {
      f =
          guests.submit(
              () -> {
                startedAt.set(System.nanoTime());
                return runWithHandle(request, true, timeout);
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the JavaScript engine is closed", e);
    }
    Outcome outcome = await(f, startedAt, request.gasLimit(), timeout);
    return outcome.toResult();
  }

  private Outcome await(Future<Outcome> f, AtomicLong startedAt, long gasLimit, Duration timeout) {
    long budget = timeout.toNanos() + GRACE_NANOS;
    while (true) {
      try {
        return f.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long s = startedAt.get();
        if (s != 0 && System.nanoTime() - s > budget) {
          // The guest ignored its cancel (stuck in a non-cancellable spot). Give the caller an
          // answer, and replace the engine so the stuck context can't hurt later runs.
          f.cancel(true);
          EngineHandle h = current;
          LOG.error(
              "an execution did not stop {} ms after its deadline; replacing the engine",
              TimeUnit.NANOSECONDS.toMillis(GRACE_NANOS));
          recycle(h, "an execution ignored its cancel");
          return Outcome.error(
              ErrorKind.TIMEOUT, GuestExecution.timeoutMessage(timeout), gasLimit, List.of());
        }
      } catch (ExecutionException e) {
        LOG.error("an execution failed inside the engine; replacing the engine", e.getCause());
        recycle(current, "unexpected failure: " + e.getCause());
        return Outcome.error(
            ErrorKind.INTERNAL_ERROR,
            "the engine failed; the request will be retried",
            0,
            List.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        return Outcome.error(ErrorKind.INTERNAL_ERROR, "the caller was interrupted", 0, List.of());
      }
    }
  }

  private Outcome runWithHandle(
      ExecutionRequest request, boolean recycleOnInternal, Duration timeout) {
    EngineHandle h = acquireHandle();
    Outcome o;
    try {
      o = execution.run(h, request, timeout, limits.maxCallDepth());
    } finally {
      h.release();
    }
    if (o.kind() == ErrorKind.INTERNAL_ERROR && o.engineBroken() && recycleOnInternal) {
      recycle(h, o.message());
    }
    return o;
  }

  private EngineHandle acquireHandle() {
    while (true) {
      EngineHandle h = current;
      if (h.acquire()) {
        return h;
      }
      if (closed) {
        throw new IllegalStateException("the JavaScript engine is closed");
      }
      Thread.onSpinWait();
    }
  }

  private static ExecutionResult invalidInput(String message) {
    return new ExecutionResult(ErrorKind.INVALID_INPUT, new byte[0], 0, List.of(), message);
  }

  // ---- engine lifecycle ----------------------------------------------------------------------

  private void warmUp(EngineHandle h) {
    HostServices host =
        new HostServices(
            new InMemoryFunctionStateStore(1 << 20),
            new MapSecretsView(Map.of("k", "v")),
            b -> java.util.Arrays.fill(b, (byte) 7),
            FetchPolicy.denyAll());
    String ordinary =
        "function fib(n){return n<2?n:fib(n-1)+fib(n-2)}\n"
            + "async function main(input){ const a=[]; for(let i=0;i<300;i++) a.push((i*7919)%1000);"
            + " a.sort((x,y)=>x-y); const o=JSON.parse(JSON.stringify({a:a, s:'x'.repeat(10)}));"
            + " log('w', o.a.length, getSecret('k').length); storage.put('k', String(o.a[5]));"
            + " crypto.sha256('x'); return {f: fib(input.n), n: o.a.length, s: storage.get('k')}; }";
    ExecutionRequest ok = warmupRequest(ordinary, "{\"n\":15}", host);
    for (int i = 0; i < config.warmupRounds(); i++) {
      if (!expectWarm(ok, ErrorKind.OK, h)) {
        return;
      }
    }
    if (config.warmupRounds() > 0) {
      String overflow = "function r(n){return r(n+1)+1}\nfunction main(){ return r(0) }";
      if (expectWarm(warmupRequest(overflow, "null", host), ErrorKind.RUNTIME_ERROR, h)) {
        expectWarm(ok, ErrorKind.OK, h);
      }
    }
  }

  /**
   * One warm-up run, which must end as {@code want}; false when it ran out of time (the warm-up
   * stops there).
   */
  private boolean expectWarm(ExecutionRequest r, ErrorKind want, EngineHandle h) {
    Future<Outcome> f =
        guests.submit(
            () -> {
              if (!h.acquire()) {
                throw new IllegalStateException("engine retired during warm-up");
              }
              try {
                // A cold engine is slow; warm-up runs get a generous deadline of their own.
                // No depth limit: the warm-up overflow must really run out of stack (see warmUp).
                return execution.run(h, r, warmupTimeout, Integer.MAX_VALUE);
              } finally {
                h.release();
              }
            });
    Outcome o;
    try {
      o = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during engine warm-up", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("engine warm-up failed: " + e.getCause(), e.getCause());
    }
    if (o.kind() == ErrorKind.TIMEOUT && want != ErrorKind.TIMEOUT) {
      // Several JVMs starting at once on a busy machine (workers of one cluster, a supervisor's
      // restarts) compile slowly: that is no reason to stop the process (exit 3, and a restart
      // that warms up again from nothing). The engine starts cold and warms on real requests.
      LOG.warn(
          "an engine warm-up run did not finish within {} ms (the machine is busy); going on"
              + " without it: the first requests run on a colder engine",
          warmupTimeout.toMillis());
      return false;
    }
    if (o.kind() != want) {
      throw new IllegalStateException(
          "engine warm-up expected "
              + want
              + " but got "
              + o.kind()
              + ": "
              + o.message()
              + "; the GraalJS engine is unusable in this JVM");
    }
    return true;
  }

  private static ExecutionRequest warmupRequest(String code, String input, HostServices host) {
    return new ExecutionRequest(
        "warmup",
        "warmup",
        "warmup",
        code,
        input.getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        10_000_000,
        Instant.EPOCH,
        host);
  }

  private void recycle(EngineHandle broken, String why) {
    synchronized (recycleLock) {
      if (closed || current != broken) {
        return;
      }
      LOG.warn("replacing the GraalJS engine: {}", why);
      EngineHandle fresh = EngineHandle.create(preludeText);
      warmUp(fresh);
      current = fresh;
      broken.retire();
      recycles.incrementAndGet();
    }
  }

  private void shutdownThreads() {
    memoryGuard.close();
    deadlines.shutdownNow();
    guests.shutdownNow();
  }

  /**
   * Stops the engine: running executions are cancelled. Not to be called concurrently with execute.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    EngineHandle h = current;
    if (h != null) {
      h.retire();
    }
    shutdownThreads();
  }
}
