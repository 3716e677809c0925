package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.pipeline.SimulationTimeout;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.testing.DocText;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
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

  @Test
  void optionRowsGiveApiLimitsDefaults() throws IOException {
    String doc = apiDoc();
    ApiLimits d = ApiLimits.defaults();
    String code = DocText.size(StoredFunctionCatalog.MAX_CODE_BYTES);
    DocText.assertSays(
        "docs/api.md's limits table",
        doc,
        List.of(
            "| request body | `api.maxBodyBytes`: "
                + DocText.size(d.maxBodyBytes())
                + " (function code itself: "
                + code
                + " UTF-8) |",
            "| `api.requestTimeoutSeconds`: "
                + d.requestTimeout().toSeconds()
                + " s (a connection open "
                + HttpFront.CONNECTION_LIFETIME_TIMEOUTS
                + " × this is closed) |",
            "| headers | `api.maxRequestHeaders`: " + d.maxRequestHeaders() + ", and",
            "| `api.timestampWindowSeconds`: ±" + d.timestampWindow().toSeconds() + " s |",
            "must be within **" + d.timestampWindow().toMinutes() + " minutes** of the server's",
            "| `api.callerPerSecond`, `api.callerBurst`: "
                + rate(d.callerPerSecond())
                + "/s, bursts of "
                + d.callerBurst()
                + " |",
            "| `api.addressPerSecond`, `api.addressBurst`: "
                + rate(d.addressPerSecond())
                + "/s, bursts of "
                + d.addressBurst()
                + " |",
            "| remembered nonces | `api.nonceCacheEntries`: " + DocText.n(d.nonceCacheEntries()),
            "| remembered nonces per client | 1/"
                + ApiLimits.NONCE_SHARES
                + " of `api.nonceCacheEntries`: "
                + DocText.n(d.noncesPerClient())
                + " |",
            "| failures per `GET /v1/failures` | `api.recentFailures`: "
                + d.recentFailures()
                + " |",
            "): "
                + TriggersResource.RUN_BURST
                + " at once, "
                + rate(TriggersResource.RUNS_PER_SECOND)
                + "/s |",
            "code at most " + code + " |"));
  }

  /** A rate as the docs write it: {@code 10}, or {@code 0.5}. */
  private static String rate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  @Test
  void triggersDocQuotesTheRunRate() {
    DocText.assertSays(
        "docs/triggers.md's \"HTTP runs\"",
        DocText.section(DocText.read("docs/triggers.md"), "HTTP runs"),
        List.of(
            "more than "
                + TriggersResource.RUN_BURST
                + " runs at once or "
                + rate(TriggersResource.RUNS_PER_SECOND)
                + " a second over time per owner"));
  }

  @Test
  void nonceLengthIsTheCodes() {
    String rule =
        ApiAuth.NONCE_MIN_CHARS
            + ".."
            + ApiAuth.NONCE_MAX_CHARS
            + " characters of `[A-Za-z0-9_-]`, fresh for every request";
    DocText.assertSays(
        "docs/api.md", DocText.read("docs/api.md"), List.of("| `X-NSL-Nonce` | " + rule + " |"));
    DocText.assertSays(
        "docs/openapi.yaml",
        DocText.read("docs/openapi.yaml"),
        List.of("X-NSL-Nonce: " + ApiAuth.NONCE_RULE + ", never reused"));
    // The JS client refuses what the server would, before signing.
    String quantifier = "{" + ApiAuth.NONCE_MIN_CHARS + "," + ApiAuth.NONCE_MAX_CHARS + "}";
    DocText.assertSays(
        "clients/js/src/canonical.js",
        DocText.read("clients/js/src/canonical.js"),
        List.of(
            "const NONCE = /^[A-Za-z0-9_-]" + quantifier + "$/;", "'" + ApiAuth.NONCE_RULE + "'"));
  }

  @Test
  void connectionLifetimeIsTheCodes() {
    String times =
        switch (HttpFront.CONNECTION_LIFETIME_TIMEOUTS) {
          case 2 -> "twice";
          case 3 -> "three times";
          default -> HttpFront.CONNECTION_LIFETIME_TIMEOUTS + " times";
        };
    DocText.assertSays(
        "docs/operator.md",
        DocText.row(DocText.read("docs/operator.md"), "| `api.requestTimeoutSeconds` |"),
        List.of("a connection open " + times + " this long is closed"));
    DocText.assertSays(
        "config/nsl.yml",
        DocText.fold(DocText.read("config/nsl.yml").replaceAll("(?m)^\\s*# ?", "")),
        List.of("a connection still open after " + times + " this"));
  }
}
