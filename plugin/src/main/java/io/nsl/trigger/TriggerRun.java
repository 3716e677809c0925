package io.nsl.trigger;

import io.nsl.chain.GatewayRequest;
import io.nsl.chain.RunId;
import java.util.Optional;

/**
 * One run a trigger started: what the pipeline executes and answers under {@link #runId}.
 *
 * @param runId the gateway's run id ({@link RunId})
 * @param subscription the subscription as it was when the run was made
 * @param blockIndex the slot's block (the run's {@code context.blockTime} is this block's time)
 * @param containerHash the event's transaction, or the slot's block hash for a schedule
 * @param input the JSON the function's {@code main} gets
 */
public record TriggerRun(
    long runId, Subscription subscription, long blockIndex, String containerHash, byte[] input) {
  public TriggerRun {
    if (!RunId.isRun(runId)) {
      throw new IllegalArgumentException(runId + " is not a run id");
    }
    input = input.clone();
  }

  @Override
  public byte[] input() {
    return input.clone();
  }

  /**
   * The run as the request pipeline carries it: requester = the target, fields = the target's, the
   * function owner known (its secrets are the run's), {@code gasLimit} JS gas units.
   *
   * @param codeHash sha256 of the function's code as registered on chain now
   */
  public GatewayRequest toRequest(byte[] codeHash, long gasLimit) {
    return new GatewayRequest(
        runId,
        subscription.functionId(),
        codeHash,
        subscription.target(),
        input,
        gasLimit,
        Optional.of(subscription.owner()),
        blockIndex,
        containerHash,
        subscription.fields());
  }
}
