package io.nsl.chain;

import io.neow3j.types.Hash160;
import io.nsl.NslException;
import java.util.HexFormat;

/**
 * A script hash as a person types it, and how it was read: {@code 0x} + 40 hex is big-endian (as
 * neon-js, NeoLine and explorers show hashes); 40 hex without {@code 0x} is little-endian (as
 * neo-go's CLI prints and takes them); an N3 address (N…) is its account's script hash. Pure: no
 * I/O.
 *
 * @param readAs how the text was read, for the command to say ("0x big-endian", ...)
 */
public record HashArgument(Hash160 hash, String readAs) {

  /** The text is none of the accepted forms; the message names the option and the bad part. */
  public static final class InvalidHashException extends NslException {
    InvalidHashException(String message) {
      super("INVALID_HASH", message);
    }
  }

  /**
   * Reads {@code text} given for {@code option} (named in errors).
   *
   * @throws InvalidHashException naming the first character that is not hex, or the wrong length
   */
  public static HashArgument parse(String option, String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("N") && t.length() == 34) {
      try {
        return new HashArgument(Hash160.fromAddress(t), "N3 address");
      } catch (IllegalArgumentException e) {
        throw new InvalidHashException(
            option + " '" + t + "' looks like an N3 address but is not one: " + e.getMessage());
      }
    }
    boolean prefixed = t.startsWith("0x") || t.startsWith("0X");
    String hex = prefixed ? t.substring(2) : t;
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new InvalidHashException(
            option
                + " '"
                + t
                + "': character '"
                + hex.charAt(i)
                + "' at position "
                + (i + (prefixed ? 2 : 0))
                + " is not hex; "
                + FORMS);
      }
    }
    if (hex.length() != 40) {
      throw new InvalidHashException(
          option + " '" + t + "' has " + hex.length() + " hex characters, not 40; " + FORMS);
    }
    byte[] bytes = HexFormat.of().parseHex(hex);
    if (prefixed) {
      return new HashArgument(new Hash160(bytes), "0x big-endian");
    }
    for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
      byte b = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = b;
    }
    return new HashArgument(new Hash160(bytes), "little-endian (no 0x)");
  }

  private static final String FORMS =
      "give 0x + 40 hex (big-endian), 40 hex without 0x (little-endian, as neo-go prints), or an"
          + " N3 address";

  /** {@code 0x} + big-endian hex, the form Neo's SDKs and explorers show. */
  public String bigEndian0x() {
    return "0x" + hash;
  }
}
