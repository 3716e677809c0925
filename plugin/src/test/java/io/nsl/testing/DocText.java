package io.nsl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the doc tests need to hold a page's numbers to the code's constants: a page, one of its
 * sections or table rows, a constant of a Go contract or of a guest script, and a number written
 * the way the docs write it. The tests that use it fail naming every phrase a page lacks.
 */
public final class DocText {
  private DocText() {}

  /** The text of a file under the project folder, e.g. {@code docs/api.md}. */
  public static String read(String relativePath) {
    try {
      return Files.readString(ProjectRoot.find().resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The section of {@code doc} under the heading {@code "## " + heading} (or a deeper level), up to
   * the next heading of level two, with every run of white space folded to one space (so a phrase
   * may wrap in the page).
   */
  public static String section(String doc, String heading) {
    Matcher m = Pattern.compile("(?m)^#{2,4} " + Pattern.quote(heading) + "\\s*$").matcher(doc);
    assertTrue(m.find(), "the page has no section " + heading);
    int end = doc.indexOf("\n## ", m.end());
    return fold(doc.substring(m.start(), end < 0 ? doc.length() : end));
  }

  /** The first line of {@code doc} that starts with {@code startsWith} (a table row). */
  public static String row(String doc, String startsWith) {
    return doc.lines()
        .filter(l -> l.startsWith(startsWith))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the page has no line starting " + startsWith));
  }

  /** {@code text} with every run of white space made one space. */
  public static String fold(String text) {
    return text.replaceAll("\\s+", " ");
  }

  /** A whole-number constant of a Go file, {@code Name = 123} (in a const block or not). */
  public static long goConst(String relativePath, String name) {
    return constant(relativePath, "(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*([0-9]+)\\b");
  }

  /** A whole-number constant of a script, {@code const NAME = 123;}. */
  public static long jsConst(String relativePath, String name) {
    return constant(relativePath, "\\bconst " + Pattern.quote(name) + " = ([0-9]+);");
  }

  private static long constant(String relativePath, String regex) {
    Matcher m = Pattern.compile(regex).matcher(read(relativePath));
    assertTrue(m.find(), relativePath + " has no constant matching " + regex);
    long v = Long.parseLong(m.group(1));
    assertTrue(!m.find(), relativePath + " has two constants matching " + regex);
    return v;
  }

  /** A number as the docs write it: {@code 1,024}. */
  public static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /**
   * A size as the docs write it: {@code 64 KiB}, {@code 1 MiB}, {@code 1 GiB}, else {@code 768
   * bytes}.
   */
  public static String size(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return n(bytes >> 30) + " GiB";
    }
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return n(bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return n(bytes >> 10) + " KiB";
    }
    return n(bytes) + " bytes";
  }

  /** Fails naming every phrase {@code text} (from {@code where}) does not contain. */
  public static void assertSays(String where, String text, List<String> phrases) {
    List<String> missing = new ArrayList<>();
    for (String p : phrases) {
      if (!text.contains(p)) {
        missing.add(p);
      }
    }
    assertEquals(List.of(), missing, where + " should say each of these (the code's numbers)");
  }
}
