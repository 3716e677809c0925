package io.nsl.js;

import io.nsl.js.internal.CallDepthGuard;
import io.nsl.js.internal.ErrorText;
import io.nsl.js.internal.GasInstrument;
import io.nsl.js.internal.GasMeterService;
import io.nsl.js.internal.GuestBridge;
import io.nsl.js.internal.HttpFetcher;
import io.nsl.js.internal.InputValidator;
import io.nsl.js.internal.MemoryGuard;
import io.nsl.js.internal.Scrubber;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
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
  private static final Duration WARMUP_TIMEOUT = Duration.ofSeconds(60);

  private final EngineConfig config;
  private final ExecutionLimits limits;
  private final InputValidator validator;
  private final HttpFetcher fetcher = new HttpFetcher();
  private final MemoryGuard memoryGuard;
  private final ScheduledExecutorService deadlines;
  private final ExecutorService guests;
  private final String preludeText;
  private final Map<String, Source> sources =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
          return size() > SOURCE_CACHE_MAX;
        }
      };
  private final Object recycleLock = new Object();
  private final AtomicLong recycles = new AtomicLong();
  private volatile EngineHandle current;
  private volatile boolean closed;
  private final RuntimeInfo runtime;

  private JavaScriptEngine(EngineConfig config) {
    this.config = config;
    this.limits = config.limits();
    this.validator = new InputValidator(limits.maxInputBytes(), limits.maxInputDepth());
    this.preludeText = readPrelude();
    this.memoryGuard =
        new MemoryGuard(limits.heapHighWaterFraction(), limits.memoryVictimMinBytes());
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("nsl-js-deadlines").unstarted(r));
    // Without this a finished run's cancelled deadline stays queued for the whole timeout (10 s),
    // holding its closed Context: at thousands of runs per second that is a heap full of dead
    // contexts, and the memory guard's high-water mark.
    timers.setRemoveOnCancelPolicy(true);
    this.deadlines = timers;
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
    EngineHandle first = newHandle();
    this.runtime = describeRuntime(first.engine);
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
    return new JavaScriptEngine(config);
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
    if (closed) {
      throw new IllegalStateException("the JavaScript engine is closed");
    }
    if (request.gasLimit() > limits.maxGasLimit()) {
      return invalidInput(
          "the gas limit " + request.gasLimit() + " is above the maximum " + limits.maxGasLimit());
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
                return runWithHandle(request, true);
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the JavaScript engine is closed", e);
    }
    Outcome outcome = await(f, startedAt);
    return outcome.toResult();
  }

  private Outcome await(Future<Outcome> f, AtomicLong startedAt) {
    long budget = limits.timeout().toNanos() + GRACE_NANOS;
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
          return Outcome.error(ErrorKind.TIMEOUT, timeoutMessage(), 0, List.of());
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

  private Outcome runWithHandle(ExecutionRequest request, boolean recycleOnInternal) {
    EngineHandle h = acquireHandle();
    Outcome o;
    try {
      o = runOnGuest(h, request, limits.timeout(), limits.maxCallDepth());
    } finally {
      h.release();
    }
    if (o.kind == ErrorKind.INTERNAL_ERROR && o.engineBroken && recycleOnInternal) {
      recycle(h, o.message);
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

  // ---- one execution, on a guest thread
  // ----------------------------------------------------------

  private Outcome runOnGuest(
      EngineHandle h, ExecutionRequest req, Duration timeout, int maxCallDepth) {
    GasAccountingManager gas = new GasAccountingManager(req.gasLimit());
    CallDepthGuard depth = new CallDepthGuard(maxCallDepth);
    long timeoutNanos = timeout.toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    GuestBridge bridge = new GuestBridge(gas, req.host(), limits, fetcher, deadline);
    Context ctx = newContext(h.engine);
    Run run =
        new Run(ctx, Thread.currentThread().threadId(), memoryGuard.allocatedByCurrentThread());
    ScheduledFuture<?> timer =
        deadlines.schedule(() -> run.cancel(ErrorKind.TIMEOUT), timeoutNanos, TimeUnit.NANOSECONDS);
    memoryGuard.register(run);
    Outcome o;
    try {
      o = runIn(ctx, h, req, gas, depth, bridge);
      ErrorKind cancelled = run.finish();
      if (cancelled != null) {
        o = cancelledOutcome(cancelled, gas);
      }
    } catch (PolyglotException e) {
      run.finish();
      o = classify(e, run, gas, depth);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // StackOverflowError / OOM outside guest code (e.g. in Truffle's own machinery) leave the
      // engine in an unknown state: report and recycle.
      run.finish();
      ErrorKind cancelled = run.cancelReason();
      if (cancelled != null && cancelled != ErrorKind.OK) {
        o = cancelledOutcome(cancelled, gas);
      } else {
        LOG.error("unexpected failure while running a function; the engine will be replaced", e);
        o =
            Outcome.broken(
                "the engine failed ("
                    + e.getClass().getSimpleName()
                    + "); the request will be retried",
                gas.used());
      }
    } finally {
      timer.cancel(false);
      memoryGuard.unregister(run);
      closeQuietly(ctx);
    }
    List<String> secrets = bridge.secretValues();
    return o.withLogs(bridge.logs()).scrubbed(secrets);
  }

  private Outcome runIn(
      Context ctx,
      EngineHandle h,
      ExecutionRequest req,
      GasAccountingManager gas,
      CallDepthGuard depth,
      GuestBridge bridge) {
    ctx.enter();
    try {
      h.meter.attach(gas, depth);
    } finally {
      ctx.leave();
    }
    byte[] input = req.inputJson();
    if (!gas.tryUse(GasTable.EXECUTION_BASE + (long) input.length * GasTable.PER_BYTE)) {
      return gasExhausted(gas);
    }
    Value setup = ctx.eval(h.prelude);
    Value runFn =
        setup.execute(
            bridge,
            req.functionId(),
            req.owner(),
            req.requestId(),
            req.blockTime().toEpochMilli(),
            req.gasLimit());
    Source user = userSource(req.code());
    ctx.eval(user);
    runFn.execute(new String(input, StandardCharsets.UTF_8));
    if (bridge.hostFault() != null) {
      LOG.error("a host service failed during an execution", bridge.hostFault());
      return Outcome.error(
          ErrorKind.INTERNAL_ERROR,
          "a service the function uses failed; the request will be retried",
          gas.used(),
          List.of());
    }
    if (gas.exhausted()) {
      return gasExhausted(gas);
    }
    if (depth.stop() != null) {
      // The prelude caught what unwound through main; the run still ends here.
      return tooDeep(depth, gas);
    }
    if (!bridge.settled()) {
      return Outcome.error(
          ErrorKind.RUNTIME_ERROR,
          "main returned a promise that never settled (there are no timers, and host calls "
              + "complete at once, so it never will)",
          gas.used(),
          List.of());
    }
    if (bridge.resultJson() == null) {
      return Outcome.error(bridge.rejectedKind(), bridge.rejectedMessage(), gas.used(), List.of());
    }
    byte[] result = bridge.resultJson().getBytes(StandardCharsets.UTF_8);
    if (result.length > limits.maxResultBytes()) {
      return Outcome.error(
          ErrorKind.RESULT_TOO_LARGE,
          "the result is "
              + result.length
              + " bytes of JSON; the cap is "
              + limits.maxResultBytes()
              + " bytes",
          gas.used(),
          List.of());
    }
    if (!gas.tryUse((long) result.length * GasTable.PER_BYTE)) {
      return gasExhausted(gas);
    }
    return Outcome.ok(result, gas.used());
  }

  private Outcome classify(
      PolyglotException e, Run run, GasAccountingManager gas, CallDepthGuard depth) {
    ErrorKind cancelled = run.cancelReason();
    if (cancelled != null && cancelled != ErrorKind.OK) {
      return cancelledOutcome(cancelled, gas);
    }
    if (gas.exhausted()) {
      return gasExhausted(gas);
    }
    if (depth.stop() != null) {
      return tooDeep(depth, gas);
    }
    if (e.isSyntaxError()) {
      return Outcome.error(
          ErrorKind.SYNTAX_ERROR, ErrorText.tidy(e.getMessage()), gas.used(), List.of());
    }
    if (e.isInternalError()) {
      LOG.error("GraalJS internal error; the engine will be replaced", e);
      return Outcome.broken(
          "the engine failed (internal error); the request will be retried", gas.used());
    }
    if (e.isResourceExhausted()) {
      // Not our gas: the JVM ran out of heap or stack inside a built-in.
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("memory") || m.contains("heap")) {
        return Outcome.error(
            ErrorKind.MEMORY_LIMIT,
            "the function allocated more memory than the service can give it",
            gas.used(),
            List.of());
      }
      return Outcome.error(
          ErrorKind.RUNTIME_ERROR,
          "a resource was exhausted: " + e.getMessage(),
          gas.used(),
          List.of());
    }
    if (e.isCancelled() || e.isExit() || e.isInterrupted()) {
      return Outcome.broken(
          "the execution was cancelled by the service; the request will be retried", gas.used());
    }
    if (e.isGuestException()) {
      // An exception escaped the script's top level (main's own errors are caught by the prelude).
      return Outcome.error(
          ErrorKind.RUNTIME_ERROR,
          "the script threw at top level: " + ErrorText.tidy(e.getMessage()),
          gas.used(),
          List.of());
    }
    LOG.error("unexpected host exception from a function", e);
    return Outcome.broken(
        "the engine failed (host exception); the request will be retried", gas.used());
  }

  private Outcome cancelledOutcome(ErrorKind kind, GasAccountingManager gas) {
    if (kind == ErrorKind.TIMEOUT) {
      return Outcome.error(ErrorKind.TIMEOUT, timeoutMessage(), gas.used(), List.of());
    }
    return Outcome.error(
        ErrorKind.MEMORY_LIMIT,
        "the function allocated so much memory that the service's heap passed its high-water mark ("
            + (memoryGuard.highWaterBytes() >> 20)
            + " MiB); it was stopped",
        gas.used(),
        List.of());
  }

  private String timeoutMessage() {
    return "the function ran longer than its " + limits.timeout().toMillis() + " ms deadline";
  }

  private static Outcome gasExhausted(GasAccountingManager gas) {
    return Outcome.error(
        ErrorKind.GAS_EXHAUSTED,
        "the function used all of its "
            + gas.limit()
            + " gas; raise the request's gas limit or make the function do less work",
        gas.limit(),
        List.of());
  }

  private static Outcome tooDeep(CallDepthGuard depth, GasAccountingManager gas) {
    if (depth.stop() == CallDepthGuard.Stop.CALL_DEPTH) {
      return Outcome.error(
          ErrorKind.RUNTIME_ERROR,
          "RangeError: Maximum call stack size exceeded: calls nested deeper than "
              + depth.max()
              + " (the limit stops the run; it can't be caught)",
          gas.used(),
          List.of());
    }
    // Where the stack runs out depends on the JIT's state, so the gas used up to there would differ
    // from run to run; the whole limit is the same everywhere.
    gas.tryUse(gas.remaining());
    return Outcome.error(
        ErrorKind.RUNTIME_ERROR,
        "RangeError: Maximum call stack size exceeded: the stack ran out at fewer than "
            + depth.max()
            + " nested calls (too much nesting inside each call); the run is charged its whole"
            + " gas limit",
        gas.used(),
        List.of());
  }

  private static ExecutionResult invalidInput(String message) {
    return new ExecutionResult(ErrorKind.INVALID_INPUT, new byte[0], 0, List.of(), message);
  }

  private Source userSource(String code) {
    synchronized (sources) {
      return sources.computeIfAbsent(
          code, c -> Source.newBuilder("js", c, USER_SOURCE_NAME).cached(true).buildLiteral());
    }
  }

  // ---- engine lifecycle ----------------------------------------------------------------------

  private EngineHandle newHandle() {
    Engine engine =
        Engine.newBuilder("js")
            .sandbox(SandboxPolicy.CONSTRAINED)
            .out(OutputStream.nullOutputStream())
            .err(OutputStream.nullOutputStream())
            // CONSTRAINED refuses most js.* options (string-length-limit, max-typed-array-length,
            // polyglot-builtin, ...); what it allows we set, the rest the prelude deletes.
            .option("engine.WarnInterpreterOnly", "false")
            .option("js.load", "false")
            .option("js.print", "false")
            .option("js.console", "false")
            .option("js.graal-builtin", "false")
            .build();
    GasMeterService meter =
        engine.getInstruments().get(GasInstrument.ID).lookup(GasMeterService.class);
    if (meter == null) {
      engine.close();
      throw new IllegalStateException(
          "the NSL gas instrument is not installed (META-INF/services)");
    }
    Source prelude =
        Source.newBuilder("js", preludeText, "nsl-prelude.js")
            .internal(true)
            .cached(true)
            .buildLiteral();
    return new EngineHandle(engine, prelude, meter);
  }

  private Context newContext(Engine engine) {
    return Context.newBuilder("js")
        .engine(engine)
        .sandbox(SandboxPolicy.CONSTRAINED)
        .allowHostAccess(HostAccess.CONSTRAINED)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowHostClassLookup(name -> false)
        .in(InputStream.nullInputStream())
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .timeZone(ZoneOffset.UTC)
        .build();
  }

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
      expectWarm(ok, ErrorKind.OK, h);
    }
    if (config.warmupRounds() > 0) {
      String overflow = "function r(n){return r(n+1)+1}\nfunction main(){ return r(0) }";
      expectWarm(warmupRequest(overflow, "null", host), ErrorKind.RUNTIME_ERROR, h);
      expectWarm(ok, ErrorKind.OK, h);
    }
  }

  private void expectWarm(ExecutionRequest r, ErrorKind want, EngineHandle h) {
    Future<Outcome> f =
        guests.submit(
            () -> {
              if (!h.acquire()) {
                throw new IllegalStateException("engine retired during warm-up");
              }
              try {
                // A cold engine is slow; warm-up runs get a generous deadline of their own.
                // No depth limit: the warm-up overflow must really run out of stack (see warmUp).
                return runOnGuest(h, r, WARMUP_TIMEOUT, Integer.MAX_VALUE);
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
    if (o.kind != want) {
      throw new IllegalStateException(
          "engine warm-up expected "
              + want
              + " but got "
              + o.kind
              + ": "
              + o.message
              + "; the GraalJS engine is unusable in this JVM");
    }
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
      EngineHandle fresh = newHandle();
      warmUp(fresh);
      current = fresh;
      broken.retire();
      recycles.incrementAndGet();
    }
  }

  private static RuntimeInfo describeRuntime(Engine engine) {
    String impl = engine.getImplementationName();
    boolean jit = !impl.toLowerCase(Locale.ROOT).contains("interpreted");
    // The 25.0.x compiler jar has no version in its module descriptor: name the jar it came from
    // (compiler-25.0.3.jar) rather than report a present compiler as absent.
    String compiler =
        ModuleLayer.boot()
            .configuration()
            .findModule("jdk.graal.compiler")
            .map(
                r ->
                    r.reference()
                        .descriptor()
                        .rawVersion()
                        .or(
                            () ->
                                r.reference()
                                    .location()
                                    .map(
                                        u ->
                                            u.getPath()
                                                .substring(u.getPath().lastIndexOf('/') + 1)))
                        .orElse("present, unversioned"))
            .orElse("absent");
    return new RuntimeInfo(impl, jit, Runtime.version().toString(), compiler);
  }

  private static String readPrelude() {
    try (InputStream in = JavaScriptEngine.class.getResourceAsStream("internal/prelude.js")) {
      if (in == null) {
        throw new IllegalStateException(
            "io/nsl/js/internal/prelude.js is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the JS prelude failed", e);
    }
  }

  private static void closeQuietly(Context ctx) {
    try {
      ctx.close(true);
    } catch (PolyglotException | IllegalStateException e) {
      // Expected: closing a context that was cancelled or ran out of gas reports that again.
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

  // ---- helpers ---------------------------------------------------------------------------------

  /** One engine and what belongs to it; retired after an internal error, closed when unused. */
  private static final class EngineHandle {
    final Engine engine;
    final Source prelude;
    final GasMeterService meter;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;
    private final AtomicBoolean engineClosed = new AtomicBoolean();

    EngineHandle(Engine engine, Source prelude, GasMeterService meter) {
      this.engine = engine;
      this.prelude = prelude;
      this.meter = meter;
    }

    boolean acquire() {
      users.incrementAndGet();
      if (retired) {
        release();
        return false;
      }
      return true;
    }

    void release() {
      if (users.decrementAndGet() == 0 && retired) {
        closeEngine();
      }
    }

    void retire() {
      retired = true;
      if (users.get() == 0) {
        closeEngine();
      }
    }

    private void closeEngine() {
      if (engineClosed.compareAndSet(false, true)) {
        try {
          engine.close(true);
        } catch (PolyglotException | IllegalStateException e) {
          LOG.warn("closing a retired GraalJS engine reported: {}", e.getMessage());
        }
      }
    }
  }

  /** A running execution the deadline timer and the memory guard may cancel. */
  private static final class Run implements MemoryGuard.Watched {
    private final Context ctx;
    private final long threadId;
    private final long allocatedAtStart;

    /** null while running; OK once finished normally; TIMEOUT / MEMORY_LIMIT once cancelled. */
    private final AtomicReference<ErrorKind> state = new AtomicReference<>();

    Run(Context ctx, long threadId, long allocatedAtStart) {
      this.ctx = ctx;
      this.threadId = threadId;
      this.allocatedAtStart = allocatedAtStart;
    }

    void cancel(ErrorKind why) {
      if (state.compareAndSet(null, why)) {
        // close(true) waits for the guest thread to leave; never block the watchdog on it.
        Thread.ofVirtual().start(() -> closeQuietly(ctx));
      }
    }

    /** Marks the run finished; returns the cancel reason if a cancel won the race, else null. */
    ErrorKind finish() {
      if (state.compareAndSet(null, ErrorKind.OK)) {
        return null;
      }
      ErrorKind s = state.get();
      return s == ErrorKind.OK ? null : s;
    }

    ErrorKind cancelReason() {
      return state.get();
    }

    @Override
    public long threadId() {
      return threadId;
    }

    @Override
    public long allocatedAtStart() {
      return allocatedAtStart;
    }

    @Override
    public void cancelForMemory() {
      cancel(ErrorKind.MEMORY_LIMIT);
    }
  }

  /** The engine-side outcome before it becomes an {@link ExecutionResult}. */
  private record Outcome(
      ErrorKind kind,
      byte[] result,
      String message,
      long gasUsed,
      List<String> logs,
      boolean engineBroken) {
    static Outcome ok(byte[] result, long gasUsed) {
      return new Outcome(ErrorKind.OK, result, "", gasUsed, List.of(), false);
    }

    static Outcome error(ErrorKind kind, String message, long gasUsed, List<String> logs) {
      return new Outcome(kind, new byte[0], message, gasUsed, logs, false);
    }

    static Outcome broken(String message, long gasUsed) {
      return new Outcome(ErrorKind.INTERNAL_ERROR, new byte[0], message, gasUsed, List.of(), true);
    }

    Outcome withLogs(List<String> newLogs) {
      return new Outcome(kind, result, message, gasUsed, newLogs, engineBroken);
    }

    Outcome scrubbed(List<String> secrets) {
      if (secrets.isEmpty()) {
        return this;
      }
      return new Outcome(
          kind,
          result,
          Scrubber.scrub(message, secrets),
          gasUsed,
          logs.stream().map(l -> Scrubber.scrub(l, secrets)).toList(),
          engineBroken);
    }

    ExecutionResult toResult() {
      return new ExecutionResult(kind, result, gasUsed, logs, message);
    }
  }

  @SuppressWarnings("unused")
  private static final Set<ErrorKind> CANCEL_KINDS =
      Set.of(ErrorKind.TIMEOUT, ErrorKind.MEMORY_LIMIT);
}
