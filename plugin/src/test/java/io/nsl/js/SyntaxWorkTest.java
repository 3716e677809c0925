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
}
