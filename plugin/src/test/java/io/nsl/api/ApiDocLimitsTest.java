package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.pipeline.SimulationTimeout;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The HTTP front's fixed bounds, as docs/api.md states them, are the ones in the code. */
class ApiDocLimitsTest {
  private static String apiDoc() throws IOException {
    return Files.readString(ProjectRoot.find().resolve("docs/api.md"));
  }

  private static String row(String doc, String startsWith) {
    return doc.lines()
        .filter(l -> l.startsWith(startsWith))
        .findFirst()
        .orElseThrow(() -> new AssertionError("docs/api.md has no row starting " + startsWith));
  }

  @Test
  void connectionCapIsTheCodes() throws IOException {
    String row = row(apiDoc(), "| connections served at once");
    String n = String.format(Locale.ROOT, "%,d", HttpFront.MAX_OPEN_CONNECTIONS);
    assertTrue(row.contains(n), "docs/api.md says " + row + "; the code says " + n);
  }

  @Test
  void simulationBoundsAreTheCodes() throws IOException {
    String row = row(apiDoc(), "| simulations (`POST /v1/simulate`)");
    String openapi =
        Files.readString(ProjectRoot.find().resolve("docs/openapi.yaml")).replaceAll("\\s+", " ");
    String slack = SimulationRunner.SLACK.toSeconds() + " s";
    // The CLI's most; the API's is the service's deadline.
    String max = "at most " + SimulationTimeout.format(SimulationTimeout.MAX);
    for (String want :
        new String[] {
          SimulationRunner.THREADS + " at once",
          SimulationRunner.QUEUE + " waiting",
          "+ " + slack,
          SimulationRunner.PER_SECOND + "/s per account (burst " + SimulationRunner.BURST + ")",
          max
        }) {
      assertTrue(row.contains(want), "docs/api.md says " + row + "; the code says " + want);
    }
    for (String want :
        new String[] {
          "plus " + slack,
          "at most " + SimulationRunner.PER_SECOND + " simulation a second",
          "(burst " + SimulationRunner.BURST + ";",
          max
        }) {
      assertTrue(openapi.contains(want), "docs/openapi.yaml does not say " + want);
    }
  }

  @Test
  void headSizeIsTheCodes() throws IOException {
    String row = row(apiDoc(), "| headers |");
    String kib = (HttpFront.MAX_HEAD_BYTES / 1024) + " KiB";
    assertTrue(row.contains(kib), "docs/api.md says " + row + "; the code says " + kib);
  }
}
