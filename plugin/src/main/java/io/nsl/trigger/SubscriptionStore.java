package io.nsl.trigger;

import java.util.Optional;

/**
 * Where the scheduler keeps its {@link SubscriptionBook} between runs of the service, so that a
 * restarted service knows the subscriptions as they stood at its cursor's block, not at the chain's
 * head (a pause between the two applies at its own block). The composition root backs it with the
 * service's durable store.
 *
 * <p>Contract: {@link #save} is durable when it returns; it replaces the previous snapshot. A
 * snapshot may lag the cursor (a crash between the cursor's commit and the save): the scheduler
 * then replays the gateway's events of the blocks in between. Threading: the watcher's thread.
 */
public interface SubscriptionStore {
  /**
   * The book as it stood after block {@code block} was handled.
   *
   * @param json {@link SubscriptionBook#toJson}'s bytes
   */
  record Snapshot(long block, byte[] json) {
    public Snapshot {
      json = json.clone();
    }

    @Override
    public byte[] json() {
      return json.clone();
    }
  }

  Optional<Snapshot> load();

  void save(Snapshot snapshot);

  /** Keeps nothing: every start reads the subscriptions at the head (tests, tools). */
  SubscriptionStore NONE =
      new SubscriptionStore() {
        @Override
        public Optional<Snapshot> load() {
          return Optional.empty();
        }

        @Override
        public void save(Snapshot snapshot) {}
      };
}
