package io.nsl.js.internal;

import com.oracle.truffle.api.CompilerDirectives;
import io.nsl.js.GasTable;
import io.nsl.js.SyntaxWork;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One execution's record of the arrays whose elements may lie far apart (decision 0712, sixth and
 * seventh sessions): for each array made by {@code new Array(n)} in the function's code, stored
 * into past its end, grown by {@code a.length = n}, or first stored into with a length of {@link
 * GasTable#STORE_PROBED_LENGTH} or more, the span from its lowest to its highest element. A store
 * inside the length of such an array is charged for the holes between it and the span ({@link
 * SyntaxWork#spanHoles}); an array with no record (a literal, one a built-in made, one only
 * appended to, all under that length) is taken as dense and costs nothing more. What the record
 * holds depends only on the indexes stored, the lengths seen and, for an array first seen at a
 * probed length, whether its first and last index hold an element, so the charge is the same on
 * every node.
 *
 * <p>Keys are held weakly (a JS object's {@code equals}/{@code hashCode} are identity): an entry
 * goes only with an array no code can store into any more. The last array looked up is kept, so a
 * loop over one array does one map look-up. One per execution, used on the context's thread.
 */
final class StoreSpans {
  /**
   * Whether an array holds an element at an index; runs no code of the function unless the array's
   * prototype chain holds a Proxy (GasInstrument.holdsElement).
   */
  interface ElementProbe {
    boolean holds(Object array, long index);
  }

  /** The stored span of one array; {@code lowest > highest} while it holds no element. */
  static final class Span {
    private long lowest = Long.MAX_VALUE;
    private long highest = -1;

    /** Takes a store at {@code index} into the span; returns the holes it leaves outside it. */
    long add(long index) {
      long holes = SyntaxWork.spanHoles(lowest, highest, index);
      lowest = Math.min(lowest, index);
      highest = Math.max(highest, index);
      return holes;
    }

    /** True while no element has been stored or found: GraalJS keeps no elements for it yet. */
    boolean empty() {
      return lowest > highest;
    }

    /** A length set to {@code length}: no element at or past it remains. */
    void cut(long length) {
      highest = Math.min(highest, length - 1);
      if (highest < lowest) {
        lowest = Long.MAX_VALUE;
        highest = -1;
      }
    }
  }

  private final Map<Object, Span> spans = new WeakHashMap<>();
  private boolean any;
  private Object lastArray;
  private Span lastSpan;

  /** The span of {@code array}, or null when it has none (taken as dense). */
  Span find(Object array) {
    if (!any) {
      return null;
    }
    if (array == lastArray) {
      return lastSpan;
    }
    return lookUp(array);
  }

  @CompilerDirectives.TruffleBoundary
  private Span lookUp(Object array) {
    lastArray = array;
    lastSpan = spans.get(array);
    return lastSpan;
  }

  private Span record(Object array, Span span) {
    spans.put(array, span);
    any = true;
    lastArray = array;
    lastSpan = span;
    return span;
  }

  /**
   * The span of an array with none, first seen with {@code length} elements or holes: under {@link
   * GasTable#STORE_PROBED_LENGTH} its elements are taken as dense, as an array with no record is;
   * at that length or more, {@code probe} tells whether its first and last index hold an element
   * (an array made by {@code Array(n)}, or given a length by {@code Object.defineProperty}, holds
   * neither), and the span is what they show: both, the whole length; one, that end; none, empty.
   */
  @CompilerDirectives.TruffleBoundary
  Span firstSeen(Object array, long length, ElementProbe probe) {
    Span span = new Span();
    if (length < GasTable.STORE_PROBED_LENGTH) {
      if (length > 0) {
        span.add(0);
        span.add(length - 1);
      }
    } else {
      if (probe.holds(array, 0)) {
        span.add(0);
      }
      if (probe.holds(array, length - 1)) {
        span.add(length - 1);
      }
    }
    return record(array, span);
  }

  /**
   * {@code a.length = length} on an array of {@code oldLength}: grown, the new part has no
   * elements, so an array without a span gets one of its old elements ({@link #firstSeen}); cut
   * short, a span loses what lies past the new end.
   */
  @CompilerDirectives.TruffleBoundary
  void lengthSet(Object array, long oldLength, long length, ElementProbe probe) {
    Span span = find(array);
    if (span == null) {
      if (length > oldLength) {
        firstSeen(array, oldLength, probe);
      }
      return;
    }
    span.cut(length);
  }

  /**
   * {@code new Array(n)}: a length with no elements. Under {@link GasTable#STORE_PROBED_LENGTH}
   * recorded as such; longer, left to be probed at its first store, after whatever a built-in
   * ({@code fill}) put in it.
   */
  @CompilerDirectives.TruffleBoundary
  void madeEmpty(Object array, long length) {
    if (length < GasTable.STORE_PROBED_LENGTH) {
      record(array, new Span());
    }
  }
}
