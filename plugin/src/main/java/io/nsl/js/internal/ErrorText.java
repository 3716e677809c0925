package io.nsl.js.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shortens the objects GraalJS prints inside its own error messages. Where V8 says {@code of object
 * '#<Object>'}, GraalJS prints the object itself: every property of it, the whole source of the
 * functions it holds, and for the global object everything the script declared. Such a message is
 * unreadable, can run past the on-chain cap, and shows code the function author did not mean to
 * publish. Only the printed object in a known GraalJS message shape is shortened, so a message the
 * function writes itself ({@code throw new Error(JSON.stringify(x))}) passes unchanged.
 *
 * <p>Pure and thread-safe.
 */
public final class ErrorText {
  /** GraalJS message shapes that end with a printed object (group "obj"). */
  private static final Pattern[] OBJECT_AT_END = {
    Pattern.compile("(?s)Cannot assign to read only property '[^']*' of (?<obj>.+)$"),
    Pattern.compile("(?s)Cannot add new property \"[^\"]*\" to non-extensible (?<obj>.+)$"),
  };

  /** GraalJS message shapes that start with a printed object (after "XxxError: "). */
  private static final Pattern OBJECT_FIRST =
      Pattern.compile(
          "(?s)^(?<head>(?:.*?Error: )?)(?<obj>.+?) (?<tail>is not iterable|is not a constructor"
              + "|is not a function|is not a symbol|is not an Object)$");

  private static final Pattern BIGINT =
      Pattern.compile("(?s)Cannot convert (?<obj>.+) to a BigInt\\.?$");

  private static final String GLOBAL = "global{";

  private ErrorText() {}

  /** The message with every object GraalJS printed into it cut to a short form. */
  public static String tidy(String message) {
    if (message == null || message.isEmpty()) {
      return message;
    }
    for (Pattern p : OBJECT_AT_END) {
      Matcher m = p.matcher(message);
      if (m.find()) {
        return replaceObj(message, m);
      }
    }
    Matcher big = BIGINT.matcher(message);
    if (big.find()) {
      return replaceObj(message, big);
    }
    Matcher first = OBJECT_FIRST.matcher(message);
    if (first.find()) {
      return replaceObj(message, first);
    }
    return message;
  }

  private static String replaceObj(String message, Matcher m) {
    String obj = m.group("obj");
    String shortObj = shorten(obj);
    if (shortObj.equals(obj)) {
      return message;
    }
    return message.substring(0, m.start("obj")) + shortObj + message.substring(m.end("obj"));
  }

  /**
   * The global object becomes "the global object"; any other printed object or function keeps what
   * comes before its first brace or bracket (a function's signature, a class name) and loses the
   * body: {@code function f(a) {…}}, {@code {…}}, {@code […]}.
   */
  static String shorten(String obj) {
    if (obj.startsWith(GLOBAL)) {
      return "the global object";
    }
    int brace = firstOpen(obj);
    if (brace < 0) {
      return obj;
    }
    String body = obj.substring(brace);
    if (body.equals("{}") || body.equals("[]") || body.equals("{ [native code] }")) {
      return obj;
    }
    char open = obj.charAt(brace);
    return obj.substring(0, brace) + (open == '{' ? "{…}" : "[…]");
  }

  /** The first '{' (or a '[' that starts an array), before any quote; -1 if none. */
  private static int firstOpen(String s) {
    if (s.startsWith("[") && !s.startsWith("[object ")) {
      return 0;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        return i;
      }
      if (c == '\'' || c == '"' || c == '`') {
        return -1;
      }
    }
    return -1;
  }
}
