package io.nsl.bench.worker;

import io.nsl.bench.worker.WorkerProtocol.Execute;
import io.nsl.bench.worker.WorkerProtocol.Ping;
import io.nsl.bench.worker.WorkerProtocol.Pong;
import io.nsl.bench.worker.WorkerProtocol.Ready;
import io.nsl.bench.worker.WorkerProtocol.Request;
import io.nsl.bench.worker.WorkerProtocol.Result;
import io.nsl.js.EngineConfig;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.MapSecretsView;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker JVM of the worker-JVM prototype (issue 5): one {@link JavaScriptEngine} behind {@link
 * WorkerProtocol} frames on stdin/stdout. The {@link Supervisor} starts it with its own {@code
 * -Xmx} and {@code -XX:+ExitOnOutOfMemoryError}, so a memory bomb ends this JVM (exit code 3) and
 * nothing else.
 *
 * <p>Prototype shortcuts, said plainly: storage is an in-worker {@link InMemoryFunctionStateStore}
 * per function (the real one would be a host call over the pipe to the parent, which holds the
 * encrypted store; see {@link Ping} for the cost of one such round trip), fetch is denied, and
 * randomness is this JVM's {@link SecureRandom} (the real one is the enclave's). The worker holds
 * no signing key and no secrets key; it only sees the plaintext secrets of the function it runs.
 *
 * <p>System properties: {@code worker.concurrency} (guest threads, default 2), {@code
 * worker.memoryGuard} (default false: the in-process guard is neutralised, so the JVM's own heap
 * limit is what stops a bomb, as in the design the issue describes).
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) throws IOException {
    long t0 = System.nanoTime();
    // stdout carries frames only; anything else that prints (logback, a stray println) goes to
    // stderr, which the supervisor sends to a log file.
    OutputStream frames = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    InputStream requests = new BufferedInputStream(new FileInputStream(FileDescriptor.in));
    System.setOut(System.err);

    int concurrency = Integer.getInteger("worker.concurrency", 2);
    ExecutionLimits limits = ExecutionLimits.defaults();
    if (!Boolean.getBoolean("worker.memoryGuard")) {
      limits = withoutMemoryGuard(limits);
    }
    JavaScriptEngine engine =
        JavaScriptEngine.start(new EngineConfig(limits, concurrency, true, 30));
    Object writeLock = new Object();
    synchronized (writeLock) {
      WorkerProtocol.writeFrame(frames, WorkerProtocol.encode(new Ready(System.nanoTime() - t0)));
    }
    Map<String, InMemoryFunctionStateStore> stores = new ConcurrentHashMap<>();
    SecureRandom random = new SecureRandom();
    for (byte[] payload; (payload = WorkerProtocol.readFrame(requests)) != null; ) {
      Request request = WorkerProtocol.decodeRequest(payload);
      switch (request) {
        case Ping p -> reply(frames, writeLock, WorkerProtocol.encode(new Pong(p.id())));
        case Execute e ->
            Thread.ofVirtual()
                .start(
                    () -> {
                      HostServices host =
                          new HostServices(
                              stores.computeIfAbsent(
                                  e.functionId(), k -> new InMemoryFunctionStateStore(1 << 20)),
                              new MapSecretsView(e.secrets()),
                              random::nextBytes,
                              FetchPolicy.denyAll());
                      long start = System.nanoTime();
                      ExecutionResult r =
                          engine.execute(
                              new ExecutionRequest(
                                  e.functionId(),
                                  "owner",
                                  Long.toString(e.id()),
                                  e.code(),
                                  e.inputJson(),
                                  Optional.empty(),
                                  e.gasLimit(),
                                  Instant.EPOCH,
                                  host));
                      long took = System.nanoTime() - start;
                      reply(
                          frames,
                          writeLock,
                          WorkerProtocol.encode(
                              new Result(
                                  e.id(),
                                  r.status().code(),
                                  r.resultJson(),
                                  r.gasUsed(),
                                  r.errorMessage(),
                                  took)));
                    });
      }
    }
    // The supervisor closed our stdin: it is shutting us down.
    engine.close();
    System.exit(0);
  }

  /**
   * The production limits with the heap guard made inert: no execution ever allocates {@code
   * Long.MAX_VALUE} bytes, so none is a victim, and the high-water mark is as high as the limits
   * allow (0.94), so its confirming GC runs only at the very end.
   */
  static ExecutionLimits withoutMemoryGuard(ExecutionLimits l) {
    return new ExecutionLimits(
        l.maxGasLimit(),
        l.timeout(),
        l.maxInputBytes(),
        l.maxInputDepth(),
        l.maxResultBytes(),
        l.maxLogLines(),
        l.maxLogLineChars(),
        l.maxStateValueBytes(),
        l.guestStackBytes(),
        l.maxCallDepth(),
        0.94,
        Long.MAX_VALUE);
  }

  private static void reply(OutputStream frames, Object writeLock, byte[] payload) {
    synchronized (writeLock) {
      try {
        WorkerProtocol.writeFrame(frames, payload);
      } catch (IOException e) {
        // The parent is gone; nothing to answer to.
        System.err.println("worker: cannot write a reply, parent gone: " + e.getMessage());
        System.exit(1);
      }
    }
  }
}
