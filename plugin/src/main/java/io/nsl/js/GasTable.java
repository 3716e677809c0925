package io.nsl.js;

/**
 * The published gas prices (docs/functions.md, "Gas table"). Changing a number changes what every
 * function costs: it is a protocol change, not a tuning knob.
 */
public final class GasTable {
  /** Each executed JS statement and each function entry in the function's own code. */
  public static final long STATEMENT = 1;

  /** Fixed cost of one execution (context, prelude, result handling). */
  public static final long EXECUTION_BASE = 1_000;

  /** Per byte of input, result, log text, storage keys/values, crypto data, fetch bodies. */
  public static final long PER_BYTE = 1;

  /** Fixed cost of every host call not listed below (log, crypto.sha256, ...). */
  public static final long HOST_CALL = 50;

  /** getSecret. */
  public static final long SECRET_GET = 200;

  /** storage.get / storage.delete / storage.list. */
  public static final long STATE_READ = 200;

  /** storage.put. */
  public static final long STATE_WRITE = 1_000;

  /** One fetch call, before bytes. */
  public static final long FETCH = 10_000;

  private GasTable() {}
}
