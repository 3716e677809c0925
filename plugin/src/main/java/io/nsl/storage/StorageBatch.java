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

  private StorageBatch(List<Op> ops) {
    this.ops = List.copyOf(ops);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The operations in the order they were added. */
  public List<Op> ops() {
    return ops;
  }

  @Override
  public String toString() {
    return "StorageBatch" + ops;
  }

  /** Not thread-safe; build on one thread. */
  public static final class Builder {
    private final List<Op> ops = new ArrayList<>();

    private Builder() {}

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
      return new StorageBatch(ops);
    }
  }
}
