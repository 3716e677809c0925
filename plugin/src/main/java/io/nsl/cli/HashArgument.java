package io.nsl.cli;

import io.neow3j.types.Hash160;
import io.nsl.NslException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A script hash given on the command line, and the form it was read in. Every command that takes a
 * hash parses it here, so every command accepts the same three forms:
 *
 * <ul>
 *   <li>{@code 0x} + 40 hex digits: big-endian, as explorers, neon-js and {@code ./nsl} print it;
 *   <li>40 hex digits without {@code 0x}: little-endian, the VM's byte order (as some neo-go
 *       commands and raw stack items give it);
 *   <li>a Neo N3 address ({@code N…}, base58check, version 0x35), only for arguments that name an
 *       account ({@link Kind#ACCOUNT}); a contract is named by its script hash.
 * </ul>
 *
 * Pure: no I/O. {@link #note()} is the line a command prints on stderr to say which form it read.
 */
record HashArgument(String option, Hash160 hash, Form form) {

  /** How the text was read. */
  enum Form {
    BIG_ENDIAN_HEX("0x-prefixed big-endian hex"),
    LITTLE_ENDIAN_HEX("plain hex, read as little-endian (the VM's byte order)"),
    ADDRESS("Neo N3 address");

    private final String description;

    Form(String description) {
      this.description = description;
    }
  }

  /** What the argument names: an account may be given as an address, a contract may not. */
  enum Kind {
    ACCOUNT,
    CONTRACT
  }

  /** The version byte of Neo N3 addresses (they start with N). */
  static final byte ADDRESS_VERSION = 0x35;

  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final HexFormat HEX = HexFormat.of();

  /** A hash argument that cannot be read; the message names the option, the value and the fix. */
  static final class Invalid extends NslException {
    Invalid(String message) {
      super("INVALID_HASH", message);
    }
  }

  /**
   * Reads {@code text} given for {@code option}.
   *
   * @throws Invalid naming the option, what is wrong (length, the bad character and its position,
   *     the checksum or version of an address) and the forms accepted
   */
  static HashArgument parse(String option, String text, Kind kind) {
    if (text == null || text.isEmpty()) {
      throw new Invalid(option + " is empty: give " + accepted(kind));
    }
    if (text.startsWith("0x") || text.startsWith("0X")) {
      String digits = text.substring(2);
      checkHex(option, text, 2);
      checkLength(option, text, digits.length(), kind, "after 0x");
      return new HashArgument(option, new Hash160(HEX.parseHex(digits)), Form.BIG_ENDIAN_HEX);
    }
    if (allHex(text)) {
      checkLength(option, text, text.length(), kind, "");
      return new HashArgument(
          option, new Hash160(reverse(HEX.parseHex(text))), Form.LITTLE_ENDIAN_HEX);
    }
    if (text.length() == 40) {
      checkHex(option, text, 0); // 40 characters: meant as hex, one is not a hex digit
    }
    if (text.length() >= 30 && text.length() <= 36) {
      byte[] scriptHash = address(option, text);
      if (kind == Kind.CONTRACT) {
        throw new Invalid(
            option
                + " takes a contract's script hash, not an address ('"
                + text
                + "'); give "
                + accepted(kind)
                + " (for this address that is 0x"
                + new Hash160(scriptHash)
                + ")");
      }
      return new HashArgument(option, new Hash160(scriptHash), Form.ADDRESS);
    }
    throw new Invalid(
        option
            + " '"
            + text
            + "' is neither hex nor an address ("
            + text.length()
            + " characters); give "
            + accepted(kind));
  }

  /** The hash as explorers and neon-js print it: 0x + big-endian hex. */
  String bigEndian0x() {
    return "0x" + hash;
  }

  /** The line saying which form was read and what it means, for stderr. */
  String note() {
    String read = option + ": read " + form.description + " = " + bigEndian0x();
    return form == Form.ADDRESS ? read : read + " (address " + hash.toAddress() + ")";
  }

  /**
   * The account {@code text} names for {@code option}, its reading noted on {@code out}; when the
   * option is not given, {@code otherwise} (asked only then: it may open the wallet).
   *
   * @throws Invalid as {@link #parse}
   */
  static Hash160 accountOr(
      String option, String text, java.util.function.Supplier<Hash160> otherwise, Output out) {
    if (text == null) {
      return otherwise.get();
    }
    HashArgument h = parse(option, text, Kind.ACCOUNT);
    out.progress(h.note());
    return h.hash();
  }

  private static String accepted(Kind kind) {
    return "a script hash as 0x + 40 hex digits (big-endian) or 40 hex digits (little-endian)"
        + (kind == Kind.ACCOUNT ? ", or a Neo N3 address (N…)" : "");
  }

  private static boolean allHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Refuses the first non-hex character from {@code from} on, naming it and its position. */
  private static void checkHex(String option, String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        throw new Invalid(HexArgument.badCharacter(option, text, i, "is not a hex digit"));
      }
    }
  }

  private static void checkLength(String option, String text, int digits, Kind kind, String where) {
    if (digits == 40) {
      return;
    }
    String hint =
        digits == 64
            ? " (64 digits is a 32-byte hash: a transaction or block, not a script hash)"
            : digits == 66 ? " (66 digits is a public key, not a script hash)" : "";
    throw new Invalid(
        option
            + " '"
            + text
            + "' has "
            + digits
            + " hex digits"
            + (where.isEmpty() ? "" : " " + where)
            + "; a script hash has 40"
            + hint
            + "; give "
            + accepted(kind));
  }

  /** The script hash (big-endian) inside a Neo N3 address, checked. */
  static byte[] address(String option, String text) {
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      int d = BASE58.indexOf(text.charAt(i));
      if (d < 0) {
        throw new Invalid(
            HexArgument.badCharacter(
                option, text, i, "is not in base58 (addresses never contain 0, O, I or l)"));
      }
      if (leading && d == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(d));
    }
    byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
    if (body.length > 1 && body[0] == 0) {
      body = Arrays.copyOfRange(body, 1, body.length);
    }
    byte[] raw = new byte[zeros + body.length];
    System.arraycopy(body, 0, raw, zeros, body.length);
    if (raw.length != 25) {
      throw new Invalid(
          option
              + " '"
              + text
              + "' decodes to "
              + raw.length
              + " bytes; a Neo address holds 25 (version, 20-byte script hash, checksum)");
    }
    byte[] payload = Arrays.copyOfRange(raw, 0, 21);
    byte[] check = Arrays.copyOf(sha256(sha256(payload)), 4);
    if (!Arrays.equals(check, Arrays.copyOfRange(raw, 21, 25))) {
      throw new Invalid(
          option
              + " '"
              + text
              + "': the address checksum does not match (a mistyped character?); copy the"
              + " address again");
    }
    if (raw[0] != ADDRESS_VERSION) {
      throw new Invalid(
          option
              + " '"
              + text
              + "' has address version 0x"
              + HEX.toHexDigits(raw[0])
              + (raw[0] == 0x17 ? " (a Neo Legacy address)" : "")
              + "; Neo N3 addresses have 0x35 and start with N");
    }
    // The address carries the script hash little-endian; Hash160 takes big-endian.
    return reverse(Arrays.copyOfRange(raw, 1, 21));
  }

  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
