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
      byte[] input =
          eventInput(
              s.id(),
              b.index(),
              b.time(),
              note.containerHash(),
              n,
              ev.contract(),
              note.eventName(),
              args);
      out.add(new TriggerRun(runId, s, b.index(), note.containerHash(), input));
      n++;
    }
  }

  private static TriggerRun scheduleRun(
      Subscription s, long slot, Block b, Optional<Instant> tick) {
    return new TriggerRun(
        RunId.of(s.id(), slot), s, slot, b.hash(), scheduleInput(s.id(), slot, tick));
  }

  /**
   * What a schedule's run gets as input: {@code {"trigger":"schedule","subscriptionId",
   * "runId","slot"}}, and {@code "tick"} for a cron slot. A function of its arguments only; {@code
   * ./nsl function simulate --trigger schedule} builds its input here too.
   *
   * @param slot the slot's block index
   * @param tick the cron tick the slot stands for, empty for every-N-blocks
   */
  public static byte[] scheduleInput(long subscriptionId, long slot, Optional<Instant> tick) {
    ObjectNode input = JSON.createObjectNode();
    input.put("trigger", "schedule");
    input.put("subscriptionId", subscriptionId);
    input.put("runId", Long.toUnsignedString(RunId.of(subscriptionId, slot)));
    input.put("slot", slot);
    tick.ifPresent(t -> input.put("tick", t.toString()));
    return bytes(input);
  }

  /**
   * What an event's run gets as input: the subscription, the run id, the block and its time, the
   * transaction, the event's index among the block's matches, the contract (0x big-endian), the
   * event's name and its arguments as {@link EventArguments} renders them. {@code ./nsl function
   * simulate --trigger event} builds its input here too.
   *
   * @param n the event's place among the subscription's matches in its block (0..255)
   */
  public static byte[] eventInput(
      long subscriptionId,
      long blockIndex,
      Instant blockTime,
      String txHash,
      int n,
      String contract,
      String eventName,
      JsonNode arguments) {
    ObjectNode input = JSON.createObjectNode();
    input.put("trigger", "event");
    input.put("subscriptionId", subscriptionId);
    input.put(
        "runId", Long.toUnsignedString(RunId.of(subscriptionId, RunId.eventSlot(blockIndex, n))));
    input.put("block", blockIndex);
    input.put("blockTime", blockTime.toEpochMilli());
    input.put("txHash", txHash);
    input.put("index", n);
    input.put("contract", contract);
    input.put("event", eventName);
    input.set("arguments", arguments);
    return bytes(input);
  }

  /**
   * What an HTTP trigger's run gets as input: {@code {"trigger":"http","subscriptionId","runId",
   * "block","blockTime","input"}}, {@code input} being the JSON its owner sent. The block is the
   * one whose commit took the call; {@code n} its place among the subscription's calls of that
   * block.
   *
   * @throws IllegalArgumentException when {@code inputJson} is not JSON
   */
  public static byte[] httpInput(
      long subscriptionId, long blockIndex, Instant blockTime, int n, byte[] inputJson) {
    JsonNode given;
    try {
      given = JSON.readTree(inputJson);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("an HTTP run's input is not JSON: " + e.getMessage(), e);
    }
    ObjectNode input = JSON.createObjectNode();
    input.put("trigger", "http");
    input.put("subscriptionId", subscriptionId);
    input.put(
        "runId", Long.toUnsignedString(RunId.of(subscriptionId, RunId.eventSlot(blockIndex, n))));
    input.put("block", blockIndex);
    input.put("blockTime", blockTime.toEpochMilli());
    input.set("input", given == null || given.isMissingNode() ? JSON.nullNode() : given);
    return bytes(input);
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
