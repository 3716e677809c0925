package io.nsl.js.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Compiles input-schema {@code pattern}s with RE2/J, whose matching time is linear in the input's
 * length: no pattern can make validation backtrack for minutes. The price is the features that need
 * backtracking (back-references, look-ahead and look-behind): a schema using them is refused when
 * it is compiled.
 *
 * <p>Threading: thread-safe (compiled patterns are immutable).
 */
final class LinearRegexFactory implements RegularExpressionFactory {
  /** A pattern RE2/J cannot run in linear time (or cannot parse). */
  static final class UnsupportedPattern extends IllegalArgumentException {
    UnsupportedPattern(String message) {
      super(message);
    }
  }

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new UnsupportedPattern(
          "the pattern '"
              + regex
              + "' is not accepted: "
              + e.getDescription()
              + " (patterns run on a linear-time engine: no back-references, look-ahead or"
              + " look-behind)");
    }
    // JSON Schema patterns are not anchored: a match anywhere in the string counts.
    return value -> p.matcher(value).find();
  }
}
