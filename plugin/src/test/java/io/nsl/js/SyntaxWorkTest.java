package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SyntaxWorkTest {
  @Test
  void everydaySizesCostNothingMore() {
    assertEquals(0, SyntaxWork.elementsGas(0));
    assertEquals(0, SyntaxWork.elementsGas(GasTable.SYNTAX_FREE_ELEMENTS));
    assertEquals(0, SyntaxWork.propertiesGas(GasTable.SYNTAX_FREE_ELEMENTS));
    assertEquals(0, SyntaxWork.bigIntGas(64, true));
  }

  @Test
  void elementsPastTheFreeOnesCostAtTheTableRate() {
    long n = GasTable.SYNTAX_FREE_ELEMENTS + 40 * GasTable.ELEMENTS_PER_GAS;
    assertEquals(40, SyntaxWork.elementsGas(n));
    assertEquals(40, SyntaxWork.elementsGas(n + GasTable.ELEMENTS_PER_GAS - 1));
    assertEquals(
        40 * GasTable.ELEMENTS_PER_GAS * GasTable.PROPERTY_DEFINED, SyntaxWork.propertiesGas(n));
  }

  @Test
  void bigIntGasGrowsWithSizeAndFasterForMultiplication() {
    assertEquals(2, SyntaxWork.bigIntGas(65, false));
    // 2^20 bits: 2^14 words, log2 = 14.
    long bits = 1L << 20;
    assertEquals(bits / GasTable.BIGINT_BITS_PER_GAS, SyntaxWork.bigIntGas(bits, false));
    assertEquals(14 * bits / GasTable.BIGINT_BITS_PER_GAS, SyntaxWork.bigIntGas(bits, true));
  }

  @Test
  void comparingEverydayStringsCostsNothingMore() {
    long free = GasTable.SYNTAX_FREE_CHARS;
    assertEquals(0, SyntaxWork.comparisonGas(free, free, true));
    assertEquals(0, SyntaxWork.comparisonGas(free, 1 << 20, false));
  }

  @Test
  void equalityOfEqualLengthsCostsTheirLengthOrderTheShorter() {
    long n = GasTable.SYNTAX_FREE_CHARS + 100 * GasTable.CHARS_PER_GAS;
    assertEquals(100, SyntaxWork.comparisonGas(n, n, true));
    // Different lengths: no equality scans a character.
    assertEquals(0, SyntaxWork.comparisonGas(n, n + 1, true));
    assertEquals(100, SyntaxWork.comparisonGas(n, 1 << 20, false));
    assertEquals(100, SyntaxWork.comparisonGas(1 << 20, n, false));
  }

  @Test
  void rejectsNegativeSizes() {
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.comparisonGas(-1, 0, true));
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.elementsGas(-1));
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.bigIntGas(-1, false));
  }

  @Test
  void storesThatLeaveNoHoleCostNothing() {
    assertEquals(0, SyntaxWork.storeHoles(0, 0), "the first store at 0");
    assertEquals(0, SyntaxWork.storeHoles(6, 6), "an append, a[a.length] = x");
    assertEquals(0, SyntaxWork.storeHoles(1, 6), "an overwrite or a hole filled");
    assertEquals(0, SyntaxWork.storeGas(0));
  }

  @Test
  void storesPastTheEndCountTheHolesUpToTheCap() {
    assertEquals(999, SyntaxWork.storeHoles(2000, 1001));
    assertEquals(1, SyntaxWork.storeHoles(7, 6));
    long cap = GasTable.STORE_HOLES_COUNTED;
    assertEquals(cap, SyntaxWork.storeHoles(cap, 0));
    assertEquals(cap, SyntaxWork.storeHoles(0xFFFF_FFFEL, 0), "the largest array index");
    assertEquals(250, SyntaxWork.storeGas(999));
    assertEquals(250, SyntaxWork.storeGas(1000));
    assertEquals(1, SyntaxWork.storeGas(1), "a single hole is not free");
  }

  @Test
  void storesInsideTheSpanOrNextToItLeaveNoHole() {
    assertEquals(0, SyntaxWork.spanHoles(Long.MAX_VALUE, -1, 19_999_000), "nothing stored yet");
    assertEquals(0, SyntaxWork.spanHoles(10, 20, 15), "inside");
    assertEquals(0, SyntaxWork.spanHoles(10, 20, 9), "next below");
    assertEquals(0, SyntaxWork.spanHoles(10, 20, 21), "next above");
  }

  @Test
  void storesAwayFromTheSpanCountTheHolesBetween() {
    assertEquals(999, SyntaxWork.spanHoles(20_000, 20_000, 19_000), "downwards by 1,000");
    assertEquals(999, SyntaxWork.spanHoles(0, 0, 1000), "upwards by 1,000");
    long cap = GasTable.STORE_HOLES_COUNTED;
    assertEquals(cap, SyntaxWork.spanHoles(0xFFFF_FFFEL, 0xFFFF_FFFEL, 0), "counted up to the cap");
    assertEquals(245, SyntaxWork.spanGas(999), "past the 16 free holes, 4 a gas");
    assertEquals(0, SyntaxWork.spanGas(GasTable.SYNTAX_FREE_ELEMENTS), "a few apart is free");
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.spanHoles(0, 0, -1));
  }

  @Test
  void theFirstStoreIntoAnEmptyLengthAllocatesItUnderTheFlatLimit() {
    long flat = GasTable.FLAT_ARRAY_ELEMENTS;
    long probed = GasTable.STORE_PROBED_LENGTH;
    assertEquals(999_999, SyntaxWork.emptyStoreElements(999_999, 5), "Array(999999); a[5] = x");
    assertEquals(999_999, SyntaxWork.emptyStoreElements(999_990, 999_998), "up to the index");
    assertEquals(0, SyntaxWork.emptyStoreElements(flat, 0), "at the limit GraalJS starts small");
    assertEquals(0, SyntaxWork.emptyStoreElements(0, flat - 1), "nor past it by an index");
    assertEquals(0, SyntaxWork.emptyStoreElements(probed - 1, 0), "short arrays are not probed");
    assertEquals(probed, SyntaxWork.emptyStoreElements(probed, 0));
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.emptyStoreElements(-1, 0));
  }

  @Test
  void rejectsNegativeStores() {
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.storeHoles(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.storeHoles(0, -1));
    assertThrows(IllegalArgumentException.class, () -> SyntaxWork.storeGas(-1));
  }
}
