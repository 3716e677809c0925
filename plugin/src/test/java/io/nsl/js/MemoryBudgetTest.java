package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  @Test
  void countsUpToTheLimitAndStopsPastIt() {
    MemoryBudget m = new MemoryBudget(100);
    assertTrue(m.tryCount(1_000), "nothing counts before start");
    m.start();
    assertTrue(m.tryCount(60));
    assertTrue(m.tryCount(40));
    assertFalse(m.exceeded());
    assertFalse(m.tryCount(1));
    assertTrue(m.exceeded());
    assertEquals(101, m.countedBytes(), "the count shows the allocation that passed the limit");
  }

  @Test
  void staysExceededOnceExceeded() {
    MemoryBudget m = new MemoryBudget(10);
    m.start();
    assertFalse(m.tryCount(11));
    assertFalse(m.tryCount(0));
    assertEquals(11, m.countedBytes());
  }

  @Test
  void saturatesInsteadOfOverflowing() {
    MemoryBudget m = new MemoryBudget(Long.MAX_VALUE);
    m.start();
    assertTrue(m.tryCount(Long.MAX_VALUE - 1));
    assertTrue(m.tryCount(1));
    assertTrue(m.tryCount(0));
    m = new MemoryBudget(5);
    m.start();
    assertFalse(m.tryCount(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, m.countedBytes());
  }

  @Test
  void jsonParseCountsContainersSeparatorsAndStringCharactersOfTheText() {
    assertEquals(0, MemoryBudget.parsedJsonBytes(""));
    assertEquals(0, MemoryBudget.parsedJsonBytes("12345"));
    // [ {} , {} ]: 3 containers, 1 separator.
    assertEquals(3 * 64 + 8, MemoryBudget.parsedJsonBytes("[{},{}]"));
    // {"ab":"c,d[{"}: 1 container, 1 separator; the comma and brackets inside a string are
    // characters: a, b, c, ',', d, '[', '{' = 7.
    assertEquals(64 + 8 + 7 * 2, MemoryBudget.parsedJsonBytes("{\"ab\":\"c,d[{\"}"));
    // An escape is one character: "\"x" is 2 characters; the escaped quote does not end it.
    assertEquals(2 * 2, MemoryBudget.parsedJsonBytes("\"\\\"x\""));
  }

  @Test
  void jsonParseOfEmptyObjectsCountsMoreThanTheirText() {
    // The bomb of hostile 159: 3 characters of text make a 64-byte object.
    String text = "[" + "{},".repeat(1000) + "{}]";
    assertEquals(1002 * 64 + 1000 * 8, MemoryBudget.parsedJsonBytes(text));
  }

  @Test
  void rejectsNegativeCountsAndLimits() {
    assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
    assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(10).tryCount(-1));
  }

  @Property
  void exceededExactlyWhenTheSumPassesTheLimit(
      @ForAll @LongRange(min = 1, max = 1_000_000) long limit,
      @ForAll @Size(max = 50) java.util.List<@LongRange(min = 0, max = 100_000) Long> counts) {
    MemoryBudget m = new MemoryBudget(limit);
    m.start();
    long sum = 0;
    for (long c : counts) {
      boolean wasOver = sum > limit;
      sum += c;
      boolean ok = m.tryCount(c);
      assertEquals(!wasOver && sum <= limit, ok, "after counting " + c);
      if (wasOver) {
        break;
      }
    }
    assertEquals(sum > limit, m.exceeded());
  }
}
