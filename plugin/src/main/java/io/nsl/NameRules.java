package io.nsl;

import java.util.Optional;

/**
 * The one rule for each kind of name, shared by every layer that takes one: function ids (upload,
 * the gateway contract's {@code RegisterFunction}, the storage namespace, the simulator), storage
 * keys (the JS {@code storage.*} API in production and in the simulator) and secret names ({@code
 * getSecret}, envelopes, the API). The cases in {@code testdata/name-cases.json} are checked here
 * ({@code NameRulesTest}) and against the contract ({@code contracts/gateway/names_test.go}).
 *
 * <p>Each method returns what is wrong with the name, or empty; the caller throws its own exception
 * kind with that message (ApiFailure, InvalidSecretNameException, an NslError in JS). Pure, no
 * state; thread-safe.
 */
public final class NameRules {
  /**
   * Longest function id, in characters (= bytes: the charset is ASCII): the gateway's {@code
   * MaxFunctionIDSize}, a 64-byte storage key less its 1-byte prefix.
   */
  public static final int MAX_FUNCTION_ID_LENGTH = 63;

  /** Longest storage key, in UTF-8 bytes (the store's {@code StorageLimits.defaults()}). */
  public static final int MAX_STORAGE_KEY_BYTES = 1024;

  /** Longest secret name, in characters (ASCII). */
  public static final int MAX_SECRET_NAME_LENGTH = 64;

  private NameRules() {}

  /**
   * Function ids: 1 to 63 characters from {@code a-z 0-9 . _ -}, starting with a letter or digit.
   * Lower case only, because the id names the function's storage namespace, whose charset has no
   * upper case; an id the namespace could not take was accepted on chain and failed every request.
   */
  public static Optional<String> functionIdProblem(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_FUNCTION_ID_LENGTH) {
      return Optional.of(
          "a function id is 1 to "
              + MAX_FUNCTION_ID_LENGTH
              + " characters, got "
              + (id == null ? "none" : id.length()));
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return Optional.of(
            String.format(
                "function id '%s' has %s at position %d; function ids use a-z 0-9 . _ - (lower"
                    + " case) and start with a letter or digit",
                printable(id), describe(c), i));
      }
    }
    return Optional.empty();
  }

  /**
   * Storage keys: 1 to 1,024 bytes of UTF-8, from a well-formed string (no lone surrogate, which
   * would be stored as '?' and so alias the key "?").
   */
  public static Optional<String> storageKeyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("a storage key must not be empty");
    }
    long bytes = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(
                "a storage key has a lone surrogate U+%04X at position %d; keys are stored as UTF-8,"
                    + " which has no encoding for it",
                (int) c, i));
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    if (bytes > MAX_STORAGE_KEY_BYTES) {
      return Optional.of(
          "a storage key is "
              + bytes
              + " bytes of UTF-8; the limit is "
              + MAX_STORAGE_KEY_BYTES
              + " (use a hash of a long name)");
    }
    return Optional.empty();
  }

  /**
   * Secret names: 1 to 64 characters from {@code A-Z a-z 0-9 _ . -}. ASCII only on purpose: no
   * normalisation questions, no look-alike names, no bytes that break a log line.
   */
  public static Optional<String> secretNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a secret name must not be empty");
    }
    if (name.length() > MAX_SECRET_NAME_LENGTH) {
      return Optional.of(
          "secret name has "
              + name.length()
              + " characters, the limit is "
              + MAX_SECRET_NAME_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        return Optional.of(
            String.format(
                "secret name '%s' has character U+%04X at position %d; names use only A-Z a-z 0-9"
                    + " _ . -",
                printable(name), (int) c, i));
      }
    }
    return Optional.empty();
  }

  private static String describe(char c) {
    return c >= 0x21 && c <= 0x7e
        ? String.format("'%c' (U+%04X)", c, (int) c)
        : String.format("U+%04X", (int) c);
  }

  // The id as text for a message: printable ASCII as is, anything else as \\uXXXX.
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c <= 0x7e && c != '\'') {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.toString();
  }
}
