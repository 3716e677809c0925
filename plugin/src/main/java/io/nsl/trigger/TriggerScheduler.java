package io.nsl.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.RunId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides which runs a block starts: a pure function of the subscriptions, the block (its index,
 * time and the previous block's time), the chain's head when the block is handled, and the block's
 * notifications. The same inputs give the same runs with the same ids and inputs, so a block that
 * is handled again after a crash makes exactly the runs it made before (docs/triggers.md).
 *
 * <p>Schedules: a slot is every N-th block from the start block, or a block whose time passes a
 * cron tick. Missed slots (a subscription active again after a pause or an empty budget, or a
 * service catching up on old blocks) follow the subscription's {@link MissedSlotPolicy}: each once
 * (oldest first, at most {@link #MAX_MISSED} of them), or latest only (a slot runs only if no newer
 * slot is due at the head). Events: every matching notification of the block is a run, in the
 * block's order, at most {@link RunId#EVENTS_PER_BLOCK} per subscription and block.
 */
public final class TriggerScheduler {
  /** The most missed slots one subscription catches up at once; older ones are not run. */
  public static final int MAX_MISSED = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The block being handled.
   *
   * @param index its index
   * @param time its timestamp
   * @param previousTime the previous block's timestamp (cron ticks in between are its slots)
   * @param hash its hash, 0x
   */
  public record Block(long index, Instant time, Instant previousTime, String hash) {}

  /** The chain's head when the block is handled: how far behind the scheduler is. */
  public record Head(long index, Instant time) {}

  private TriggerScheduler() {}

  /** The runs block {@code b} starts, by subscription id, then slot or event order. */
  public static List<TriggerRun> due(
      List<Subscription> subscriptions, Block b, Head head, List<Notification> notifications) {
    List<TriggerRun> out = new ArrayList<>();
    for (Subscription s : subscriptions) {
      if (s.status() != Subscription.Status.ACTIVE || b.index() < s.startBlock()) {
        continue;
      }
      switch (s.kind()) {
        case EVERY_BLOCKS -> everyBlocks(s, b, head, out);
        case CRON -> cron(s, b, head, out);
        case EVENT -> events(s, b, notifications, out);
        case HTTP -> {}
      }
    }
    return out;
  }

  private static void everyBlocks(Subscription s, Block b, Head head, List<TriggerRun> out) {
    long n = s.everyBlocks();
    long from = s.missedFrom() >= 0 ? Math.max(s.missedFrom(), s.startBlock()) : b.index();
    long first = s.startBlock() + ceilDiv(from - s.startBlock(), n) * n;
    if (first > b.index()) {
      return;
    }
    long last = s.startBlock() + (b.index() - s.startBlock()) / n * n;
    if (s.missedPolicy() == MissedSlotPolicy.LATEST_ONLY) {
      if (last + n > head.index()) {
        out.add(scheduleRun(s, last, b, Optional.empty()));
      }
      return;
    }
    long oldest = Math.max(first, last - (MAX_MISSED - 1) * n);
    for (long slot = oldest; slot <= last; slot += n) {
      out.add(scheduleRun(s, slot, b, Optional.empty()));
    }
  }

  private static void cron(Subscription s, Block b, Head head, List<TriggerRun> out) {
    CronSchedule c = s.cron().orElseThrow();
    Optional<Instant> tick = c.lastTickIn(b.previousTime(), b.time());
    if (tick.isEmpty()) {
      return;
    }
    if (s.missedPolicy() == MissedSlotPolicy.LATEST_ONLY
        && head.index() > b.index()
        && c.lastTickIn(b.time(), head.time()).isPresent()) {
      return;
    }
    out.add(scheduleRun(s, b.index(), b, tick));
  }

  private static void events(
      Subscription s, Block b, List<Notification> notifications, List<TriggerRun> out) {
    Subscription.EventTrigger ev = s.event().orElseThrow();
    int n = 0;
    for (int i = 0; i < notifications.size(); i++) {
      Notification note = notifications.get(i);
      if (!sameHash(note.contractHash(), ev.contract())
          || !note.eventName().equals(ev.eventName())) {
        continue;
      }
      JsonNode args = EventArguments.render(note.state());
      if (!ev.filter().matches(args)) {
        continue;
      }
      if (n == RunId.EVENTS_PER_BLOCK) {
        return; // the slot can name no more; the rest of this block's matches are not run
      }
      long runId = RunId.of(s.id(), RunId.eventSlot(b.index(), n));
      ObjectNode input = JSON.createObjectNode();
      input.put("trigger", "event");
      input.put("subscriptionId", s.id());
      input.put("runId", Long.toUnsignedString(runId));
      input.put("block", b.index());
      input.put("blockTime", b.time().toEpochMilli());
      input.put("txHash", note.containerHash());
      input.put("index", n);
      input.put("contract", ev.contract());
      input.put("event", note.eventName());
      input.set("arguments", args);
      out.add(new TriggerRun(runId, s, b.index(), note.containerHash(), bytes(input)));
      n++;
    }
  }

  private static TriggerRun scheduleRun(
      Subscription s, long slot, Block b, Optional<Instant> tick) {
    long runId = RunId.of(s.id(), slot);
    ObjectNode input = JSON.createObjectNode();
    input.put("trigger", "schedule");
    input.put("subscriptionId", s.id());
    input.put("runId", Long.toUnsignedString(runId));
    input.put("slot", slot);
    tick.ifPresent(t -> input.put("tick", t.toString()));
    return new TriggerRun(runId, s, slot, b.hash(), bytes(input));
  }

  private static boolean sameHash(String a, String b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(String h) {
    String l = h.toLowerCase(Locale.ROOT);
    return l.startsWith("0x") ? l.substring(2) : l;
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }

  private static byte[] bytes(ObjectNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
