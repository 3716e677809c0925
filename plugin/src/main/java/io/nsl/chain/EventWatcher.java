package io.nsl.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one contract event through the chain from a durable cursor: reads each block's matching
 * notifications (from a {@link NotificationSource}: neo-go's extension or standard RPC), records
 * them and moves the cursor in one atomic step, then hands them on. Before each step it checks that
 * the node still serves the data folder's chain ({@link ChainIdentityGuard}); on another chain, or
 * on a node that has not reached the cursor, it reads nothing and reports why ({@link #problem()}).
 * Catch-up runs at full speed; at the live edge it waits for the websocket's next block (or the
 * poll interval). An unreachable node means backoff and one log line per state change, never a
 * crash. Neo N3's dBFT gives single-block finality, so there are no reorganisations to undo.
 *
 * <p>Threading: {@link #run()} is the loop; run it on one thread, stop it with {@link #stop()}.
 *
 * @param <T> the parsed event type
 */
public final class EventWatcher<T> implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(EventWatcher.class);

  /** Durable position and storage of seen events. */
  public interface Cursor<T> {
    /** The next block index to read. */
    long nextBlock();

    /**
     * Records {@code events} of block {@code index} and moves the cursor to {@code index + 1}, in
     * one atomic, durable write: after a crash either both happened or neither. The cursor hands
     * the events on (e.g. to the executor) once they are durable.
     */
    void commit(long index, List<T> events);
  }

  /** Turns a notification into an event; throws IllegalArgumentException when malformed. */
  public interface Parser<T> {
    T parse(NeoRpcClient.Notification notification, long blockIndex);
  }

  /** Checks, before each step, that the node serves the chain the cursor belongs to. */
  @FunctionalInterface
  public interface Guard {
    /**
     * @throws ChainException.WrongChain when it does not
     */
    void verify();
  }

  private final NeoRpcClient rpc;
  private final NotificationSource source;
  private final Guard guard;
  private final String contractHash;
  private final String eventName;
  private final Parser<T> parser;
  private final Cursor<T> cursor;
  private final BlockSignal signal;
  private final Duration pollInterval;
  private final LongConsumer lagObserver;
  private final Backoff backoff = Backoff.standard();
  private final Backoff problemBackoff = Backoff.standard();
  private volatile boolean running = true;
  private volatile long chainHeight = -1;
  private volatile String problem;
  private volatile String problemKind;

  public EventWatcher(
      NeoRpcClient rpc,
      NotificationSource source,
      Guard guard,
      String contractHash,
      String eventName,
      Parser<T> parser,
      Cursor<T> cursor,
      BlockSignal signal,
      Duration pollInterval,
      LongConsumer lagObserver) {
    this.rpc = rpc;
    this.source = source;
    this.guard = guard;
    this.contractHash = contractHash;
    this.eventName = eventName;
    this.parser = parser;
    this.cursor = cursor;
    this.signal = signal;
    this.pollInterval = pollInterval;
    this.lagObserver = lagObserver;
  }

  /** Highest block the node reported at the last successful poll, or -1. */
  public long chainHeight() {
    return chainHeight;
  }

  /**
   * Why the watcher is not reading the chain although the node answers (another chain, a node
   * behind the cursor), or empty while it reads normally.
   */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** How the watcher reads blocks now: {@code notifications} or {@code standard}. */
  public String way() {
    return source.way();
  }

  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      try {
        boolean caughtUp = step();
        problemBackoff.onSuccess();
        if (backoff.onSuccess()) {
          log.info("node {} is reachable again at height {}", rpc.rpcUrl(), chainHeight);
        }
        if (caughtUp) {
          signal.await(pollInterval);
        }
      } catch (ChainException.WrongChain | ChainException.NodeBehind e) {
        report(e.code(), e.getMessage());
        sleep(problemBackoff.onFailure());
      } catch (ChainException e) {
        if (!e.retryable() && !(e instanceof ChainException.RpcError)) {
          throw e;
        }
        Duration wait = backoff.onFailure();
        if (backoff.failures() == 1) {
          log.warn(
              "{}; retrying with backoff (up to {} s) until it answers",
              e.getMessage(),
              Backoff.MAX.toSeconds());
        }
        sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Reads and commits up to 500 blocks from the cursor.
   *
   * @return true when the cursor has reached the chain's head
   */
  boolean step() {
    guard.verify();
    long height = rpc.blockCount() - 1;
    long next = cursor.nextBlock();
    // The lag first, then the height: readiness reads the height as "the watcher has looked", and
    // with the lag still at its start (0) a new worker far behind said ready.
    lagObserver.accept(Math.max(0, height - next + 1));
    chainHeight = height;
    if (height < next - 1) {
      lagObserver.accept(0);
      report(
          "NODE_BEHIND",
          "the node at "
              + rpc.rpcUrl()
              + " is at block "
              + height
              + ", behind block "
              + (next - 1)
              + " this data folder has already read: it is still syncing, or it serves another"
              + " chain");
      return true;
    }
    report(null, null);
    for (int n = 0; n < 500 && next <= height && running; n++, next++) {
      List<T> events = new ArrayList<>();
      for (NeoRpcClient.Notification note :
          source.blockNotifications(next, contractHash, eventName)) {
        try {
          events.add(parser.parse(note, next));
        } catch (IllegalArgumentException e) {
          log.error(
              "skipping malformed {} event in block {} (tx {}): {}",
              eventName,
              next,
              note.containerHash(),
              e.getMessage());
        }
      }
      cursor.commit(next, events);
      lagObserver.accept(height - next);
    }
    lagObserver.accept(Math.max(0, height - next + 1));
    return next > height;
  }

  /** Sets the problem, logging each new kind of problem once. */
  private void report(String kind, String now) {
    String before = problemKind;
    problem = now;
    problemKind = kind;
    if (kind != null && !kind.equals(before)) {
      log.error("not reading the chain: {}", now);
    } else if (kind == null && before != null) {
      log.info("reading the chain again from block {}", cursor.nextBlock());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
