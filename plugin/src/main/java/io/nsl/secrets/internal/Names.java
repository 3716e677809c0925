package io.nsl.secrets.internal;

import io.nsl.secrets.InvalidSecretNameException;
import io.nsl.secrets.SecretLimits;
import java.nio.charset.StandardCharsets;

/**
 * Secret names: 1 to 64 characters from {@code [A-Za-z0-9_.-]}. ASCII only on purpose: no
 * normalisation questions (é as one or two code points), no look-alike names, no bytes that can
 * break a log line or a JS identifier-like use; binary names are refused, not escaped.
 */
public final class Names {
  private Names() {}

  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid("a secret name must not be empty");
    }
    if (name.length() > SecretLimits.MAX_NAME_LENGTH) {
      throw invalid(
          "secret name has "
              + name.length()
              + " characters, the limit is "
              + SecretLimits.MAX_NAME_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!allowed(c)) {
        throw invalid(
            String.format(
                "secret name has character U+%04X at position %d; names use only A-Z a-z 0-9 _ . -",
                (int) c, i));
      }
    }
    return name;
  }

  /** Checks the name bytes of an envelope and returns the name. */
  public static String check(byte[] nameBytes) {
    for (int i = 0; i < nameBytes.length; i++) {
      if (!allowed((char) (nameBytes[i] & 0xff))) {
        throw invalid(
            String.format(
                "secret name has byte 0x%02x at position %d; names use only A-Z a-z 0-9 _ . -"
                    + " (ASCII)",
                nameBytes[i] & 0xff, i));
      }
    }
    return check(new String(nameBytes, StandardCharsets.US_ASCII));
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  private static InvalidSecretNameException invalid(String msg) {
    return new InvalidSecretNameException(msg);
  }
}
