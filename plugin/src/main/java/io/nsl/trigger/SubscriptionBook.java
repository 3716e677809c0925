package io.nsl.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.chain.NeoRpcClient.Notification;
import io.nsl.chain.StackValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The subscriptions the scheduler knows, kept current from the gateway's Subscription* events in
 * block order. Pure logic; not thread-safe (one scheduler thread owns it).
 */
public final class SubscriptionBook {
  /** The gateway's events that change a subscription. */
  public static final List<String> EVENTS =
      List.of(
          "SubscriptionCreated",
          "SubscriptionUpdated",
          "SubscriptionPaused",
          "SubscriptionCancelled",
          "SubscriptionFunded",
          "SubscriptionExhausted");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final TreeMap<Long, Subscription> byId = new TreeMap<>();

  /** Adds or replaces a subscription read from the chain. */
  public void put(Subscription s) {
    byId.put(s.id(), s);
  }

  public Optional<Subscription> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** All subscriptions, by id. */
  public List<Subscription> all() {
    return List.copyOf(byId.values());
  }

  public int size() {
    return byId.size();
  }

  /**
   * Applies one gateway notification of block {@code blockIndex}; notifications that are not
   * Subscription* events are ignored. Throws IllegalArgumentException for a malformed event.
   */
  public void apply(Notification n, long blockIndex) {
    List<StackValue> s = n.state();
    switch (n.eventName()) {
      case "SubscriptionCreated" -> {
        long id = s.get(0).asInt().longValueExact();
        if (!byId.containsKey(id)) {
          put(created(s));
        }
      }
      case "SubscriptionUpdated" ->
          change(id(s), sub -> sub.withTarget(hash(s.get(1)), utf8(s.get(2))));
      case "SubscriptionPaused" -> {
        boolean paused =
            s.get(1) instanceof StackValue.Bool b ? b.value() : s.get(1).asInt().signum() != 0;
        change(
            id(s),
            sub ->
                sub.withStatus(
                    paused ? Subscription.Status.PAUSED : Subscription.Status.ACTIVE, blockIndex));
      }
      case "SubscriptionCancelled" ->
          change(id(s), sub -> sub.withStatus(Subscription.Status.CANCELLED, blockIndex));
      case "SubscriptionExhausted" ->
          change(
              id(s),
              sub ->
                  sub.status() == Subscription.Status.ACTIVE
                      ? sub.withStatus(Subscription.Status.EXHAUSTED, blockIndex)
                      : sub);
      case "SubscriptionFunded" -> {
        long budget = s.get(3).asInt().longValueExact();
        change(
            id(s),
            sub ->
                sub.status() == Subscription.Status.EXHAUSTED && budget >= sub.runFee()
                    ? sub.withStatus(Subscription.Status.ACTIVE, blockIndex)
                    : sub);
      }
      default -> {}
    }
  }

  /** After the scheduler handled block {@code blockIndex}: missed stretches are run (or not). */
  public void afterBlock(long blockIndex) {
    for (Map.Entry<Long, Subscription> e : byId.entrySet()) {
      Subscription sub = e.getValue();
      if (sub.status() == Subscription.Status.ACTIVE && sub.missedFrom() >= 0) {
        e.setValue(sub.caughtUp());
      }
    }
  }

  private void change(long id, java.util.function.UnaryOperator<Subscription> f) {
    Subscription sub = byId.get(id);
    if (sub != null) {
      byId.put(id, f.apply(sub));
    }
  }

  private static long id(List<StackValue> s) {
    return s.get(0).asInt().longValueExact();
  }

  /**
   * A subscription from its SubscriptionCreated values: id, functionId, owner, kind, trigger,
   * target, method, startBlock, runFee, budget, runsPerPeriod, missedPolicy.
   */
  static Subscription created(List<StackValue> s) {
    if (s.size() != 12) {
      throw new IllegalArgumentException(
          "SubscriptionCreated has " + s.size() + " values, expected 12");
    }
    TriggerKind kind = TriggerKind.ofCode(s.get(3).asInt().longValueExact());
    StackValue trigger = s.get(4);
    long every = 0;
    Optional<CronSchedule> cron = Optional.empty();
    Optional<Subscription.EventTrigger> event = Optional.empty();
    switch (kind) {
      case EVERY_BLOCKS -> every = trigger.asInt().longValueExact();
      case CRON -> cron = Optional.of(CronSchedule.parse(utf8(trigger)));
      case EVENT -> {
        List<StackValue> ev = trigger.asList();
        event =
            Optional.of(
                new Subscription.EventTrigger(
                    hash(ev.get(0)), utf8(ev.get(1)), EventFilter.parse(utf8(ev.get(2)))));
      }
      case HTTP -> {}
    }
    long budget = s.get(9).asInt().longValueExact();
    long runFee = s.get(8).asInt().longValueExact();
    return new Subscription(
        s.get(0).asInt().longValueExact(),
        utf8(s.get(1)),
        hash(s.get(2)),
        kind,
        every,
        cron,
        event,
        hash(s.get(5)),
        utf8(s.get(6)),
        s.get(7).asInt().longValueExact(),
        runFee,
        MissedSlotPolicy.ofCode(s.get(11).asInt().longValueExact()),
        budget >= runFee ? Subscription.Status.ACTIVE : Subscription.Status.EXHAUSTED,
        -1);
  }

  /**
   * A subscription from getSubscription's array: owner, functionId, kind, trigger, target, method,
   * startBlock, everyBlocks, runsPerPeriod, runFee, budget, status, missedPolicy, ...
   */
  static Subscription fromChain(long id, List<StackValue> s) {
    if (s.size() < 13) {
      throw new IllegalArgumentException(
          "getSubscription(" + id + ") has " + s.size() + " values, expected 16");
    }
    TriggerKind kind = TriggerKind.ofCode(s.get(2).asInt().longValueExact());
    StackValue trigger = s.get(3);
    Optional<CronSchedule> cron = Optional.empty();
    Optional<Subscription.EventTrigger> event = Optional.empty();
    if (kind == TriggerKind.CRON) {
      cron = Optional.of(CronSchedule.parse(utf8(trigger)));
    } else if (kind == TriggerKind.EVENT) {
      List<StackValue> ev = trigger.asList();
      event =
          Optional.of(
              new Subscription.EventTrigger(
                  hash(ev.get(0)), utf8(ev.get(1)), EventFilter.parse(utf8(ev.get(2)))));
    }
    Subscription.Status status =
        switch (utf8(s.get(11))) {
          case "active" -> Subscription.Status.ACTIVE;
          case "paused" -> Subscription.Status.PAUSED;
          case "exhausted" -> Subscription.Status.EXHAUSTED;
          case "cancelled" -> Subscription.Status.CANCELLED;
          default ->
              throw new IllegalArgumentException(
                  "getSubscription(" + id + ") has unknown status " + utf8(s.get(11)));
        };
    return new Subscription(
        id,
        utf8(s.get(1)),
        hash(s.get(0)),
        kind,
        s.get(7).asInt().longValueExact(),
        cron,
        event,
        hash(s.get(4)),
        utf8(s.get(5)),
        s.get(6).asInt().longValueExact(),
        s.get(9).asInt().longValueExact(),
        MissedSlotPolicy.ofCode(s.get(12).asInt().longValueExact()),
        status,
        -1);
  }

  static String utf8(StackValue v) {
    return new String(v.asBytes(), StandardCharsets.UTF_8);
  }

  /** A Hash160 as the VM holds it (little-endian) in its 0x big-endian display form. */
  static String hash(StackValue v) {
    byte[] le = v.asBytes();
    if (le.length != 20) {
      throw new IllegalArgumentException("expected a 20-byte script hash, got " + le.length);
    }
    byte[] be = new byte[20];
    for (int i = 0; i < 20; i++) {
      be[i] = le[19 - i];
    }
    return "0x" + HexFormat.of().formatHex(be);
  }

  /** The book as JSON, for {@link SubscriptionStore}: every field of every subscription. */
  public byte[] toJson() {
    ArrayNode out = JSON.createArrayNode();
    for (Subscription s : byId.values()) {
      ObjectNode o = out.addObject();
      o.put("id", s.id());
      o.put("functionId", s.functionId());
      o.put("owner", s.owner());
      o.put("kind", s.kind().code);
      o.put("everyBlocks", s.everyBlocks());
      s.cron().ifPresent(c -> o.put("cron", c.expression()));
      s.event()
          .ifPresent(
              e -> {
                ObjectNode filter = JSON.createObjectNode();
                e.filter().byIndex().forEach((k, v) -> filter.put(Integer.toString(k), v));
                o.put("eventContract", e.contract());
                o.put("eventName", e.eventName());
                o.put("eventFilter", filter.isEmpty() ? "" : filter.toString());
              });
      o.put("target", s.target());
      o.put("method", s.method());
      o.put("startBlock", s.startBlock());
      o.put("runFee", s.runFee());
      o.put("missedPolicy", s.missedPolicy().code);
      o.put("status", s.status().name());
      o.put("missedFrom", s.missedFrom());
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A book from {@link #toJson}'s bytes.
   *
   * @throws IllegalArgumentException when the bytes are not such a book
   */
  public static SubscriptionBook fromJson(byte[] json) {
    SubscriptionBook book = new SubscriptionBook();
    try {
      for (JsonNode o : JSON.readTree(json)) {
        TriggerKind kind = TriggerKind.ofCode(o.get("kind").asLong());
        Optional<CronSchedule> cron =
            o.has("cron")
                ? Optional.of(CronSchedule.parse(o.get("cron").asText()))
                : Optional.empty();
        Optional<Subscription.EventTrigger> event =
            o.has("eventContract")
                ? Optional.of(
                    new Subscription.EventTrigger(
                        o.get("eventContract").asText(),
                        o.get("eventName").asText(),
                        EventFilter.parse(o.get("eventFilter").asText())))
                : Optional.empty();
        book.put(
            new Subscription(
                o.get("id").asLong(),
                o.get("functionId").asText(),
                o.get("owner").asText(),
                kind,
                o.get("everyBlocks").asLong(),
                cron,
                event,
                o.get("target").asText(),
                o.get("method").asText(),
                o.get("startBlock").asLong(),
                o.get("runFee").asLong(),
                MissedSlotPolicy.ofCode(o.get("missedPolicy").asLong()),
                Subscription.Status.valueOf(o.get("status").asText()),
                o.get("missedFrom").asLong()));
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a stored subscription book: " + e.getMessage(), e);
    }
    return book;
  }

  /** Notifications in {@code notes} that are Subscription* events, in order. */
  public static List<Notification> subscriptionEvents(List<Notification> notes) {
    List<Notification> out = new ArrayList<>();
    for (Notification n : notes) {
      if (EVENTS.contains(n.eventName())) {
        out.add(n);
      }
    }
    return out;
  }
}
