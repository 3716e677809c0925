package io.nsl.storage;

/**
 * A separate key space inside one store. Values in different namespaces never collide, and the
 * namespace name is bound into every sealed value, so a value copied from one namespace to another
 * is detected as tampering.
 *
 * <p>Names are 1 to 100 characters from {@code [a-z0-9._:-]}, starting with a letter or digit.
 * Three kinds exist:
 *
 * <ul>
 *   <li>{@link #functionState(String)}: one per registered function, subject to the per-function
 *       quota of {@link StorageOptions#functionQuota()};
 *   <li>{@link #secrets()}: user secrets (written by {@code io.nsl.secrets});
 *   <li>{@link #service()}: the service's own metadata (block cursor, request queue).
 * </ul>
 *
 * <p>Any other valid name is an unmetered namespace for the service's own use.
 */
public record Namespace(String name) {
  private static final String FUNCTION_PREFIX = "fn:";
  private static final int MAX_NAME_LENGTH = 100;

  public Namespace {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new InvalidStorageKeyException(
          "namespace name must be 1 to "
              + MAX_NAME_LENGTH
              + " characters, got "
              + (name == null ? "null" : name.length() + " characters"));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      boolean ok = alnum || (i > 0 && (c == '.' || c == '_' || c == ':' || c == '-'));
      if (!ok) {
        throw new InvalidStorageKeyException(
            String.format(
                "namespace name '%s' has character U+%04X at position %d; use [a-z0-9._:-],"
                    + " starting with a letter or digit",
                name, (int) c, i));
      }
    }
  }

  /** The state namespace of one function; {@code functionId} uses the namespace charset. */
  public static Namespace functionState(String functionId) {
    return new Namespace(FUNCTION_PREFIX + functionId);
  }

  /** The namespace holding user secrets. */
  public static Namespace secrets() {
    return new Namespace("secrets");
  }

  /** The namespace for the service's own metadata: block cursor, request queue. */
  public static Namespace service() {
    return new Namespace("service");
  }

  /** Whether the per-function quota applies to this namespace. */
  public boolean isFunctionState() {
    return name.startsWith(FUNCTION_PREFIX);
  }

  @Override
  public String toString() {
    return name;
  }
}
