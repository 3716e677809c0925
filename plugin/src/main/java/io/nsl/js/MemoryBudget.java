package io.nsl.js;

import io.nsl.js.internal.JsonTextScan;

/**
 * The memory one execution may allocate, counted the same way on every node (decision 0710). Bytes
 * are counted where the engine or the prelude can see an allocation's size from the program alone
 * (each JS object, each array and buffer at its creation, each string a wrapped built-in builds),
 * never measured on the heap, so the same code and input pass the budget at the same point
 * everywhere. It is a count of what was allocated, not of what is still live: garbage counts too.
 *
 * <p>Once a count would pass the limit, the budget is exceeded and stays so; the run is stopped
 * with {@link ErrorKind#MEMORY_LIMIT}. Pure arithmetic: no clock, no I/O.
 *
 * <p>Threading: confined to one execution's guest thread.
 */
public final class MemoryBudget {
  /** Each JS object GraalJS creates (ordinary objects, arrays, boxes, iterators...). */
  public static final long OBJECT_BYTES = 64;

  /**
   * Each function literal, so each closure, with the scope it keeps: a closure made in a loop over
   * a {@code let} variable keeps 96.5 bytes with its array slot in GraalJS 25.0.3 (retained heap
   * over a million; decision 0710, "Closures counted at their size"), so 88 for it and {@link
   * #ELEMENT_BYTES} for the slot.
   */
  public static final long FUNCTION_BYTES = 88;

  /**
   * Each new entry of a {@code Map} or {@code Set}: what GraalJS 25.0.3 keeps for one (measured as
   * retained heap over a million integer entries: 91 bytes a {@code Map} entry, 88 a {@code Set}
   * entry; decision 0710, fourth session), rounded up.
   */
  public static final long ENTRY_BYTES = 96;

  /** Each element of an array's length when the array is created, or a built-in adds it. */
  public static final long ELEMENT_BYTES = 8;

  /** Each UTF-16 unit of a string a wrapped built-in builds (docs/functions.md, "Memory"). */
  public static final long CHAR_BYTES = 2;

  /**
   * What {@code JSON.parse(text)} counts, before it parses (so a big parse is refused before it
   * builds anything): {@link #OBJECT_BYTES} for each {@code {} or {@code [}, {@link #ELEMENT_BYTES}
   * for each {@code ,} or {@code :} between values, and {@link #CHAR_BYTES} for each character
   * inside a string, all outside strings except the last. A model of what the parse makes, from
   * the text alone; text that is not JSON counts the same way and then fails to parse.
   */
  public static long parsedJsonBytes(CharSequence text) {
    // The prelude's JSON.parse takes this count and its nesting check in one pass; no text nests
    // deeper than Integer.MAX_VALUE, so the count comes back as it is.
    return JsonTextScan.parseCount(text, Integer.MAX_VALUE);
  }

  private final long limitBytes;
  private long countedBytes;
  private boolean exceeded;
  private boolean started;

  public MemoryBudget(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("memory limit must be > 0 bytes, was " + limitBytes);
    }
    this.limitBytes = limitBytes;
  }

  /**
   * Counting begins here: when the function's own code starts. What the service's prelude allocates
   * while it sets a context up is not the function's, and how much of the realm GraalJS builds
   * lazily at that point differs between the first contexts of an engine and later ones.
   */
  public void start() {
    started = true;
  }

  /**
   * Counts {@code bytes} (nothing before {@link #start()}); false once the total passes the limit
   * (then {@link #exceeded()} is true and {@link #countedBytes()} includes the allocation that
   * passed it).
   *
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public boolean tryCount(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    if (exceeded) {
      return false;
    }
    if (!started) {
      return true;
    }
    countedBytes = bytes > Long.MAX_VALUE - countedBytes ? Long.MAX_VALUE : countedBytes + bytes;
    if (countedBytes > limitBytes) {
      exceeded = true;
      return false;
    }
    return true;
  }

  public boolean started() {
    return started;
  }

  public boolean exceeded() {
    return exceeded;
  }

  /** Bytes counted so far (past the limit once exceeded: what the last allocation asked for). */
  public long countedBytes() {
    return countedBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
