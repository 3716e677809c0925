package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.js.GasTable;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StoreSpansTest {
  // Probes for arrays that hold no element, and for arrays that hold both ends.
  private static final StoreSpans.ElementProbe NONE = (array, index) -> false;
  private static final StoreSpans.ElementProbe BOTH_ENDS = (array, index) -> true;

  @Test
  void anArrayWithNoRecordIsTakenAsDense() {
    StoreSpans spans = new StoreSpans();
    assertNull(spans.find(new Object()));
    spans.madeEmpty(new Object(), 10);
    assertNull(spans.find(new Object()), "another array's record is not this one's");
  }

  @Test
  void newArrayThenDownwardsChargesEveryGapButTheFirst() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    spans.madeEmpty(a, 1000);
    StoreSpans.Span span = spans.find(a);
    assertEquals(0, span.add(20_000_000), "the first store into new Array(n)");
    assertEquals(999, span.add(19_999_000));
    assertEquals(0, span.add(19_999_500), "a hole filled inside the span");
    assertEquals(0, span.add(19_998_999), "next to the span");
  }

  @Test
  void aStorePastTheEndStartsFromTheElementsBelowTheLength() {
    StoreSpans spans = new StoreSpans();
    Object b = new Object();
    spans.firstSeen(b, 1, NONE).add(1000); // b = [0]; b[1000] = x: [0, 1000]
    assertEquals(0, spans.find(b).add(500));
    assertEquals(999, spans.find(b).add(2000));
    Object c = new Object();
    spans.firstSeen(c, 0, NONE).add(20_000_000); // c = []; c[20e6] = x: [20e6, 20e6]
    assertEquals(999, spans.find(c).add(19_999_000), "downwards after the first");
    assertSame(spans.find(c), spans.find(c));
  }

  @Test
  void aLengthGrownStartsASpanOfTheOldElementsAndACutLengthCutsIt() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    spans.lengthSet(a, 1, 0, NONE);
    assertNull(spans.find(a), "a length cut short on an array without a span records nothing");
    spans.lengthSet(a, 1, 1000, NONE); // a = [0]; a.length = 1000
    assertEquals(998, spans.find(a).add(999), "the store at the new end");
    spans.lengthSet(a, 1000, 0, NONE); // a.length = 0: no element left
    assertEquals(0, spans.find(a).add(500), "the first store after the cut");
    assertEquals(499, spans.find(a).add(0));
  }

  @Test
  void aLongArrayFirstSeenIsProbedAtBothEndsAndAShortOneTakenAsDense() {
    StoreSpans spans = new StoreSpans();
    long probed = GasTable.STORE_PROBED_LENGTH;
    Object empty = new Object(); // Array(n), or a length set by Object.defineProperty
    assertTrue(spans.firstSeen(empty, 20_000_000, NONE).empty());
    assertEquals(0, spans.find(empty).add(0), "the first store");
    assertEquals(999, spans.find(empty).add(1000));
    Object dense = new Object(); // Array.from({length: n}), a literal, pushes
    assertFalse(spans.firstSeen(dense, probed, BOTH_ENDS).empty());
    assertEquals(0, spans.find(dense).add(probed / 2), "inside its elements");
    Object low = new Object(); // [0] given a length of 20e6
    spans.firstSeen(low, 20_000_000, (array, index) -> index == 0);
    assertEquals(999, spans.find(low).add(1000));
    Object shortOne = new Object();
    assertFalse(spans.firstSeen(shortOne, probed - 1, NONE).empty(), "not probed: dense");
    assertEquals(0, spans.find(shortOne).add(probed / 2));
  }

  @Test
  void aLongNewArrayIsLeftToItsFirstStore() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    spans.madeEmpty(a, GasTable.STORE_PROBED_LENGTH);
    assertNull(spans.find(a), "probed at its first store, after a fill");
    Object b = new Object();
    spans.madeEmpty(b, GasTable.STORE_PROBED_LENGTH - 1);
    assertTrue(spans.find(b).empty());
  }

  @Test
  void aLongLengthGrownIsProbedOverItsOldLength() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    long old = GasTable.STORE_PROBED_LENGTH * 2;
    spans.lengthSet(a, old, old * 10, BOTH_ENDS); // dense, then a.length = 10 times that
    assertEquals(0, spans.find(a).add(old / 2), "inside the old elements");
    assertEquals(
        GasTable.STORE_HOLES_COUNTED, spans.find(a).add(old * 10 - 1), "at the new end, far off");
    Object b = new Object();
    spans.lengthSet(b, old, old * 10, NONE); // Array(old), then its length grown
    assertTrue(spans.find(b).empty());
  }

  // The span against a reference: the holes charged are the distance from the index to the
  // nearest stored element when the index lies outside all of them (a TreeSet of the indexes).
  @Test
  void matchesTheDistanceToTheNearestStoredElementOutsideThem() {
    for (long seed = 1; seed <= 200; seed++) {
      Random random = new Random(seed);
      StoreSpans.Span span = new StoreSpans.Span();
      TreeSet<Long> stored = new TreeSet<>();
      for (int k = 0; k < 50; k++) {
        long index = random.nextInt(random.nextBoolean() ? 64 : 20_000);
        long expected = 0;
        if (!stored.isEmpty() && (index < stored.first() || index > stored.last())) {
          long nearest = index < stored.first() ? stored.first() : stored.last();
          expected = Math.min(Math.abs(nearest - index) - 1, GasTable.STORE_HOLES_COUNTED);
        }
        assertEquals(expected, span.add(index), "seed " + seed + ", store " + k + " at " + index);
        stored.add(index);
      }
    }
  }
}
