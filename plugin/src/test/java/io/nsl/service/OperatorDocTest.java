package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.api.ApiLimits;
import io.nsl.pipeline.PipelineMetrics;
import io.nsl.pipeline.RetryPolicy;
import io.nsl.testing.DocText;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operator.md stays true to the configuration classes and the metrics the service exports. */
class OperatorDocTest {
  private static String doc() throws IOException {
    return Files.readString(ProjectRoot.find().resolve("docs/operator.md"));
  }

  @Test
  void configurationReferenceNamesEveryOption() throws IOException {
    String text = doc();
    List<String> missing = new ArrayList<>();
    collect(ServiceConfig.class, "", text, missing);
    assertEquals(List.of(), missing, "docs/operator.md lacks these options in its reference table");
  }

  private static void collect(Class<?> type, String prefix, String text, List<String> missing) {
    for (RecordComponent c : type.getRecordComponents()) {
      String path = prefix + c.getName();
      if (c.getType().isRecord()) {
        collect(c.getType(), path + ".", text, missing);
      } else if (!text.contains("| `" + path + "` |")) {
        missing.add(path);
      }
    }
  }

  @Test
  void monitoringSectionNamesEveryExportedMetric() throws IOException {
    PipelineMetrics m = new PipelineMetrics();
    m.requestFailed("RUNTIME_ERROR");
    Set<String> names = new TreeSet<>();
    for (String line : m.renderPrometheus().split("\n")) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      }
    }
    assertTrue(names.size() >= 10, "found only " + names);
    String text = doc();
    Set<String> missing = new TreeSet<>();
    for (String n : names) {
      if (!text.contains("`" + n + "`") && !text.contains("`" + n + "{")) {
        missing.add(n);
      }
    }
    assertEquals(Set.of(), missing, "docs/operator.md does not describe these metrics");
  }

  @Test
  void configurationReferenceGivesEveryDefault() throws Exception {
    String text = doc();
    List<String> wrong = new ArrayList<>();
    defaults(ServiceConfig.defaults(), "", text, wrong);
    assertEquals(
        List.of(), wrong, "docs/operator.md's reference table gives other defaults than the code");
  }

  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

  private static void defaults(Object record, String prefix, String text, List<String> wrong)
      throws ReflectiveOperationException {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      String path = prefix + c.getName();
      Object value = c.getAccessor().invoke(record);
      if (c.getType().isRecord()) {
        defaults(value, path + ".", text, wrong);
        continue;
      }
      String rowStart = "| `" + path + "` | ";
      String cell = DocText.row(text, rowStart).substring(rowStart.length()).split(" \\| ")[0];
      Matcher m = FIRST_CODE.matcher(cell);
      String documented = m.find() ? m.group(1) : cell;
      String code =
          value == null ? "(none)" : value instanceof String v ? '"' + v + '"' : value.toString();
      boolean same =
          documented.equals(code)
              || (value instanceof String v && !v.isEmpty() && documented.equals(v));
      if (!same) {
        wrong.add(path + ": the page says " + documented + ", the code " + code);
      }
    }
  }

  @Test
  void readinessLagIsTheServices() throws IOException {
    long lag = NslService.READY_MAX_LAG_BLOCKS;
    DocText.assertSays(
        "docs/api.md",
        DocText.read("docs/api.md"),
        List.of("the watcher is at most " + lag + " blocks behind, else 503"));
    DocText.assertSays(
        "docs/operator.md",
        doc(),
        List.of(
            "the watcher is ≤ " + lag + " blocks behind,",
            "| `nsl_lag_blocks` | gauge | blocks between the chain head and the watcher's cursor | > "
                + lag
                + " (also makes `/ready` 503) |"));
  }

  @Test
  void optionBoundsAndTheNodesBackoffAreTheCodes() throws IOException {
    RetryPolicy r = RetryPolicy.DEFAULT;
    DocText.assertSays(
        "docs/operator.md",
        DocText.fold(doc()),
        List.of(
            "largest request body ("
                + ApiLimits.MIN_BODY_BYTES
                + " .. "
                + DocText.size(ApiLimits.MAX_BODY_BYTES_CEILING)
                + ")",
            "| `submitter.maxBatch` | `"
                + ServiceConfig.defaults().submitter().maxBatch()
                + "` | most fulfilments per transaction (1.."
                + ServiceConfig.Submitter.MAX_BATCH
                + ") |",
            "most fetch calls per execution (0.." + ServiceConfig.Fetch.MAX_CALLS + ")",
            "largest request body (0.." + DocText.size(ServiceConfig.Fetch.MAX_BODY_BYTES) + ")",
            "largest response body (0.." + DocText.size(ServiceConfig.Fetch.MAX_BODY_BYTES) + ")",
            "per call (1.." + ServiceConfig.Fetch.MAX_TIMEOUT_MS + " ms)",
            "backs off ("
                + r.chainBackoff().toMillis()
                + " ms doubling to "
                + r.chainBackoffMax().toSeconds()
                + " s)"));
  }

  /** A factor as the docs write it. */
  private static String times(int factor) {
    return switch (factor) {
      case 2 -> "twice";
      case 3 -> "three times";
      default -> factor + " times";
    };
  }

  /** Fails naming each row of the reference table that lacks its range (the code's numbers). */
  private static void assertRows(String text, List<List<String>> optionAndPhrase) {
    List<String> missing = new ArrayList<>();
    for (List<String> p : optionAndPhrase) {
      String row = DocText.row(text, "| `" + p.get(0) + "` |");
      if (!row.contains(p.get(1))) {
        missing.add(p.get(0) + ": " + p.get(1));
      }
    }
    assertEquals(List.of(), missing, "docs/operator.md's reference table should say these ranges");
  }

  @Test
  void configurationRangesAreTheCodes() throws IOException {
    assertRows(
        doc(),
        List.of(
            List.of(
                "api.timestampWindowSeconds",
                "("
                    + ApiLimits.MIN_TIMESTAMP_WINDOW_SECONDS
                    + " .. "
                    + ApiLimits.MAX_TIMESTAMP_WINDOW_SECONDS
                    + ")"),
            List.of("api.maxRequestHeaders", "(at least " + ApiLimits.MIN_REQUEST_HEADERS + ")"),
            List.of(
                "api.requestTimeoutSeconds",
                "(at least " + ApiLimits.MIN_REQUEST_TIMEOUT_SECONDS + ")"),
            List.of(
                "storage.readCacheMb",
                "(0.." + ServiceConfig.Storage.MAX_READ_CACHE_MB + " MiB, 0 off)"),
            List.of("workers.id", "(1.." + ServiceConfig.Workers.MAX_ID_CHARS + " characters of"),
            List.of(
                "workers.leaseMs",
                "(at least "
                    + times(ServiceConfig.Workers.MIN_RENEWALS_PER_LEASE)
                    + " `renewMs`, at most "
                    + ServiceConfig.Workers.MAX_LEASE_MS
                    + ")"),
            List.of("workers.renewMs", "(at least " + ServiceConfig.Workers.MIN_RENEW_MS + ")"),
            List.of(
                "chain.pollIntervalMs",
                "("
                    + ServiceConfig.Chain.MIN_POLL_INTERVAL_MS
                    + ".."
                    + ServiceConfig.Chain.MAX_POLL_INTERVAL_MS
                    + " ms)"),
            List.of(
                "submitter.maxDelayMs",
                "(0.."
                    + ServiceConfig.Submitter.MAX_DELAY_MS
                    + " ms, 0 sends each answer at once)"),
            List.of(
                "submitter.validForBlocks",
                "(1.."
                    + ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS
                    + ": a node refuses a transaction valid beyond its height +"
                    + " `MaxValidUntilBlockIncrement`, "
                    + (ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS + 1)
                    + " on N3"),
            List.of("api.port", "(0.." + ServiceConfig.Api.MAX_PORT + "); 0 picks a free port"),
            List.of(
                "workers.functionLockMs",
                "(at least " + ServiceConfig.Workers.MIN_FUNCTION_LOCK_MS + ";")));
  }

  @Test
  void theSettingRangesDecisionGivesTheCodesRanges() {
    String name = "docs/decisions/0105-every-setting-has-a-range.md";
    DocText.assertSays(
        name,
        DocText.fold(DocText.read(name)),
        List.of(
            "`submitter.validForBlocks`: 1.." + ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS + ".",
            "`MaxValidUntilBlockIncrement`, "
                + (ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS + 1)
                + " in the N3 protocol",
            "`submitter.maxDelayMs`: 0.." + ServiceConfig.Submitter.MAX_DELAY_MS + ".",
            "`chain.pollIntervalMs`: "
                + ServiceConfig.Chain.MIN_POLL_INTERVAL_MS
                + ".."
                + ServiceConfig.Chain.MAX_POLL_INTERVAL_MS
                + ".",
            "`api.port`: 0.." + ServiceConfig.Api.MAX_PORT + ".",
            "(`"
                + assertThrows(
                        ServiceConfig.InvalidConfig.class,
                        () -> new ServiceConfig.Api("127.0.0.1", 70_000))
                    .getMessage()
                + "`)"));
  }

  /** config/nsl.yml's comments, without the comment marks, white space folded. */
  private static String yamlComments() {
    return DocText.fold(
        DocText.read("config/nsl.yml")
            .lines()
            .map(l -> l.replaceFirst("^\\s*# ?", ""))
            .collect(java.util.stream.Collectors.joining("\n")));
  }

  @Test
  void configFileGivesTheCodesRanges() {
    DocText.assertSays(
        "config/nsl.yml",
        yamlComments(),
        List.of(
            "(0 .. " + ServiceConfig.Storage.MAX_READ_CACHE_MB + "; 0 turns it off",
            "Most fulfilments in one transaction (1 .. " + ServiceConfig.Submitter.MAX_BATCH + ")",
            "Largest request body in bytes ("
                + ApiLimits.MIN_BODY_BYTES
                + " .. "
                + ApiLimits.MAX_BODY_BYTES_CEILING
                + ")",
            "remembered this long ("
                + ApiLimits.MIN_TIMESTAMP_WINDOW_SECONDS
                + " .. "
                + ApiLimits.MAX_TIMESTAMP_WINDOW_SECONDS
                + ")",
            "Seconds (at least " + ApiLimits.MIN_REQUEST_TIMEOUT_SECONDS + ")",
            "Most headers in one request (" + ApiLimits.MIN_REQUEST_HEADERS + " or more)",
            "Most fetch calls in one execution (0 .. " + ServiceConfig.Fetch.MAX_CALLS + ")",
            "Largest request body and response body in bytes (0 .. "
                + ServiceConfig.Fetch.MAX_BODY_BYTES
                + ")",
            "Per call (ms, 1 .. " + ServiceConfig.Fetch.MAX_TIMEOUT_MS + ")",
            "1 .. " + ServiceConfig.Workers.MAX_ID_CHARS + " characters of A-Z a-z 0-9 . _ -",
            "(ms, at most " + ServiceConfig.Workers.MAX_LEASE_MS + ")",
            "At least " + times(ServiceConfig.Workers.MIN_RENEWALS_PER_LEASE) + " renewMs",
            "(ms, at least " + ServiceConfig.Workers.MIN_RENEW_MS + ")",
            "(ms, at least " + ServiceConfig.Workers.MIN_FUNCTION_LOCK_MS + ")",
            "Poll interval (ms, "
                + ServiceConfig.Chain.MIN_POLL_INTERVAL_MS
                + " .. "
                + ServiceConfig.Chain.MAX_POLL_INTERVAL_MS
                + ")",
            "(ms, 0 .. " + ServiceConfig.Submitter.MAX_DELAY_MS + "; 0 sends each answer at once)",
            "re-sent after that (1 .. "
                + ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS
                + ": a node refuses one valid beyond its height + MaxValidUntilBlockIncrement, "
                + (ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS + 1)
                + " on N3)",
            "TCP port (0 .. " + ServiceConfig.Api.MAX_PORT + "); 0 picks a free port"));
  }
}
