package io.nsl.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several writes, deletes and version checks, across any namespaces, that land together or not at
 * all ({@link PersistentStorageService#commit}). Build with {@link #builder()}; immutable once
 * built and safe to share. Operations apply in the order added; a later operation on the same key
 * wins.
 */
public final class StorageBatch {
  /** One operation of a batch. */
  public sealed interface Op permits Put, Delete, ExpectVersion {
    Namespace namespace();

    byte[] key();
  }

  /** Writes {@code value} under {@code key}. */
  public record Put(Namespace namespace, byte[] key, byte[] value) implements Op {
    public Put {
      Objects.requireNonNull(namespace, "namespace");
      key = Objects.requireNonNull(key, "key").clone();
      value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public String toString() {
      return "Put[" + namespace + ", " + key.length + "-byte key, " + value.length + " bytes]";
    }
  }

  /** Removes {@code key}; removing a missing key is not an error. */
  public record Delete(Namespace namespace, byte[] key) implements Op {
    public Delete {
      Objects.requireNonNull(namespace, "namespace");
      key = Objects.requireNonNull(key, "key").clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public String toString() {
      return "Delete[" + namespace + ", " + key.length + "-byte key]";
    }
  }

  /**
   * Requires the current version of {@code key} to be {@code version} when the batch commits
   * ({@code 0} = the key must be absent); otherwise nothing of the batch is written.
   */
  public record ExpectVersion(Namespace namespace, byte[] key, long version) implements Op {
    public ExpectVersion {
      Objects.requireNonNull(namespace, "namespace");
      key = Objects.requireNonNull(key, "key").clone();
      if (version < 0) {
        throw new IllegalArgumentException("expected version must be >= 0, got " + version);
      }
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public String toString() {
      return "ExpectVersion[" + namespace + ", " + key.length + "-byte key, " + version + "]";
    }
  }

  private final List<Op> ops;
  private final boolean lazy;

  private StorageBatch(List<Op> ops, boolean lazy) {
    this.ops = List.copyOf(ops);
    this.lazy = lazy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The operations in the order they were added. */
  public List<Op> ops() {
    return ops;
  }

  /** Whether the commit may return before the batch is on disk ({@link Builder#lazy}). */
  public boolean lazy() {
    return lazy;
  }

  @Override
  public String toString() {
    return "StorageBatch" + (lazy ? "(lazy)" : "") + ops;
  }

  /** Not thread-safe; build on one thread. */
  public static final class Builder {
    private final List<Op> ops = new ArrayList<>();
    private boolean lazy;

    private Builder() {}

    /**
     * WARNING: lets the commit return before the batch is on disk (PostgreSQL: {@code
     * synchronous_commit = off} for its transaction; other instances see it at once). A crash of
     * the database server can then lose the batch, whole, never part of it, and hand its version
     * out again. Only for rows whose loss is harmless and whose readers do not trust a version
     * alone: a function lock's take (decision 1010, "Durability of a take"). A later synchronous
     * commit makes it durable too (the log is flushed in order). RocksDB syncs it like any batch.
     */
    public Builder lazy() {
      this.lazy = true;
      return this;
    }

    public Builder put(Namespace namespace, byte[] key, byte[] value) {
      ops.add(new Put(namespace, key, value));
      return this;
    }

    public Builder delete(Namespace namespace, byte[] key) {
      ops.add(new Delete(namespace, key));
      return this;
    }

    /** See {@link ExpectVersion}; {@code 0} means the key must be absent. */
    public Builder expectVersion(Namespace namespace, byte[] key, long version) {
      ops.add(new ExpectVersion(namespace, key, version));
      return this;
    }

    public StorageBatch build() {
      if (ops.isEmpty()) {
        throw new IllegalArgumentException("a batch needs at least one operation");
      }
      return new StorageBatch(ops, lazy);
    }
  }
}
