package io.nsl.storage;

import java.util.Objects;

/**
 * A value with its version. Versions come from one store-wide counter that only grows (also across
 * restarts and deletes), so a version seen once is never reused for another value of the key: the
 * basis of compare-and-set without ABA.
 *
 * <p>WARNING: holds the value bytes; {@code toString} shows only their length.
 */
public record VersionedValue(byte[] value, long version) {
  public VersionedValue {
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    value = value.clone();
  }

  /** A copy of the value; the caller may clear it. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedValue v
        && v.version == version
        && java.util.Arrays.equals(v.value, value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + java.util.Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "VersionedValue[" + value.length + " bytes, version=" + version + "]";
  }
}
