package io.nsl.js.internal;

/**
 * One execution's call-depth limit, kept by {@link GasInstrument} on the guest thread. Calls of the
 * function's own code nest at most {@code max} deep; one deeper and the instrument stops the run
 * the way it stops it when gas runs out (guest code can't catch that).
 *
 * <p>Why a count and not the thread's stack: how many frames fit in a stack depends on the JIT's
 * state (compiled frames are smaller than interpreted ones), so a function that caught its own
 * stack overflow used different gas from run to run. And a function that catches the overflow and
 * recurses again ({@code try { f() } catch (e) { f() }}) keeps every throw at the bottom of the
 * stack, where the cancel itself overflows and is caught as a RangeError: it outlived its deadline
 * and forced an engine replacement. If the stack does run out first (deep nesting inside each
 * call), the run is stopped just the same, and {@link #stop()} says so.
 */
public final class CallDepthGuard {
  /** Why the instrument stopped the run. */
  public enum Stop {
    /** Calls nested deeper than {@link #max()}. */
    CALL_DEPTH,
    /** The guest thread's stack ran out before the depth limit. */
    STACK_OVERFLOW,
    /** A built-in that recurses in Java was given data nested deeper than its limit. */
    BUILTIN_NESTING
  }

  private final int max;
  // Written and read only on the guest thread that runs the execution (the instrument's events and
  // the engine's classification both run there), so plain fields suffice.
  private int depth;
  private Stop stop;
  private String builtin = "";

  public CallDepthGuard(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("the call depth limit must be >= 1, was " + max);
    }
    this.max = max;
  }

  /** A call begins; false when it is one too deep (the run is then marked stopped). */
  boolean enter() {
    if (++depth > max) {
      if (stop == null) {
        stop = Stop.CALL_DEPTH;
      }
      return false;
    }
    return true;
  }

  /** A call returned or threw. */
  void exit() {
    depth--;
  }

  /** The thread's stack ran out inside the function's code. */
  void overflowed() {
    if (stop == null) {
      stop = Stop.STACK_OVERFLOW;
    }
  }

  /**
   * A built-in was given data nested deeper than its limit (counted by the prelude); {@code
   * builtin} says which and how ("JSON.parse was given data nested deeper than 1000 levels").
   */
  void nestedTooDeep(String builtin) {
    if (stop == null) {
      stop = Stop.BUILTIN_NESTING;
      this.builtin = builtin;
    }
  }

  /** What stopped the run with {@link Stop#BUILTIN_NESTING}, else empty. */
  public String builtin() {
    return builtin;
  }

  boolean stopped() {
    return stop != null;
  }

  /** Why the run was stopped, or null if it was not. */
  public Stop stop() {
    return stop;
  }

  public int max() {
    return max;
  }
}
