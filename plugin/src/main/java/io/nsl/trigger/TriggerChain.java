package io.nsl.trigger;

import io.nsl.chain.NeoRpcClient.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the trigger scheduler reads of the chain. Implementations throw {@link
 * io.nsl.chain.ChainException} when the node cannot answer; the watcher then retries the block.
 */
public interface TriggerChain {
  /** A block's index, timestamp and hash (0x). */
  record Header(long index, Instant time, String hash) {}

  Header header(long index);

  /** The index of the newest block. */
  long height();

  /** Every notification the gateway emitted in block {@code index}, in order. */
  List<Notification> gatewayNotifications(long index);

  /** The notifications {@code contract} (0x big-endian) emitted as {@code eventName}. */
  List<Notification> notifications(long index, String contract, String eventName);

  /** sha256 of the function's code as registered on chain now, or empty for an unknown id. */
  Optional<byte[]> codeHash(String functionId);

  /**
   * Every subscription the gateway holds, as it stands at the head; empty when the gateway predates
   * subscriptions (it has no {@code getSubscriptionCount}).
   */
  Optional<List<Subscription>> subscriptions();
}
