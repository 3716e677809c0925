package io.nsl.secrets.internal;

import io.nsl.NameRules;
import io.nsl.secrets.InvalidSecretNameException;
import java.nio.charset.StandardCharsets;

/**
 * Secret names by {@link NameRules#secretNameProblem} (1 to 64 characters from {@code
 * [A-Za-z0-9_.-]}), the rule {@code getSecret} and the simulator apply too; binary names are
 * refused, not escaped.
 */
public final class Names {
  private Names() {}

  public static String check(String name) {
    NameRules.secretNameProblem(name)
        .ifPresent(
            problem -> {
              throw invalid(problem);
            });
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
