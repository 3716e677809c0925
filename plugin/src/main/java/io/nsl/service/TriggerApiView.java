package io.nsl.service;

import io.nsl.NslException;
import io.nsl.api.TriggerView;
import io.nsl.trigger.NeoTriggerChain;
import io.nsl.trigger.Subscription;
import io.nsl.trigger.TriggerCursor;
import io.nsl.trigger.TriggerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's view of the trigger scheduler: its subscriptions, their budgets, HTTP runs. */
final class TriggerApiView implements TriggerView {
  private static final Logger log = LoggerFactory.getLogger(TriggerApiView.class);

  /** How long an HTTP run waits for the block that takes it. */
  static final long RUN_WAIT_SECONDS = 30;

  private final TriggerCursor cursor;
  private final NeoTriggerChain chain;

  TriggerApiView(TriggerCursor cursor, NeoTriggerChain chain) {
    this.cursor = cursor;
    this.chain = chain;
  }

  @Override
  public List<Trigger> all() {
    List<Trigger> out = new ArrayList<>();
    for (Subscription s : cursor.subscriptions()) {
      out.add(view(s));
    }
    return out;
  }

  @Override
  public Optional<Trigger> get(long id) {
    return cursor.subscriptions().stream().filter(s -> s.id() == id).findFirst().map(this::view);
  }

  @Override
  public Started run(long id, byte[] inputJson) {
    try {
      long runId = cursor.offerHttpRun(id, inputJson).get(RUN_WAIT_SECONDS, TimeUnit.SECONDS);
      return new Started(runId, io.nsl.chain.RunId.slot(runId) >> 8);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NslException n) {
        throw n;
      }
      throw new IllegalStateException("HTTP run of subscription " + id + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw TriggerException.runTimeout(id, RUN_WAIT_SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TriggerException.runTimeout(id, RUN_WAIT_SECONDS);
    }
  }

  private Trigger view(Subscription s) {
    long budget;
    try {
      budget = chain.budget(s.id());
    } catch (NslException e) {
      log.debug("budget of subscription {} not read: {}", s.id(), e.getMessage());
      budget = -1;
    }
    var stats = cursor.runStats(s.id());
    return new Trigger(
        s.id(),
        s.functionId(),
        s.owner(),
        kind(s),
        trigger(s),
        s.target(),
        s.method(),
        s.startBlock(),
        s.runFee(),
        s.status().name().toLowerCase(Locale.ROOT),
        budget,
        stats.map(TriggerCursor.RunStats::lastSlot).orElse(-1L),
        stats.map(TriggerCursor.RunStats::runs).orElse(0L));
  }

  private static String kind(Subscription s) {
    return switch (s.kind()) {
      case EVERY_BLOCKS -> "every-blocks";
      case CRON -> "cron";
      case EVENT -> "event";
      case HTTP -> "http";
    };
  }

  private static String trigger(Subscription s) {
    return switch (s.kind()) {
      case EVERY_BLOCKS -> Long.toString(s.everyBlocks());
      case CRON -> s.cron().orElseThrow().expression();
      case EVENT -> {
        var e = s.event().orElseThrow();
        StringBuilder filter = new StringBuilder();
        e.filter()
            .byIndex()
            .forEach(
                (k, v) ->
                    filter
                        .append(filter.isEmpty() ? "" : ",")
                        .append("\"" + k + "\":\"" + v + "\""));
        yield e.contract() + ":" + e.eventName() + (filter.isEmpty() ? "" : " {" + filter + "}");
      }
      case HTTP -> "";
    };
  }
}
