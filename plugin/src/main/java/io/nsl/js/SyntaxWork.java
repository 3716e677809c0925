package io.nsl.js;

/**
 * Gas for work that syntax does in one statement (issue 17 item 3, decision 0712): spread and rest,
 * array literals, object spread, destructuring with a rest element, string comparisons, BigInt
 * arithmetic. The instrument sees the size of what a site made (an array's length, the arguments of
 * a call, a BigInt's bits) and charges it here, at the rates of {@link GasTable}. Pure arithmetic:
 * no clock, no I/O, the same on every node.
 */
public final class SyntaxWork {
  private SyntaxWork() {}

  /**
   * Gas for {@code count} elements, arguments or properties made by one site, past the first {@link
   * GasTable#SYNTAX_FREE_ELEMENTS}, at {@code perGas} a gas (rounded down).
   */
  public static long elementsGas(long count, long perGas) {
    if (count < 0 || perGas <= 0) {
      throw new IllegalArgumentException(
          "count must be >= 0 and perGas > 0, were " + count + " and " + perGas);
    }
    return count <= GasTable.SYNTAX_FREE_ELEMENTS
        ? 0
        : (count - GasTable.SYNTAX_FREE_ELEMENTS) / perGas;
  }

  /** Gas for an array literal's elements or a call's arguments. */
  public static long elementsGas(long count) {
    return elementsGas(count, GasTable.ELEMENTS_PER_GAS);
  }

  /** Gas for the properties an object literal with a spread ends with. */
  public static long propertiesGas(long count) {
    return elementsGas(count, 1) * GasTable.PROPERTY_DEFINED;
  }

  /**
   * Gas for a comparison of two strings of {@code leftChars} and {@code rightChars} UTF-16 units:
   * an equality ({@code ===}, {@code ==} and their negations) may scan every unit when the lengths
   * are equal and none otherwise; an order ({@code <}, {@code <=}, {@code >}, {@code >=}) the
   * shorter length. Past {@link GasTable#SYNTAX_FREE_CHARS}, one gas per {@link
   * GasTable#CHARS_PER_GAS} (rounded down). Charged by length, not by where the strings first
   * differ: the count does not depend on how the engine compares.
   */
  public static long comparisonGas(long leftChars, long rightChars, boolean equality) {
    if (leftChars < 0 || rightChars < 0) {
      throw new IllegalArgumentException(
          "lengths must be >= 0, were " + leftChars + " and " + rightChars);
    }
    long scanned =
        equality ? (leftChars == rightChars ? leftChars : 0) : Math.min(leftChars, rightChars);
    return scanned <= GasTable.SYNTAX_FREE_CHARS
        ? 0
        : (scanned - GasTable.SYNTAX_FREE_CHARS) / GasTable.CHARS_PER_GAS;
  }

  /**
   * Gas for a BigInt result of {@code bits} bits: none up to 64 bits, else one per {@link
   * GasTable#BIGINT_BITS_PER_GAS} bits, times ⌈log2 words⌉ (at least 1) for a multiplicative
   * operator ({@code *}, {@code /}, {@code %}, {@code **}), whose cost grows faster than its
   * result.
   */
  public static long bigIntGas(long bits, boolean multiplicative) {
    if (bits < 0) {
      throw new IllegalArgumentException("bits must be >= 0, was " + bits);
    }
    if (bits <= 64) {
      return 0;
    }
    long gas = (bits + GasTable.BIGINT_BITS_PER_GAS - 1) / GasTable.BIGINT_BITS_PER_GAS;
    if (!multiplicative) {
      return gas;
    }
    long words = (bits + 63) / 64;
    long log2 = 64 - Long.numberOfLeadingZeros(words - 1); // ⌈log2 words⌉
    return gas * Math.max(1, log2);
  }

  /**
   * The holes an indexed store {@code a[index] = x} leaves past an array of {@code length}
   * (decision 0712): {@code index - length} when the store lands past the end, else 0 (an append,
   * an overwrite, a hole filled inside the length); counted up to {@link
   * GasTable#STORE_HOLES_COUNTED}. Depends only on the index and the length the program sees, never
   * on how the engine stores the array.
   */
  public static long storeHoles(long index, long length) {
    if (index < 0 || length < 0) {
      throw new IllegalArgumentException(
          "index and length must be >= 0, were " + index + " and " + length);
    }
    return index > length ? Math.min(index - length, GasTable.STORE_HOLES_COUNTED) : 0;
  }

  /**
   * The holes a store at {@code index} inside an array's length leaves between it and the span
   * {@code [lowest, highest]} of the elements the function's own stores (and {@code new Array(n)})
   * made in it (decision 0712, sixth session; {@code lowest > highest}: none yet): none inside the
   * span or next to it, else the distance to the nearer end, counted up to {@link
   * GasTable#STORE_HOLES_COUNTED}. GraalJS keeps an array's elements in one store from its lowest
   * to its highest element and fills that distance with holes when a store lands outside; the span
   * is a function of the indexes stored, never of how the engine stores the array.
   */
  public static long spanHoles(long lowest, long highest, long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if (lowest > highest || (index >= lowest && index <= highest)) {
      return 0;
    }
    long holes = index < lowest ? lowest - index - 1 : index - highest - 1;
    return Math.min(holes, GasTable.STORE_HOLES_COUNTED);
  }

  /**
   * Gas for the holes a store inside the length leaves ({@link #spanHoles}): past the first {@link
   * GasTable#SYNTAX_FREE_ELEMENTS}, one per {@link GasTable#ELEMENTS_PER_GAS} (rounded down), so
   * that stores a few apart (a sieve, a histogram into a filled {@code new Array(26)}) cost their
   * statement.
   */
  public static long spanGas(long holes) {
    return elementsGas(holes);
  }

  /**
   * The elements GraalJS allocates at once for a store at {@code index} into an array of {@code
   * length} that holds no element (decision 0712, seventh session): the larger of the length and
   * {@code index + 1}, when that is at least {@link GasTable#STORE_PROBED_LENGTH} (shorter arrays
   * are not probed, so not told apart from dense ones) and under {@link
   * GasTable#FLAT_ARRAY_ELEMENTS} (past it the engine starts small); else 0. Depends only on the
   * length and the index.
   */
  public static long emptyStoreElements(long length, long index) {
    if (index < 0 || length < 0) {
      throw new IllegalArgumentException(
          "index and length must be >= 0, were " + index + " and " + length);
    }
    long size = Math.max(length, index + 1);
    return size >= GasTable.STORE_PROBED_LENGTH && size < GasTable.FLAT_ARRAY_ELEMENTS ? size : 0;
  }

  /** Gas for the holes an indexed store leaves: one per {@link GasTable#ELEMENTS_PER_GAS}, up. */
  public static long storeGas(long holes) {
    if (holes < 0) {
      throw new IllegalArgumentException("holes must be >= 0, was " + holes);
    }
    return (holes + GasTable.ELEMENTS_PER_GAS - 1) / GasTable.ELEMENTS_PER_GAS;
  }
}
