package io.nsl.cli;

import io.nsl.NslException;
import java.util.HexFormat;

/**
 * Fixed-length byte strings given as hex on the command line (public keys, MRENCLAVE, MRSIGNER).
 * Pure: no I/O. An optional {@code 0x} is allowed; the bytes are taken in the order written.
 */
final class HexArgument {
  private HexArgument() {}

  /** A hex argument that cannot be read; the message names the option, the value and the fix. */
  static final class Invalid extends NslException {
    Invalid(String message) {
      super("INVALID_HEX", message);
    }
  }

  /**
   * The message for a bad character of an argument: {@code OPTION 'TEXT': 'c' at position N WHY}, N
   * counted from 1.
   */
  static String badCharacter(String option, String text, int index, String why) {
    return option
        + " '"
        + text
        + "': '"
        + text.charAt(index)
        + "' at position "
        + (index + 1)
        + " "
        + why;
  }

  /**
   * The {@code bytes} bytes written in {@code text}.
   *
   * @param what what the value is, for the message ("an MRENCLAVE")
   * @throws Invalid naming a non-hex character and its position, or the wrong length
   */
  static byte[] parse(String option, String text, int bytes, String what) {
    if (text == null || text.isEmpty()) {
      throw new Invalid(option + " is empty: give " + what + ", " + bytes * 2 + " hex digits");
    }
    String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    int offset = text.length() - digits.length();
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new Invalid(badCharacter(option, text, offset + i, "is not a hex digit"));
      }
    }
    if (digits.length() != bytes * 2) {
      throw new Invalid(
          option
              + " has "
              + digits.length()
              + " hex digits; "
              + what
              + " is "
              + bytes
              + " bytes, "
              + bytes * 2
              + " hex digits");
    }
    return HexFormat.of().parseHex(digits);
  }
}
