package io.nsl.bench.worker;

import io.nsl.bench.worker.WorkerProtocol.Execute;
import io.nsl.bench.worker.WorkerProtocol.Ping;
import io.nsl.bench.worker.WorkerProtocol.Pong;
import io.nsl.bench.worker.WorkerProtocol.Ready;
import io.nsl.bench.worker.WorkerProtocol.Reply;
import io.nsl.bench.worker.WorkerProtocol.Result;
import io.nsl.js.ErrorKind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parent side of the worker-JVM prototype (issue 5): keeps {@code workers} child JVMs running
 * {@code command} (normally {@link WorkerMain}), sends each execution to the ready worker with the
 * fewest in flight (at most {@code perWorkerConcurrency}), and when a worker's stdout ends (it
 * died) answers every execution that was in flight there ({@code MEMORY_LIMIT} for exit code 3,
 * what {@code -XX:+ExitOnOutOfMemoryError} exits with; {@code INTERNAL_ERROR} otherwise) and starts
 * a replacement. Prototype only; the service does not use it.
 *
 * <p>What it can't know: which of several executions in flight in a dead worker was the bomb. All
 * of them get the same answer; only {@code perWorkerConcurrency = 1} blames the right one.
 *
 * <p>Threading: {@link #execute} and {@link #ping} are thread-safe and block their caller (while no
 * worker has a free slot, too). One reader thread per worker; it also restarts its worker.
 */
public final class Supervisor implements AutoCloseable {
  /** Exit code of a JVM that {@code -XX:+ExitOnOutOfMemoryError} ended. */
  public static final int OOM_EXIT_CODE = 3;

  /** A worker became ready: spawn to its {@link Ready} frame, and its engine start within that. */
  public record Start(int worker, boolean restart, long spawnToReadyNanos, long engineStartNanos) {}

  /** A worker's stdout ended; it exited with {@code exitCode}, taking {@code lost} executions. */
  public record Death(int worker, int exitCode, int lost) {}

  private enum State {
    STARTING,
    READY,
    DEAD
  }

  private final List<String> command;
  private final int perWorkerConcurrency;
  private final Path logDir;
  private final Slot[] slots;
  private final AtomicLong ids = new AtomicLong();
  private final List<Start> starts = new CopyOnWriteArrayList<>();
  private final List<Death> deaths = new CopyOnWriteArrayList<>();
  private boolean closed;

  /**
   * Spawns the workers (they start in parallel; {@link #awaitReady} waits for them).
   *
   * @param command the worker's command line (java, flags, main class)
   * @param logDir each worker's stderr is appended to {@code worker-N.log} there
   */
  public Supervisor(List<String> command, int workers, int perWorkerConcurrency, Path logDir)
      throws IOException {
    if (workers < 1 || perWorkerConcurrency < 1) {
      throw new IllegalArgumentException(
          "workers and perWorkerConcurrency must be >= 1, were "
              + workers
              + " and "
              + perWorkerConcurrency);
    }
    this.command = List.copyOf(command);
    this.perWorkerConcurrency = perWorkerConcurrency;
    this.logDir = Objects.requireNonNull(logDir, "logDir");
    this.slots = new Slot[workers];
    for (int i = 0; i < workers; i++) {
      slots[i] = spawn(i, false);
    }
  }

  /**
   * The answer a supervisor gives for an execution whose worker died: the worker's exit code is all
   * it knows.
   */
  public static ErrorKind kindForExit(int exitCode) {
    return exitCode == OOM_EXIT_CODE ? ErrorKind.MEMORY_LIMIT : ErrorKind.INTERNAL_ERROR;
  }

  /** Runs one execution on some worker and waits for its result. */
  public Result execute(
      String functionId, String code, byte[] inputJson, long gasLimit, Map<String, String> secrets)
      throws InterruptedException {
    long id = ids.incrementAndGet();
    CompletableFuture<Reply> answer = new CompletableFuture<>();
    Slot slot = claim(id, answer);
    slot.send(
        WorkerProtocol.encode(new Execute(id, functionId, code, inputJson, gasLimit, secrets)));
    return (Result) answer.join();
  }

  /**
   * One {@link Ping} round trip to some worker, in nanoseconds: what a host call served by the
   * parent (storage, fetch) would add at least, per call.
   *
   * @throws IllegalStateException if the worker died meanwhile
   */
  public long ping() throws InterruptedException {
    long id = ids.incrementAndGet();
    CompletableFuture<Reply> answer = new CompletableFuture<>();
    Slot slot = claim(id, answer);
    long t0 = System.nanoTime();
    slot.send(WorkerProtocol.encode(new Ping(id)));
    Reply r = answer.join();
    if (!(r instanceof Pong)) {
      throw new IllegalStateException("the worker died during a ping");
    }
    return System.nanoTime() - t0;
  }

  /** Waits until every worker is ready (after a crash, until its replacement is). */
  public synchronized void awaitReady(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!allReady()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("workers not ready after " + timeout);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Process ids of the current workers (for /proc readings). */
  public synchronized List<Long> workerPids() {
    List<Long> pids = new ArrayList<>();
    for (Slot s : slots) {
      pids.add(s.process.pid());
    }
    return pids;
  }

  public List<Start> starts() {
    return List.copyOf(starts);
  }

  public List<Death> deaths() {
    return List.copyOf(deaths);
  }

  @Override
  public void close() throws InterruptedException {
    Slot[] current;
    synchronized (this) {
      closed = true;
      current = slots.clone();
      notifyAll();
    }
    for (Slot s : current) {
      try {
        s.stdin.close();
      } catch (IOException e) {
        // Already gone; waitFor below settles it.
      }
    }
    for (Slot s : current) {
      if (!s.process.waitFor(10, TimeUnit.SECONDS)) {
        s.process.destroyForcibly();
      }
    }
  }

  private boolean allReady() {
    for (Slot s : slots) {
      if (s.state != State.READY) {
        return false;
      }
    }
    return true;
  }

  private synchronized Slot claim(long id, CompletableFuture<Reply> answer)
      throws InterruptedException {
    while (true) {
      if (closed) {
        throw new IllegalStateException("the supervisor is closed");
      }
      Slot best = null;
      for (Slot s : slots) {
        if (s.state == State.READY
            && s.inFlight.size() < perWorkerConcurrency
            && (best == null || s.inFlight.size() < best.inFlight.size())) {
          best = s;
        }
      }
      if (best != null) {
        // Registered under the lock that onDeath takes before draining, so no answer is lost.
        best.inFlight.put(id, answer);
        return best;
      }
      wait();
    }
  }

  private Slot spawn(int index, boolean restart) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectError(
                ProcessBuilder.Redirect.appendTo(
                    logDir.resolve("worker-" + index + ".log").toFile()));
    long t0 = System.nanoTime();
    Process p = pb.start();
    Slot slot = new Slot(index, restart, p, t0);
    Thread.ofPlatform().daemon().name("nsl-supervisor-reader-" + index).start(slot::readLoop);
    return slot;
  }

  private void onReady(Slot slot, Ready ready) {
    starts.add(
        new Start(
            slot.index,
            slot.restart,
            System.nanoTime() - slot.spawnedAt,
            ready.engineStartNanos()));
    synchronized (this) {
      slot.state = State.READY;
      notifyAll();
    }
  }

  private void onDeath(Slot slot) {
    int exit;
    try {
      exit = slot.process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = -1;
    }
    List<Map.Entry<Long, CompletableFuture<Reply>>> lost;
    boolean restart;
    synchronized (this) {
      slot.state = State.DEAD;
      lost = new ArrayList<>(slot.inFlight.entrySet());
      slot.inFlight.clear();
      restart = !closed;
    }
    int executions = 0;
    for (Map.Entry<Long, CompletableFuture<Reply>> e : lost) {
      CompletableFuture<Reply> f = e.getValue();
      // A ping in flight gets a Result too; ping() turns it into an exception.
      executions++;
      f.complete(
          new Result(
              e.getKey(),
              kindForExit(exit).code(),
              new byte[0],
              0,
              "the worker JVM exited with code "
                  + exit
                  + (exit == OOM_EXIT_CODE ? " (OutOfMemoryError)" : "")
                  + " while this execution ran",
              0));
    }
    deaths.add(new Death(slot.index, exit, executions));
    if (restart) {
      try {
        Slot next = spawn(slot.index, true);
        synchronized (this) {
          slots[slot.index] = next;
          notifyAll();
        }
      } catch (IOException e) {
        System.err.println("supervisor: cannot restart worker " + slot.index + ": " + e);
      }
    }
  }

  private void onReply(Slot slot, Reply reply) {
    switch (reply) {
      case Ready r -> onReady(slot, r);
      case Result r -> complete(slot, r.id(), r);
      case Pong p -> complete(slot, p.id(), p);
    }
  }

  private void complete(Slot slot, long id, Reply reply) {
    CompletableFuture<Reply> f;
    synchronized (this) {
      f = slot.inFlight.remove(id);
      notifyAll();
    }
    if (f == null) {
      throw new WorkerProtocol.MalformedFrameException("reply for unknown id " + id);
    }
    f.complete(reply);
  }

  /** One worker process and what is in flight on it. */
  private final class Slot {
    final int index;
    final boolean restart;
    final Process process;
    final long spawnedAt;
    final OutputStream stdin;
    final Map<Long, CompletableFuture<Reply>> inFlight = new ConcurrentHashMap<>();
    volatile State state = State.STARTING;

    Slot(int index, boolean restart, Process process, long spawnedAt) {
      this.index = index;
      this.restart = restart;
      this.process = process;
      this.spawnedAt = spawnedAt;
      this.stdin = new BufferedOutputStream(process.getOutputStream());
    }

    void send(byte[] payload) {
      synchronized (stdin) {
        try {
          WorkerProtocol.writeFrame(stdin, payload);
        } catch (IOException e) {
          // The worker is dead or dying; its reader sees the end of stdout and answers.
        }
      }
    }

    void readLoop() {
      try (InputStream in = new BufferedInputStream(process.getInputStream())) {
        for (byte[] payload; (payload = WorkerProtocol.readFrame(in)) != null; ) {
          onReply(this, WorkerProtocol.decodeReply(payload));
        }
      } catch (IOException | RuntimeException e) {
        // A torn or foreign frame means the same as the end of stream: this worker is done.
        System.err.println("supervisor: worker " + index + " stream ended: " + e.getMessage());
        process.destroyForcibly();
      }
      onDeath(this);
    }
  }
}
