package io.nsl.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory budget given on the command line ({@code --memory-limit}): bytes, or a whole number of
 * KiB, MiB or GiB ("67108864", "64MiB", "1GiB"). Pure.
 */
final class MemoryArgument {
  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,19})\\s*(|b|kib|mib|gib)", Pattern.CASE_INSENSITIVE);

  private MemoryArgument() {}

  /**
   * {@code text} in bytes.
   *
   * @throws CliInputException naming the option and the value, for anything but a positive whole
   *     number with an optional KiB/MiB/GiB unit, or one above {@code maxBytes}
   */
  static long bytes(String option, String text, long maxBytes) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new CliInputException(
          option
              + " '"
              + text
              + "' is not a memory size: give bytes or a whole number of KiB, MiB or GiB, like"
              + " 64MiB");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "kib" -> 10;
          case "mib" -> 20;
          case "gib" -> 30;
          default -> 0;
        };
    java.math.BigInteger bytes = new java.math.BigInteger(m.group(1)).shiftLeft(shift);
    if (bytes.signum() == 0) {
      throw new CliInputException(option + " '" + text + "' must be more than 0 bytes");
    }
    if (bytes.compareTo(java.math.BigInteger.valueOf(maxBytes)) > 0) {
      throw new CliInputException(
          option
              + " '"
              + text
              + "' is "
              + bytes
              + " bytes, above the operator's limit of "
              + maxBytes
              + " bytes ("
              + (maxBytes >> 20)
              + " MiB, executor.maxMemoryLimitBytes)");
    }
    return bytes.longValueExact();
  }
}
