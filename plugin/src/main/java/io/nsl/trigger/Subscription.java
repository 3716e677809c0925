package io.nsl.trigger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One subscription as the service follows it (the gateway's record: contracts/README.md,
 * "Triggers").
 *
 * @param id the gateway's subscription id
 * @param functionId the function it runs
 * @param owner the function's owner, 0x big-endian
 * @param kind what starts its runs
 * @param everyBlocks N for {@link TriggerKind#EVERY_BLOCKS}, else 0
 * @param cron the schedule for {@link TriggerKind#CRON}
 * @param event the contract and event for {@link TriggerKind#EVENT}
 * @param target the contract its answers call, 0x big-endian
 * @param method the target's method
 * @param startBlock the block of the creating transaction: no slot before it
 * @param runFee datoshi a run costs the budget
 * @param missedPolicy what happens to missed schedule slots
 * @param status whether runs are scheduled now
 * @param missedFrom the first block of a stretch during which it was not active, or -1: when it
 *     becomes active again, the schedule slots since then are missed slots
 */
public record Subscription(
    long id,
    String functionId,
    String owner,
    TriggerKind kind,
    long everyBlocks,
    Optional<CronSchedule> cron,
    Optional<EventTrigger> event,
    String target,
    String method,
    long startBlock,
    long runFee,
    MissedSlotPolicy missedPolicy,
    Status status,
    long missedFrom) {

  /** Whether the scheduler makes runs for it. */
  public enum Status {
    ACTIVE,
    PAUSED,
    /** Its budget no longer pays a run; a deposit that does makes it active again. */
    EXHAUSTED,
    CANCELLED
  }

  /**
   * What an event trigger watches.
   *
   * @param contract 0x big-endian script hash
   * @param eventName the notification's name
   * @param filter the filter on its arguments
   */
  public record EventTrigger(String contract, String eventName, EventFilter filter) {}

  public Subscription {
    if (kind == TriggerKind.EVERY_BLOCKS && everyBlocks < 1) {
      throw new IllegalArgumentException("everyBlocks must be positive, got " + everyBlocks);
    }
    if (kind == TriggerKind.CRON && cron.isEmpty()) {
      throw new IllegalArgumentException("a cron subscription needs its schedule");
    }
    if (kind == TriggerKind.EVENT && event.isEmpty()) {
      throw new IllegalArgumentException("an event subscription needs its event");
    }
  }

  Subscription withStatus(Status next, long blockIndex) {
    long from = missedFrom;
    if (status == Status.ACTIVE && next != Status.ACTIVE) {
      from = blockIndex;
    }
    return new Subscription(
        id,
        functionId,
        owner,
        kind,
        everyBlocks,
        cron,
        event,
        target,
        method,
        startBlock,
        runFee,
        missedPolicy,
        next,
        from);
  }

  Subscription withTarget(String newTarget, String newMethod) {
    return new Subscription(
        id,
        functionId,
        owner,
        kind,
        everyBlocks,
        cron,
        event,
        newTarget,
        newMethod,
        startBlock,
        runFee,
        missedPolicy,
        status,
        missedFrom);
  }

  Subscription caughtUp() {
    return new Subscription(
        id,
        functionId,
        owner,
        kind,
        everyBlocks,
        cron,
        event,
        target,
        method,
        startBlock,
        runFee,
        missedPolicy,
        status,
        -1);
  }

  /**
   * The fields a run's answer hands back, whose sha256 the gateway keeps: target (20 bytes, VM
   * order) | len(method) | method.
   */
  public byte[] fields() {
    byte[] be = HexFormat.of().parseHex(target.startsWith("0x") ? target.substring(2) : target);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = be.length - 1; i >= 0; i--) {
      out.write(be[i]);
    }
    byte[] m = method.getBytes(StandardCharsets.UTF_8);
    out.write(m.length);
    out.writeBytes(m);
    return out.toByteArray();
  }
}
