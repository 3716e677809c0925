package io.nsl.js;

import io.nsl.js.internal.CallDepthGuard;
import io.nsl.js.internal.ErrorText;
import io.nsl.js.internal.GuestBridge;
import io.nsl.js.internal.HttpFetcher;
import io.nsl.js.internal.MemoryGuard;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * One execution, on a guest thread: a fresh constrained context on a shared engine, the prelude,
 * the function, its result or how it failed (gas, deadline, memory, depth, a thrown error), with
 * logs and secrets scrubbed. Thread-safe: each call works on its own context.
 */
final class GuestExecution {
  private static final Logger LOG = LoggerFactory.getLogger(GuestExecution.class);
  private static final int SOURCE_CACHE_MAX = 256;
  private static final String USER_SOURCE_NAME = "function.js";

  /** The locale every function runs in (docs/functions.md, "Deterministic answers"). */
  static final String GUEST_LOCALE = "en-US";

  private final ExecutionLimits limits;
  private final HttpFetcher fetcher;
  private final MemoryGuard memoryGuard;
  private final ScheduledExecutorService deadlines;
  private final Map<String, Source> sources =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
          return size() > SOURCE_CACHE_MAX;
        }
      };

  GuestExecution(
      ExecutionLimits limits,
      HttpFetcher fetcher,
      MemoryGuard memoryGuard,
      ScheduledExecutorService deadlines) {
    this.limits = limits;
    this.fetcher = fetcher;
    this.memoryGuard = memoryGuard;
    this.deadlines = deadlines;
  }

  /** Runs one request on {@code h} in a fresh context; blocks until it ends. */
  Outcome run(EngineHandle h, ExecutionRequest req, Duration timeout, int maxCallDepth) {
    GasAccountingManager gas = new GasAccountingManager(req.gasLimit());
    CallDepthGuard depth = new CallDepthGuard(maxCallDepth);
    MemoryBudget memory =
        new MemoryBudget(
            req.memoryLimitBytes() == ExecutionRequest.DEFAULT_MEMORY
                ? limits.defaultMemoryBytes()
                : req.memoryLimitBytes());
    long timeoutNanos = timeout.toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    GuestBridge bridge = new GuestBridge(gas, depth, memory, req.host(), limits, fetcher, deadline);
    Context ctx = newContext(h.engine);
    CancellableRun run =
        new CancellableRun(
            ctx, Thread.currentThread().threadId(), memoryGuard.allocatedByCurrentThread());
    ScheduledFuture<?> timer =
        deadlines.schedule(() -> run.cancel(ErrorKind.TIMEOUT), timeoutNanos, TimeUnit.NANOSECONDS);
    memoryGuard.register(run);
    Outcome o;
    try {
      o = runIn(ctx, h, req, gas, depth, memory, bridge);
      ErrorKind cancelled = run.finish();
      if (cancelled != null) {
        o = cancelledOutcome(cancelled, gas, timeout);
      }
    } catch (PolyglotException e) {
      run.finish();
      o = classify(e, run, gas, depth, memory, timeout);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // StackOverflowError / OOM outside guest code (e.g. in Truffle's own machinery) leave the
      // engine in an unknown state: report and recycle.
      run.finish();
      ErrorKind cancelled = run.cancelReason();
      if (cancelled != null && cancelled != ErrorKind.OK) {
        o = cancelledOutcome(cancelled, gas, timeout);
      } else if (memory.exceeded()) {
        o = overBudget(memory, gas);
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
      CancellableRun.closeQuietly(ctx);
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
      MemoryBudget memory,
      GuestBridge bridge) {
    ctx.enter();
    try {
      h.meter.attach(gas, depth, memory);
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
            req.gasLimit(),
            mathRandomSeed(req),
            ExecutionLimits.MAX_BUILTIN_NESTING);
    memory.start();
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
    if (memory.exceeded()) {
      return overBudget(memory, gas);
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

  /**
   * The seed of the prelude's {@code Math.random} (xoshiro128**): the first 16 bytes of SHA-256 of
   * the request id and the block time, as hex. The same request gets the same sequence on every
   * node and in {@code ./nsl function simulate --request-id --block-time}; anyone who knows the
   * request can compute it, so it is not for secrets (docs/functions.md).
   */
  static String mathRandomSeed(ExecutionRequest req) {
    byte[] h =
        io.nsl.P256.sha256(
            ("nsl:Math.random:v1\n" + req.requestId() + "\n" + req.blockTime().toEpochMilli())
                .getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(h, 0, 16);
  }

  private Outcome classify(
      PolyglotException e,
      CancellableRun run,
      GasAccountingManager gas,
      CallDepthGuard depth,
      MemoryBudget memory,
      Duration timeout) {
    ErrorKind cancelled = run.cancelReason();
    if (cancelled != null && cancelled != ErrorKind.OK) {
      return cancelledOutcome(cancelled, gas, timeout);
    }
    if (memory.exceeded()) {
      return overBudget(memory, gas);
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

  private Outcome cancelledOutcome(ErrorKind kind, GasAccountingManager gas, Duration timeout) {
    if (kind == ErrorKind.TIMEOUT) {
      // How far a run got by its deadline depends on the machine and its load; the whole limit
      // is the same on every node.
      return Outcome.error(ErrorKind.TIMEOUT, timeoutMessage(timeout), gas.limit(), List.of());
    }
    return Outcome.error(
        ErrorKind.MEMORY_LIMIT,
        "the function allocated so much memory that the service's heap passed its high-water mark ("
            + (memoryGuard.highWaterBytes() >> 20)
            + " MiB); it was stopped",
        gas.used(),
        List.of());
  }

  /** The TIMEOUT message: the deadline that applied to this run, not the engine's default. */
  static String timeoutMessage(Duration timeout) {
    return "the function ran longer than its " + timeout.toMillis() + " ms deadline";
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

  // Counted, so the same on every node: the stop point, the gas used up to it and this message.
  private static Outcome overBudget(MemoryBudget memory, GasAccountingManager gas) {
    return Outcome.error(
        ErrorKind.MEMORY_LIMIT,
        "the function's counted allocations reached "
            + memory.countedBytes()
            + " bytes, over its memory budget of "
            + memory.limitBytes()
            + " bytes; allocate less, or set a larger budget for the function (up to the"
            + " operator's limit)",
        gas.used(),
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
    if (depth.stop() == CallDepthGuard.Stop.BUILTIN_NESTING) {
      return Outcome.error(
          ErrorKind.RUNTIME_ERROR,
          "RangeError: "
              + depth.builtin()
              + " (the limit stops the run; it can't be caught); the run is charged its whole gas"
              + " limit",
          gas.used(),
          List.of());
    }
    return Outcome.error(
        ErrorKind.RUNTIME_ERROR,
        "RangeError: Maximum call stack size exceeded: the stack ran out at fewer than "
            + depth.max()
            + " nested calls (too much nesting inside each call); the run is charged its whole"
            + " gas limit",
        gas.used(),
        List.of());
  }

  private Source userSource(String code) {
    synchronized (sources) {
      return sources.computeIfAbsent(
          code, c -> Source.newBuilder("js", c, USER_SOURCE_NAME).cached(true).buildLiteral());
    }
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
        // Locale and time zone are fixed, not the JVM's (user.language, user.timezone): number and
        // date formatting, toLocaleLowerCase and Intl give the same text, so the same gas, on
        // every node.
        .timeZone(ZoneOffset.UTC)
        .option("js.locale", GUEST_LOCALE)
        .build();
  }
}
