package io.nsl.js;

import java.util.Optional;

/**
 * The secrets of the owner of the function being executed ({@code getSecret(name)} in JS). The
 * pipeline adapts the secrets service to it for one owner; the simulator reads a JSON file.
 *
 * <p>Threading: may be called from the execution's thread only; need not be thread-safe if each
 * execution gets its own view.
 *
 * <p>Failures: returns empty for an unknown name (the function sees SECRET_NOT_FOUND); any runtime
 * exception is treated as the service's fault (INTERNAL_ERROR).
 */
public interface SecretsView {
  /**
   * The secret's value as UTF-8 bytes, or empty. The engine clears the returned array after use;
   * return a fresh copy each time. The value also becomes a JS string, which the JVM cannot erase.
   */
  Optional<byte[]> secret(String name);
}
