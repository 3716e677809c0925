package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryArgumentTest {
  private static final long MAX = 128L << 20;

  @Test
  void readsBytesAndBinaryUnits() {
    assertEquals(1_000_000, MemoryArgument.bytes("--memory-limit", "1000000", MAX));
    assertEquals(64L << 10, MemoryArgument.bytes("--memory-limit", "64KiB", MAX));
    assertEquals(64L << 20, MemoryArgument.bytes("--memory-limit", "64mib", MAX));
    assertEquals(1L << 30, MemoryArgument.bytes("--memory-limit", "1GiB", Long.MAX_VALUE));
    assertEquals(MAX, MemoryArgument.bytes("--memory-limit", "128MiB", MAX));
  }

  @Test
  void refusesWhatIsNotASizeNamingTheOptionAndValue() {
    for (String bad : new String[] {"", "-1", "1.5MiB", "64MB", "64 M", "MiB", "0x10", null}) {
      CliInputException e =
          assertThrows(
              CliInputException.class, () -> MemoryArgument.bytes("--memory-limit", bad, MAX));
      assertTrue(e.getMessage().startsWith("--memory-limit '" + bad + "'"), e.getMessage());
    }
    assertThrows(
        CliInputException.class, () -> MemoryArgument.bytes("--memory-limit", "0MiB", MAX));
  }

  @Test
  void refusesMoreThanTheOperatorsLimit() {
    CliInputException e =
        assertThrows(
            CliInputException.class, () -> MemoryArgument.bytes("--memory-limit", "129MiB", MAX));
    assertEquals(
        "--memory-limit '129MiB' is 135266304 bytes, above the operator's limit of 134217728"
            + " bytes (128 MiB, executor.maxMemoryLimitBytes)",
        e.getMessage());
    // Bigger than a long: no overflow into a small number.
    assertThrows(
        CliInputException.class,
        () -> MemoryArgument.bytes("--memory-limit", "9999999999999999999GiB", Long.MAX_VALUE));
  }
}
