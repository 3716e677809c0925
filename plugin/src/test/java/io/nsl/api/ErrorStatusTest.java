package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {
  /** Packages whose failures a developer request can meet. */
  private static final String[] REACHABLE = {
    "api", "secrets", "storage", "chain", "enclave", "pipeline"
  };

  /** A code given straight to super(...), or as a CODE constant. */
  private static final Pattern SUPER_CODE =
      Pattern.compile("(?:super\\(\\s*|String CODE = )\"([A-Z][A-Z0-9_]+)\"");

  @Test
  void everyFailureCodeTheApiCanMeetHasAnHttpStatus() throws IOException {
    Path main = ProjectRoot.find().resolve("plugin/src/main/java/io/nsl");
    Set<String> missing = new TreeSet<>();
    int seen = 0;
    for (String pkg : REACHABLE) {
      try (Stream<Path> files = Files.walk(main.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = SUPER_CODE.matcher(read(f));
          while (m.find()) {
            seen++;
            if (!ErrorStatus.knows(m.group(1))) {
              missing.add(m.group(1) + " (" + f.getFileName() + ")");
            }
          }
        }
      }
    }
    assertTrue(seen > 20, "the scan found only " + seen + " codes; did the source layout change?");
    assertEquals(Set.of(), missing, "add these codes to ErrorStatus");
  }

  @Test
  void unknownCodeIsAnInternalError() {
    assertEquals(500, ErrorStatus.httpStatusOf("NO_SUCH_CODE"));
    assertEquals(401, ErrorStatus.httpStatusOf("AUTH_SIGNATURE_INVALID"));
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
