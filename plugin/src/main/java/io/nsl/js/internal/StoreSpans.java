package io.nsl.js.internal;

import com.oracle.truffle.api.CompilerDirectives;
import io.nsl.js.SyntaxWork;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One execution's record of the arrays whose elements may lie far apart (decision 0712, sixth
 * session): for each array made by {@code new Array(n)} in the function's code, stored into past
 * its end or grown by {@code a.length = n}, the span from its lowest to its highest stored index
 * (the elements below the length, when it had none, taken as dense). A store inside the length of
 * such an array is charged for the holes between it and the span ({@link SyntaxWork#spanHoles}); an
 * array with no record (a literal, one a built-in made, one only appended to) is taken as dense and
 * costs nothing more. What the record holds depends only on the indexes stored and the lengths
 * seen, so the charge is the same on every node.
 *
 * <p>Keys are held weakly (a JS object's {@code equals}/{@code hashCode} are identity): an entry
 * goes only with an array no code can store into any more. The last array looked up is kept, so a
 * loop over one array does one map look-up. One per execution, used on the context's thread.
 */
final class StoreSpans {
  /** The stored span of one array; {@code lowest > highest} while nothing has been stored. */
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

  /**
   * {@code a.length = length} on an array of {@code oldLength}: grown, the new part has no
   * elements, so an array without a span gets one of its old elements (taken as dense); cut short,
   * a span loses what lies past the new end.
   */
  @CompilerDirectives.TruffleBoundary
  void lengthSet(Object array, long oldLength, long length) {
    Span span = find(array);
    if (span == null) {
      if (length <= oldLength) {
        return;
      }
      span = new Span();
      if (oldLength > 0) {
        span.add(0);
        span.add(oldLength - 1);
      }
      spans.put(array, span);
      any = true;
      lastArray = array;
      lastSpan = span;
      return;
    }
    span.cut(length);
  }

  /** {@code new Array(n)}: a length with no elements. */
  @CompilerDirectives.TruffleBoundary
  void madeEmpty(Object array) {
    Span span = new Span();
    spans.put(array, span);
    any = true;
    lastArray = array;
    lastSpan = span;
  }

  /**
   * A store past the end of an array of {@code length} (charged by its own rule): the span takes
   * the index, starting from the elements below the length (taken as dense) when it had none.
   */
  @CompilerDirectives.TruffleBoundary
  void storedPastTheEnd(Object array, long index, long length) {
    Span span = find(array);
    if (span == null) {
      span = new Span();
      if (length > 0) {
        span.add(0);
      }
      spans.put(array, span);
      any = true;
      lastArray = array;
      lastSpan = span;
    }
    span.add(index);
  }
}
