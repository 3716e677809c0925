package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GasAccountingManagerTest {
  @Property
  void usedIsTheSumUntilTheLimitThenTheLimit(
      @ForAll @LongRange(min = 1, max = 1_000_000) long limit,
      @ForAll @Size(max = 50) List<@LongRange(min = 0, max = 100_000) Long> charges) {
    GasAccountingManager gas = new GasAccountingManager(limit);
    long sum = 0;
    boolean exhausted = false;
    for (long c : charges) {
      boolean ok = gas.tryUse(c);
      if (!exhausted && sum + c <= limit) {
        assertTrue(ok);
        sum += c;
      } else {
        assertFalse(ok);
        exhausted = true;
      }
      assertEquals(exhausted ? limit : sum, gas.used());
      assertTrue(gas.used() <= limit);
    }
  }

  @Property
  void statementsRunOutExactlyAtTheLimit(@ForAll @LongRange(min = 1, max = 10_000) long limit) {
    GasAccountingManager gas = new GasAccountingManager(limit);
    for (long i = 0; i < limit; i++) {
      assertTrue(gas.chargeStatement());
    }
    assertFalse(gas.chargeStatement());
    assertTrue(gas.exhausted());
    assertEquals(limit, gas.used());
  }

  @Test
  void exhaustionIsStickyUntilReset() {
    GasAccountingManager gas = new GasAccountingManager(10);
    assertThrows(GasExhaustedException.class, () -> gas.use(11));
    assertFalse(gas.tryUse(0));
    gas.reset();
    assertEquals(0, gas.used());
    gas.use(10);
    assertEquals(0, gas.remaining());
  }

  @Test
  void rejectsNegativeCharges() {
    assertThrows(IllegalArgumentException.class, () -> new GasAccountingManager(5).use(-1));
  }

  @Test
  void statusCodesAreStable() {
    assertEquals(0, ErrorKind.OK.code());
    assertEquals(4, ErrorKind.GAS_EXHAUSTED.code());
    assertEquals(255, ErrorKind.INTERNAL_ERROR.code());
    for (ErrorKind k : ErrorKind.values()) {
      assertEquals(k, ErrorKind.fromCode(k.code()));
    }
  }
}
