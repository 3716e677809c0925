package io.nsl.api;

import java.util.List;
import java.util.Optional;

/**
 * What the {@code /v1/triggers} routes read and start: the trigger scheduler's subscriptions with
 * what the service made of them, the gateway's budget, and HTTP runs. The composition root adapts
 * {@code io.nsl.trigger.TriggerCursor} and the gateway client. Implementations may block on the
 * node and throw the chain's {@link io.nsl.NslException}s. Thread-safe.
 */
public interface TriggerView {
  /** No triggers (a gateway that predates them): no subscriptions, so every id is not found. */
  TriggerView NONE =
      new TriggerView() {
        @Override
        public List<Trigger> all() {
          return List.of();
        }

        @Override
        public Optional<Trigger> get(long id) {
          return Optional.empty();
        }

        @Override
        public Started run(long id, byte[] inputJson) {
          throw new ApiFailure(
              ErrorStatus.TRIGGER_NOT_FOUND, "the gateway has no subscriptions (it predates them)");
        }
      };

  /**
   * One subscription.
   *
   * @param id the gateway's subscription id
   * @param functionId the function it runs
   * @param owner the function's owner, 0x big-endian
   * @param kind {@code every-blocks}, {@code cron}, {@code event} or {@code http}
   * @param trigger the trigger as text: N, the cron expression, {@code HASH:Event filter}, or empty
   * @param target the contract its answers call, 0x big-endian
   * @param method the target's method
   * @param startBlock the block of the creating transaction
   * @param runFee datoshi a run costs the budget
   * @param status as the scheduler knows it after its last block: active, paused, exhausted,
   *     cancelled
   * @param budget datoshi left on chain now, or -1 when the gateway could not be read
   * @param lastSlot the slot of the newest run the service made, or -1 (since it started)
   * @param runsMade runs the service made for it since it started
   */
  record Trigger(
      long id,
      String functionId,
      String owner,
      String kind,
      String trigger,
      String target,
      String method,
      long startBlock,
      long runFee,
      String status,
      long budget,
      long lastSlot,
      long runsMade) {}

  /** A started HTTP run: its run id and the block whose commit took it. */
  record Started(long runId, long block) {}

  /** Every subscription the scheduler follows, by id. */
  List<Trigger> all();

  Optional<Trigger> get(long id);

  /**
   * Starts a run of HTTP subscription {@code id} with {@code inputJson}, and returns once the run
   * is durably queued (the next block's commit).
   *
   * @throws io.nsl.NslException TRIGGER_NOT_HTTP, TRIGGER_NOT_ACTIVE, TRIGGER_BUSY or
   *     TRIGGER_RUN_TIMEOUT
   */
  Started run(long id, byte[] inputJson);
}
