package io.nsl.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's own durable state (block cursor and request queue): a small key-value view the
 * composition root backs with the encrypted storage service's {@code service} namespace.
 *
 * <p>Contract: {@link #apply} is atomic and durable: when it returns, every put and delete has
 * landed and would survive a crash. If it throws, either none has or, when the store's answer was
 * lost (a PostgreSQL connection broken at COMMIT), all of them may have: never a part. Callers that
 * keep state beside the store must settle it by reading back ({@link RequestQueue} does).
 * Thread-safe.
 */
public interface ServiceStore {
  Optional<byte[]> get(String key);

  /** All entries whose key starts with {@code prefix}, in key order. */
  Map<String, byte[]> scan(String prefix);

  /** Atomically and durably writes {@code puts} and removes {@code deletes}. */
  void apply(Map<String, byte[]> puts, Set<String> deletes);
}
