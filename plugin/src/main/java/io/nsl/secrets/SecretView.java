package io.nsl.secrets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One owner's secrets as one running function sees them: only that owner's, only while open. Every
 * array it hands out is zeroed by {@link #close()}, so the function run must not keep them beyond
 * its end. Thread-safe.
 */
public final class SecretView implements AutoCloseable {
  private final SecretOwner owner;
  private final UserSecretManager manager;
  private final List<byte[]> handedOut = new ArrayList<>();
  private boolean closed;

  SecretView(SecretOwner owner, UserSecretManager manager) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.manager = manager;
  }

  public SecretOwner owner() {
    return owner;
  }

  /**
   * WARNING: the secret's plaintext, valid until {@link #close()} zeroes it; empty when the owner
   * has no secret of that name.
   */
  public synchronized Optional<byte[]> get(String name) {
    ensureOpen();
    Optional<byte[]> v = manager.find(owner, name);
    v.ifPresent(handedOut::add);
    return v;
  }

  /** The owner's secret names. */
  public synchronized List<String> names() {
    ensureOpen();
    return manager.listNames(owner);
  }

  /** Zeroes every value handed out and closes the view. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    for (byte[] v : handedOut) {
      Arrays.fill(v, (byte) 0);
    }
    handedOut.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the secret view of " + owner + " is closed");
    }
  }

  @Override
  public synchronized String toString() {
    return "SecretView[" + owner + ", " + handedOut.size() + " values handed out]";
  }
}
