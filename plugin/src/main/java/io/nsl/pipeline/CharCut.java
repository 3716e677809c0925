package io.nsl.pipeline;

/** Cutting text for records and answers without keeping half of a surrogate pair. Pure. */
final class CharCut {
  private CharCut() {}

  /** The first {@code chars} UTF-16 units of {@code s}, one fewer if that would split a pair. */
  static String prefix(String s, int chars) {
    int end = Math.min(chars, s.length());
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
