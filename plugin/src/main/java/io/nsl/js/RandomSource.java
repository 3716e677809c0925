package io.nsl.js;

/**
 * Random bytes for {@code crypto.randomBytes(n)}: the enclave's source in production, {@link
 * java.security.SecureRandom} in the simulator. Must be thread-safe; must not throw.
 */
@FunctionalInterface
public interface RandomSource {
  /** Fills {@code out} with random bytes. */
  void nextBytes(byte[] out);
}
