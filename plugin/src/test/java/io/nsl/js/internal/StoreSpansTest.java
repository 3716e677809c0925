package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.nsl.js.GasTable;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StoreSpansTest {
  @Test
  void anArrayWithNoRecordIsTakenAsDense() {
    StoreSpans spans = new StoreSpans();
    assertNull(spans.find(new Object()));
    spans.madeEmpty(new Object());
    assertNull(spans.find(new Object()), "another array's record is not this one's");
  }

  @Test
  void newArrayThenDownwardsChargesEveryGapButTheFirst() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    spans.madeEmpty(a);
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
    spans.storedPastTheEnd(b, 1000, 1); // b = [0]; b[1000] = x: [0, 1000]
    assertEquals(0, spans.find(b).add(500));
    assertEquals(999, spans.find(b).add(2000));
    Object c = new Object();
    spans.storedPastTheEnd(c, 20_000_000, 0); // c = []; c[20e6] = x: [20e6, 20e6]
    assertEquals(999, spans.find(c).add(19_999_000), "downwards after the first");
    assertSame(spans.find(c), spans.find(c));
  }

  @Test
  void aLengthGrownStartsASpanOfTheOldElementsAndACutLengthCutsIt() {
    StoreSpans spans = new StoreSpans();
    Object a = new Object();
    spans.lengthSet(a, 1, 0);
    assertNull(spans.find(a), "a length cut short on an array without a span records nothing");
    spans.lengthSet(a, 1, 1000); // a = [0]; a.length = 1000
    assertEquals(998, spans.find(a).add(999), "the store at the new end");
    spans.lengthSet(a, 1000, 0); // a.length = 0: no element left
    assertEquals(0, spans.find(a).add(500), "the first store after the cut");
    assertEquals(499, spans.find(a).add(0));
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
