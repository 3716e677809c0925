package io.nsl.trigger;

import io.nsl.chain.EventWatcher;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.RunId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * watches. A node that cannot answer makes the commit throw, and the watcher retries the block. A
 * commit the queue reports failed may have landed (its store could not tell): it is settled by the
 * cursor the queue gives next, so its runs are neither lost nor made twice.
 *
 * <p>Threading: called by the watcher's one thread only.
 */
public final class TriggerCursor implements EventWatcher.Cursor<GatewayRequest> {
  private static final Logger log = LoggerFactory.getLogger(TriggerCursor.class);

  /** JS gas units a run may use (not yet set per subscription). */
  public static final long DEFAULT_RUN_GAS_LIMIT = 10_000_000;

  /** The most blocks a restart replays: the book is stored at least this often. */
  public static final long SAVE_EVERY_BLOCKS = 100;

  private final EventWatcher.Cursor<GatewayRequest> next;
  private final TriggerChain chain;
  private SubscriptionBook book;
  private final SubscriptionStore store;
  private final long runGasLimit;
  private TriggerChain.Header previous;
  private long savedBlock = -1;

  /** The book as of the last commit, for other threads (the API). */
  private volatile List<Subscription> published = List.of();

  private final Map<Long, RunStats> stats = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * What the service made of one subscription since it started.
   *
   * @param lastSlot the slot of its newest run (a block index, or {@code block << 8 | n})
   * @param runs how many runs it queued
   */
  public record RunStats(long lastSlot, long runs) {}

  /** The runs made for subscription {@code id} since the service started. Thread-safe. */
  public Optional<RunStats> runStats(long id) {
    return Optional.ofNullable(stats.get(id));
  }

  /** HTTP calls waiting for the next block's commit, oldest first. */
  private final ArrayDeque<HttpCall> httpCalls = new ArrayDeque<>();

  TriggerCursor(
      EventWatcher.Cursor<GatewayRequest> next,
      TriggerChain chain,
      SubscriptionBook book,
      SubscriptionStore store,
      long runGasLimit) {
    this.next = next;
    this.chain = chain;
    this.book = book;
    this.store = store;
    this.runGasLimit = runGasLimit;
  }

  /**
   * A cursor that adds trigger runs to {@code next}'s commits; empty when the gateway predates
   * subscriptions (the service then runs requests only).
   *
   * <p>The subscriptions are those at {@code next}'s cursor, not at the head: the book {@code
   * store} kept, with the gateway's Subscription* events of the blocks between its snapshot and the
   * cursor replayed. Without a snapshot (the service's first start with triggers) they are read
   * from the gateway at the head, leaving out those created at or after the cursor's block (their
   * SubscriptionCreated event adds them when the cursor gets there); a pause or resume between the
   * cursor and the head then applies from the cursor on (docs/triggers.md, "Missed slots").
   */
  public static Optional<TriggerCursor> start(
      EventWatcher.Cursor<GatewayRequest> next,
      TriggerChain chain,
      SubscriptionStore store,
      long runGasLimit) {
    long cursor = next.nextBlock();
    Optional<SubscriptionStore.Snapshot> snapshot = store.load();
    SubscriptionBook book;
    if (snapshot.isPresent() && snapshot.get().block() < cursor) {
      book = SubscriptionBook.fromJson(snapshot.get().json());
      for (long b = snapshot.get().block() + 1; b < cursor; b++) {
        applyGatewayEvents(book, chain, b);
        book.afterBlock(b);
      }
      log.info(
          "following {} subscription(s) as of block {} (stored at block {})",
          book.size(),
          cursor - 1,
          snapshot.get().block());
    } else {
      if (snapshot.isPresent()) {
        log.warn(
            "the stored subscriptions are of block {}, not before the cursor's block {}: reading"
                + " them from the gateway again",
            snapshot.get().block(),
            cursor);
      }
      Optional<List<Subscription>> subs = chain.subscriptions();
      if (subs.isEmpty()) {
        log.warn("the gateway has no subscriptions (it predates triggers): no trigger runs");
        return Optional.empty();
      }
      book = new SubscriptionBook();
      for (Subscription s : subs.get()) {
        if (s.startBlock() < cursor) {
          book.put(s);
        }
      }
      if (book.size() > 0) {
        log.warn(
            "following {} subscription(s) read at the head, not at the cursor's block {} (no"
                + " stored subscriptions yet): a pause or resume since then applies from block {}",
            book.size(),
            cursor,
            cursor);
      }
    }
    TriggerCursor c = new TriggerCursor(next, chain, book, store, runGasLimit);
    c.save(cursor - 1);
    c.published = book.all();
    return Optional.of(c);
  }

  /** Applies the gateway's Subscription* events of block {@code index} to {@code book}. */
  private static void applyGatewayEvents(SubscriptionBook book, TriggerChain chain, long index) {
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
  }

  private void save(long block) {
    store.save(new SubscriptionStore.Snapshot(block, book.toJson()));
    savedBlock = block;
  }

  /** The subscriptions as the scheduler knew them after its last block. Thread-safe. */
  public List<Subscription> subscriptions() {
    return published;
  }

  /** The most HTTP calls waiting for a block at once; more are refused. */
  public static final int MAX_WAITING_HTTP_CALLS = 1024;

  /** An HTTP trigger's call, waiting to be named by the block that commits it. */
  private static final class HttpCall {
    final long subscriptionId;
    final byte[] input;
    final CompletableFuture<Long> runId = new CompletableFuture<>();
    long assigned;

    HttpCall(long subscriptionId, byte[] input) {
      this.subscriptionId = subscriptionId;
      this.input = input;
    }

    CompletableFuture<Long> runId() {
      return runId;
    }
  }

  /**
   * Starts a run of HTTP subscription {@code subscriptionId} with {@code inputJson} (the caller's
   * JSON, checked by the caller): the run joins the next block's commit, named {@code block << 8 |
   * n}, and the future completes with its run id once that commit is durable. It completes
   * exceptionally with {@link TriggerException} when the subscription is not an active HTTP one at
   * that block. Thread-safe; the caller checks who may call (the subscription's owner).
   *
   * @throws TriggerException TRIGGER_BUSY when {@link #MAX_WAITING_HTTP_CALLS} calls already wait
   */
  public CompletableFuture<Long> offerHttpRun(long subscriptionId, byte[] inputJson) {
    HttpCall c = new HttpCall(subscriptionId, inputJson.clone());
    synchronized (httpCalls) {
      if (httpCalls.size() >= MAX_WAITING_HTTP_CALLS) {
        throw TriggerException.busy(MAX_WAITING_HTTP_CALLS);
      }
      httpCalls.addLast(c);
    }
    return c.runId();
  }

  private List<HttpCall> takeHttpCalls() {
    synchronized (httpCalls) {
      List<HttpCall> out = new ArrayList<>(httpCalls);
      httpCalls.clear();
      return out;
    }
  }

  private void giveBack(List<HttpCall> calls) {
    synchronized (httpCalls) {
      for (int i = calls.size() - 1; i >= 0; i--) {
        if (!calls.get(i).runId().isDone()) {
          httpCalls.addFirst(calls.get(i));
        }
      }
    }
  }

  /**
   * Names this block's HTTP calls and adds their runs to {@code runs}; a call its subscription
   * cannot take now fails. Calls beyond a subscription's 256 per block wait for the next block.
   */
  private List<HttpCall> httpRuns(
      SubscriptionBook book,
      List<HttpCall> calls,
      long index,
      TriggerChain.Header header,
      List<TriggerRun> runs) {
    List<HttpCall> accepted = new ArrayList<>();
    List<HttpCall> later = new ArrayList<>();
    Map<Long, Integer> perSubscription = new java.util.HashMap<>();
    for (HttpCall c : calls) {
      Optional<Subscription> sub = book.get(c.subscriptionId);
      if (sub.isEmpty() || sub.get().kind() != TriggerKind.HTTP) {
        c.runId().completeExceptionally(TriggerException.notHttp(c.subscriptionId));
        continue;
      }
      if (sub.get().status() != Subscription.Status.ACTIVE || index < sub.get().startBlock()) {
        c.runId()
            .completeExceptionally(
                TriggerException.notActive(c.subscriptionId, sub.get().status()));
        continue;
      }
      int n = perSubscription.getOrDefault(c.subscriptionId, 0);
      if (n == RunId.EVENTS_PER_BLOCK) {
        later.add(c);
        continue;
      }
      perSubscription.put(c.subscriptionId, n + 1);
      c.assigned = RunId.of(c.subscriptionId, RunId.eventSlot(index, n));
      runs.add(
          new TriggerRun(
              c.assigned,
              sub.get(),
              index,
              header.hash(),
              TriggerScheduler.httpInput(c.subscriptionId, index, header.time(), n, c.input)));
      accepted.add(c);
    }
    giveBack(later);
    return accepted;
  }

  /**
   * The block to read next, as {@code next} says; a commit of ours that threw is settled against it
   * first ({@link #settle}).
   */
  @Override
  public long nextBlock() {
    long n = next.nextBlock();
    settle(n);
    return n;
  }

  /**
   * A block whose commit by {@code next} threw: the write may have landed all the same (a
   * PostgreSQL connection broken at COMMIT cannot tell), so its outcome waits for the cursor.
   */
  private record BlockCommit(
      long index,
      TriggerChain.Header header,
      List<Subscription> before,
      SubscriptionBook book,
      List<TriggerRun> runs,
      List<HttpCall> accepted) {}

  private BlockCommit unsettled;

  /**
   * Settles a commit that threw, by {@code nextBlock}: past its block, it landed (the queue moved
   * the cursor in the same write as the runs), and it counts as made, HTTP calls named; else the
   * block is read again, and its HTTP calls wait for that.
   */
  private void settle(long nextBlock) {
    BlockCommit m = unsettled;
    if (m == null) {
      return;
    }
    unsettled = null;
    if (nextBlock > m.index()) {
      log.warn(
          "block {}: its commit reported a failure but landed; its trigger runs stand", m.index());
      landed(m);
    } else {
      giveBack(m.accepted());
    }
  }

  @Override
  public void commit(long index, List<GatewayRequest> requests) {
    if (unsettled != null) {
      settle(next.nextBlock());
    }
    TriggerChain.Header header = chain.header(index);
    Instant previousTime =
        index == 0
            ? header.time()
            : previous != null && previous.index() == index - 1
                ? previous.time()
                : chain.header(index - 1).time();
    // The block's events go into a copy, which replaces the book only once the queue's commit
    // succeeded: a commit that fails after reading them (the node, the queue) leaves the book as
    // it was, and the retry applies them once, as a first attempt would (and sees that they
    // changed the book, so it is stored).
    List<Subscription> before = book.all();
    SubscriptionBook work = new SubscriptionBook();
    before.forEach(work::put);
    applyGatewayEvents(work, chain, index);
    List<Notification> events = watchedEvents(work, index);
    TriggerScheduler.Head head = head(work, index, header);
    List<TriggerRun> runs =
        new ArrayList<>(
            TriggerScheduler.due(
                work.all(),
                new TriggerScheduler.Block(index, header.time(), previousTime, header.hash()),
                head,
                events));
    List<HttpCall> accepted = new ArrayList<>();
    List<TriggerRun> made = new ArrayList<>();
    List<GatewayRequest> all = new ArrayList<>(requests);
    try {
      accepted.addAll(httpRuns(work, takeHttpCalls(), index, header, runs));
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
        made.add(run);
      }
    } catch (RuntimeException e) {
      giveBack(accepted); // nothing was written: the block is handled again, its calls wait
      throw e;
    }
    BlockCommit m = new BlockCommit(index, header, before, work, made, accepted);
    try {
      next.commit(index, all);
    } catch (RuntimeException e) {
      unsettled = m; // it may have landed: the next nextBlock tells
      throw e;
    }
    landed(m);
    if (!runs.isEmpty()) {
      log.debug("block {}: {} trigger run(s)", index, runs.size());
    }
  }

  /** What follows a block's durable commit: the book, the run counts, the HTTP calls' run ids. */
  private void landed(BlockCommit m) {
    book = m.book();
    book.afterBlock(m.index());
    previous = m.header();
    published = book.all();
    for (TriggerRun run : m.runs()) {
      stats.merge(
          run.subscription().id(),
          new RunStats(RunId.slot(run.runId()), 1),
          (a, b) -> new RunStats(Math.max(a.lastSlot(), b.lastSlot()), a.runs() + 1));
    }
    for (HttpCall c : m.accepted()) {
      if (m.runs().stream().anyMatch(r -> r.runId() == c.assigned)) {
        c.runId().complete(c.assigned);
      } else {
        c.runId().completeExceptionally(TriggerException.unknownFunction(c.subscriptionId));
      }
    }
    // After the cursor's commit: a crash in between leaves the snapshot behind, and the next start
    // replays the blocks since (start). Saved when the book changed, else now and then, so that
    // replay stays short.
    if (!m.before().equals(book.all()) || m.index() - savedBlock >= SAVE_EVERY_BLOCKS) {
      save(m.index());
    }
  }

  /**
   * The chain's head, read only when a latest-only subscription needs it (it decides whether a slot
   * is still the newest); otherwise the block itself stands for it.
   */
  private TriggerScheduler.Head head(
      SubscriptionBook book, long index, TriggerChain.Header header) {
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
  private List<Notification> watchedEvents(SubscriptionBook book, long index) {
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
