package io.nsl.cli;

import io.nsl.NslException;
import java.math.BigDecimal;
import java.math.BigInteger;

/** An amount of GAS given on the command line ("10", "0.05"), read to datoshi (1e-8 GAS). Pure. */
final class GasArgument {
  private GasArgument() {}

  /** An amount that cannot be read; the message names the option and the value. */
  static final class Invalid extends NslException {
    Invalid(String message) {
      super("INVALID_AMOUNT", message);
    }
  }

  /**
   * {@code text} GAS in datoshi.
   *
   * @param allowZero whether 0 is a valid amount (a fee may be 0, a deposit may not)
   * @throws Invalid for anything but a plain decimal with at most 8 decimals, in range
   */
  static long datoshi(String option, String text, boolean allowZero) {
    if (text == null || !text.matches("[0-9]+(\\.[0-9]+)?")) {
      throw new Invalid(
          option + " '" + text + "' is not an amount of GAS: give a decimal like 10 or 0.05");
    }
    BigDecimal gas = new BigDecimal(text);
    if (gas.stripTrailingZeros().scale() > 8) {
      throw new Invalid(option + " '" + text + "' has more than 8 decimals (1 datoshi = 1e-8 GAS)");
    }
    BigInteger d = gas.movePointRight(8).toBigIntegerExact();
    if (d.bitLength() > 62) {
      throw new Invalid(option + " '" + text + "' GAS is more than exists");
    }
    if (!allowZero && d.signum() == 0) {
      throw new Invalid(option + " must be more than 0 GAS");
    }
    return d.longValueExact();
  }
}
