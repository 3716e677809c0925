package io.nsl.js;

import io.nsl.js.internal.GasInstrument;
import io.nsl.js.internal.GasMeterService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine lifecycle: one GraalJS engine with its cached prelude and gas meter, shared by every
 * context created on it, counted in and out by the executions that use it; retired after an
 * internal error and closed once its last user leaves. Thread-safe.
 */
/** One engine and what belongs to it; retired after an internal error, closed when unused. */
final class EngineHandle {
  private static final Logger LOG = LoggerFactory.getLogger(EngineHandle.class);

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

  static EngineHandle create(String preludeText) {
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

  RuntimeInfo describeRuntime() {
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

  static String readPrelude() {
    try (InputStream in = EngineHandle.class.getResourceAsStream("internal/prelude.js")) {
      if (in == null) {
        throw new IllegalStateException(
            "io/nsl/js/internal/prelude.js is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the JS prelude failed", e);
    }
  }
}
