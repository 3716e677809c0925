package io.nsl.pipeline;

import io.nsl.chain.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pipeline's loops (watcher, executor workers, execution recorder, submitter, tracker)
 * running, each on its own thread. A loop that stops on anything it did not handle itself (a full
 * disk, a bug: any {@link Throwable}) is logged once for the run of failures, reported by {@link
 * #faults()} (readiness turns false with it as the reason) and started again after a backoff
 * ({@link RetryPolicy#restartBackoff()} doubling to {@link RetryPolicy#restartBackoffMax()}). The
 * loop says it works again with {@link Worker#ok()} after a turn that did its work; that clears its
 * fault and logs the recovery once.
 *
 * <p>A {@link VirtualMachineError} (out of memory, an internal JVM error) is not retried: nothing
 * in the process can be trusted after it, so the loop ends and {@link FatalHandler#stop} is called,
 * which stops the process with a clear exit code (decision 0023). A {@link StackOverflowError} is
 * the exception: the stack is unwound and nothing shared is left half-done, and stopping the
 * process for it would let one request that overflows a worker's stack stop the service again on
 * every restart; the loop is restarted like any other.
 *
 * <p>Threading: {@link Worker#ok()} and {@link #faults()} may be called from any thread. Call
 * {@link #stopping()} before asking the loops to end, so that their return is not a failure.
 */
public final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  /** One pipeline loop: runs until asked to stop, then returns. */
  public interface Loop {
    void run() throws InterruptedException;
  }

  /** What to do when a loop stops on an error nothing can recover from. Must not throw. */
  public interface FatalHandler {
    void stop(String loop, VirtualMachineError error);
  }

  private final RetryPolicy policy;
  private final FatalHandler onFatal;
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  public Supervisor(RetryPolicy policy, FatalHandler onFatal) {
    this.policy = policy;
    this.onFatal = onFatal;
  }

  /** Declares a loop named {@code name} (the thread's name and the name in faults and logs). */
  public Worker worker(String name) {
    Worker w = new Worker(name);
    workers.add(w);
    return w;
  }

  /**
   * The loops that are stopped or restarted and have not yet had a good turn since: loop name →
   * reason. Empty when every loop works.
   */
  public Map<String, String> faults() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Worker w : workers) {
      String f = w.fault;
      if (f != null) {
        out.put(w.name, f);
      }
    }
    return out;
  }

  /** From now on a loop that returns has been asked to stop: it is not started again. */
  public void stopping() {
    stopping = true;
  }

  /** Interrupts every loop's thread (after {@link #stopping()}) and waits up to {@code each}. */
  public void stopAndJoin(Duration each) {
    stopping();
    List<Thread> threads = new ArrayList<>();
    for (Worker w : workers) {
      if (w.thread != null) {
        threads.add(w.thread);
        w.thread.interrupt();
      }
    }
    for (Thread t : threads) {
      try {
        t.join(each);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One supervised loop. */
  public final class Worker {
    private final String name;
    private final Backoff backoff = policy.newRestartBackoff();
    private volatile String fault;
    private volatile Thread thread;

    private Worker(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    /**
     * The loop did a turn that worked: clears its fault (logged once). Cheap; call it every turn.
     */
    public void ok() {
      if (fault == null) {
        return;
      }
      synchronized (this) {
        if (fault != null) {
          fault = null;
          backoff.onSuccess();
          log.info("{} works again", name);
        }
      }
    }

    /** Starts the loop on a daemon platform thread. */
    public void start(Loop loop) {
      start(0, loop);
    }

    /** As {@link #start(Loop)}, with a thread stack of {@code stackBytes} (0: the default). */
    public void start(long stackBytes, Loop loop) {
      if (thread != null) {
        throw new IllegalStateException(name + " is already started");
      }
      thread =
          Thread.ofPlatform()
              .name(name)
              .stackSize(stackBytes)
              .daemon(true)
              .start(() -> supervise(loop));
    }

    private void supervise(Loop loop) {
      while (!stopping) {
        Throwable failure;
        try {
          loop.run();
          if (stopping) {
            return;
          }
          failure = new IllegalStateException("the loop returned without being asked to stop");
        } catch (InterruptedException e) {
          if (stopping) {
            return;
          }
          failure = e;
        } catch (StackOverflowError e) {
          failure = e;
        } catch (VirtualMachineError e) {
          fault = name + " stopped on " + e + "; the process stops";
          log.error("{} stopped on an error the process cannot recover from", name, e);
          onFatal.stop(name, e);
          return;
        } catch (Throwable e) {
          if (stopping) {
            return;
          }
          failure = e;
        }
        Duration wait;
        synchronized (this) {
          wait = backoff.onFailure();
          fault = name + " stopped: " + describe(failure) + "; restarting with backoff";
          if (backoff.failures() == 1) {
            log.error(
                "{} stopped; restarting it in {} ms and with backoff up to {} ms until it works",
                name,
                wait.toMillis(),
                policy.restartBackoffMax().toMillis(),
                failure);
          }
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          if (stopping) {
            return;
          }
        }
      }
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
