package io.nsl.trigger;

import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoRpcClient.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a block's trigger runs into the same atomic commit as its requests: the watcher's durable
 * cursor (the request queue) records the block's requests, its runs and the cursor's move in one
 * write, so after a crash a block's runs are either all in the queue or made again, identically,
 * when the block is read again ({@link TriggerScheduler} is deterministic). Runs then travel the
 * request pipeline under their run ids ({@link io.nsl.chain.RunId}).
 *
 * <p>For each block it reads the block's header and the gateway's notifications (Subscription*
 * events keep the {@link SubscriptionBook} current), and the notifications each event trigger
 * watches. A node that cannot answer makes the commit throw, and the watcher retries the block.
 *
 * <p>Threading: called by the watcher's one thread only.
 */
public final class TriggerCursor implements EventWatcher.Cursor<GatewayRequest> {
  private static final Logger log = LoggerFactory.getLogger(TriggerCursor.class);

  /** JS gas units a run may use (not yet set per subscription). */
  public static final long DEFAULT_RUN_GAS_LIMIT = 10_000_000;

  private final EventWatcher.Cursor<GatewayRequest> next;
  private final TriggerChain chain;
  private final SubscriptionBook book;
  private final long runGasLimit;
  private TriggerChain.Header previous;

  TriggerCursor(
      EventWatcher.Cursor<GatewayRequest> next,
      TriggerChain chain,
      SubscriptionBook book,
      long runGasLimit) {
    this.next = next;
    this.chain = chain;
    this.book = book;
    this.runGasLimit = runGasLimit;
  }

  /**
   * A cursor that adds trigger runs to {@code next}'s commits, with the subscriptions the gateway
   * holds now; empty when the gateway predates subscriptions (the service then runs requests only).
   */
  public static Optional<TriggerCursor> start(
      EventWatcher.Cursor<GatewayRequest> next, TriggerChain chain, long runGasLimit) {
    Optional<List<Subscription>> subs = chain.subscriptions();
    if (subs.isEmpty()) {
      log.warn("the gateway has no subscriptions (it predates triggers): no trigger runs");
      return Optional.empty();
    }
    SubscriptionBook book = new SubscriptionBook();
    subs.get().forEach(book::put);
    log.info("following {} subscription(s)", book.size());
    return Optional.of(new TriggerCursor(next, chain, book, runGasLimit));
  }

  /** The subscriptions as the scheduler knows them. */
  public List<Subscription> subscriptions() {
    return book.all();
  }

  @Override
  public long nextBlock() {
    return next.nextBlock();
  }

  @Override
  public void commit(long index, List<GatewayRequest> requests) {
    TriggerChain.Header header = chain.header(index);
    Instant previousTime =
        index == 0
            ? header.time()
            : previous != null && previous.index() == index - 1
                ? previous.time()
                : chain.header(index - 1).time();
    for (Notification n : SubscriptionBook.subscriptionEvents(chain.gatewayNotifications(index))) {
      try {
        book.apply(n, index);
      } catch (RuntimeException e) {
        log.error(
            "skipping malformed {} event in block {} (tx {}): {}",
            n.eventName(),
            index,
            n.containerHash(),
            e.getMessage());
      }
    }
    List<Notification> events = watchedEvents(index);
    TriggerScheduler.Head head = head(index, header);
    List<TriggerRun> runs =
        TriggerScheduler.due(
            book.all(),
            new TriggerScheduler.Block(index, header.time(), previousTime, header.hash()),
            head,
            events);
    List<GatewayRequest> all = new ArrayList<>(requests);
    Map<String, Optional<byte[]>> codeHashes = new java.util.HashMap<>();
    for (TriggerRun run : runs) {
      String fn = run.subscription().functionId();
      Optional<byte[]> codeHash = codeHashes.computeIfAbsent(fn, chain::codeHash);
      if (codeHash.isEmpty()) {
        log.error(
            "subscription {} runs function {}, which the gateway does not know: run {} skipped",
            run.subscription().id(),
            fn,
            Long.toUnsignedString(run.runId()));
        continue;
      }
      all.add(run.toRequest(codeHash.get(), runGasLimit));
    }
    next.commit(index, all);
    book.afterBlock(index);
    previous = header;
    if (!runs.isEmpty()) {
      log.debug("block {}: {} trigger run(s)", index, runs.size());
    }
  }

  /**
   * The chain's head, read only when a latest-only subscription needs it (it decides whether a slot
   * is still the newest); otherwise the block itself stands for it.
   */
  private TriggerScheduler.Head head(long index, TriggerChain.Header header) {
    boolean needed =
        book.all().stream()
            .anyMatch(
                s ->
                    s.status() == Subscription.Status.ACTIVE
                        && s.missedPolicy() == MissedSlotPolicy.LATEST_ONLY
                        && (s.kind() == TriggerKind.EVERY_BLOCKS || s.kind() == TriggerKind.CRON));
    if (!needed) {
      return new TriggerScheduler.Head(index, header.time());
    }
    long height = chain.height();
    return new TriggerScheduler.Head(
        height, height > index ? chain.header(height).time() : header.time());
  }

  /** The notifications of block {@code index} that active event triggers watch. */
  private List<Notification> watchedEvents(long index) {
    Set<List<String>> watched = new LinkedHashSet<>();
    for (Subscription s : book.all()) {
      if (s.status() == Subscription.Status.ACTIVE && s.event().isPresent()) {
        watched.add(List.of(s.event().get().contract(), s.event().get().eventName()));
      }
    }
    List<Notification> out = new ArrayList<>();
    for (List<String> w : watched) {
      out.addAll(chain.notifications(index, w.get(0), w.get(1)));
    }
    return out;
  }
}
