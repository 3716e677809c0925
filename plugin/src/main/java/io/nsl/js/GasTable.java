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

  /**
   * Built-in work: one gas per this many string characters a built-in builds or scans (repeat,
   * padStart, join, split, replace, indexOf, JSON.stringify/parse, RegExp exec, ...; the table in
   * docs/functions.md lists which count what).
   */
  public static final long CHARS_PER_GAS = 16;

  /**
   * Built-in work: one gas per this many array, typed-array or sort elements a built-in touches
   * (concat, slice, indexOf, fill, reverse, unshift, a sort without comparator at n*log2(n), ...).
   */
  public static final long ELEMENTS_PER_GAS = 4;

  /**
   * Built-in work: gas per property a built-in creates on an object (Object.assign,
   * Object.fromEntries): what the same copy costs written as one assignment statement per key.
   */
  public static final long PROPERTY_DEFINED = 1;

  /**
   * Built-in work with a regex (decision 0712, seventh session): gas per match that {@code match}
   * finds with a global regex, per step of a {@code matchAll} iterator, and per character of a
   * string that {@code split} splits by a regex (it tries the separator at every position). GraalJS
   * makes a match object and calls {@code exec} once per match there, microseconds each, so
   * characters alone undercharge a string of many matches.
   */
  public static final long REGEX_MATCH = 1;

  /**
   * Built-in work with a regex (decision 0712, seventh session): gas per match that {@code replace}
   * or {@code replaceAll} replaces with a global regex (instead of {@link #REGEX_MATCH}): besides
   * the match, each reads the match's groups and builds its replacement, about four times the CPU
   * of a match that {@code match} collects (the CPU-per-gas bench).
   */
  public static final long REGEX_REPLACE_MATCH = 4;

  /**
   * Work done by syntax (issue 17 item 3, decision 0712): an array literal's elements (so {@code
   * [...a]}), the arguments a function of the function's code is entered with (so {@code f(...a)}
   * and rest parameters), and the properties of an object literal with a spread ({@code {...o}})
   * are charged past this many, at {@link #ELEMENTS_PER_GAS} elements or arguments and {@link
   * #PROPERTY_DEFINED} per property. Everyday literals and calls are not charged more than their
   * statement.
   */
  public static final long SYNTAX_FREE_ELEMENTS = 16;

  /**
   * Work done by syntax (decision 0712): a comparison of two strings ({@code ===}, {@code !==},
   * {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}, a {@code switch} case) is
   * charged for the characters it may scan past this many, at {@link #CHARS_PER_GAS}: comparing
   * names, keys and ids costs only its statement.
   */
  public static final long SYNTAX_FREE_CHARS = 256;

  /**
   * Work done by syntax: a BigInt result of an arithmetic or bitwise operator of the function's
   * code is charged one gas per this many bits of its size; a {@code *}, {@code /}, {@code %} or
   * {@code **} result that times the base-2 logarithm of its size in 64-bit words (the operation's
   * cost grows faster than its result). Results that fit in 64 bits are not charged.
   */
  public static final long BIGINT_BITS_PER_GAS = 64;

  /**
   * Work done by syntax (decision 0712): an indexed store of the function's code past an array's
   * end ({@code a[i] = x} with {@code i > a.length}) is charged for the holes it leaves ({@code i -
   * a.length}), at {@link #ELEMENTS_PER_GAS} a gas, counted up to this many: GraalJS 25 fills the
   * holes of a store that lands up to 5,000 past its last element and keeps the array as a map past
   * that, where a store costs about the same whatever its index.
   */
  public static final long STORE_HOLES_COUNTED = 5_000;

  /**
   * Work done by syntax (decision 0712, seventh session): an array of this length or more that the
   * function's code stores into with no record of its elements (made by {@code Array(n)}, given a
   * length by {@code Object.defineProperty} or {@code Reflect.set}, or by a built-in) is probed
   * once for an element at its first and last index. Shorter arrays are taken as dense: what
   * GraalJS can fill or allocate for one of them is at most this many elements.
   */
  public static final long STORE_PROBED_LENGTH = 1_024;

  /**
   * Work done by syntax (decision 0712, seventh session): the first store into an array with no
   * elements and a length under this many makes GraalJS 25 allocate the whole length at once
   * ({@code JSConfig.MaxFlatArraySize}); at this length or more it starts small and fills holes as
   * stores arrive (charged by {@link #STORE_HOLES_COUNTED}).
   */
  public static final long FLAT_ARRAY_ELEMENTS = 1_000_000;

  /**
   * Built-in work is passed to the host in chunks of this many characters or elements (and of
   * {@link #WORK_FLUSH_BYTES} bytes): where a run stops depends only on the counts.
   */
  public static final long WORK_FLUSH_UNITS = 4_096;

  /** Bytes of built-in allocation per chunk; a larger single call is checked before it runs. */
  public static final long WORK_FLUSH_BYTES = 64 * 1024;

  /** The built-in work rates as JSON, for the prelude (one place: this class). */
  public static String workTableJson() {
    return "{\"charsPerGas\":"
        + CHARS_PER_GAS
        + ",\"elementsPerGas\":"
        + ELEMENTS_PER_GAS
        + ",\"propertyGas\":"
        + PROPERTY_DEFINED
        + ",\"regexMatchGas\":"
        + REGEX_MATCH
        + ",\"regexReplaceMatchGas\":"
        + REGEX_REPLACE_MATCH
        + ",\"flushUnits\":"
        + WORK_FLUSH_UNITS
        + ",\"flushBytes\":"
        + WORK_FLUSH_BYTES
        + ",\"objectBytes\":"
        + MemoryBudget.OBJECT_BYTES
        + ",\"entryBytes\":"
        + MemoryBudget.ENTRY_BYTES
        + ",\"elementBytes\":"
        + MemoryBudget.ELEMENT_BYTES
        + ",\"charBytes\":"
        + MemoryBudget.CHAR_BYTES
        + "}";
  }

  private GasTable() {}
}
