package io.nsl.js;

import io.nsl.NslException;

/**
 * GraalJS would run on the Truffle interpreter (20-30x slower): the JVM lacks the JIT flags or the
 * Graal compiler does not match this JDK's JVMCI. Thrown at start, never silently ignored.
 */
public final class JitUnavailableException extends NslException {
  public JitUnavailableException(String message) {
    super("JIT_UNAVAILABLE", message);
  }
}
