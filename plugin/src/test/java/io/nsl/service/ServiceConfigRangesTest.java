package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.DocText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing and address settings an operator types: a value out of its range stops the service at
 * load with the option, its range and the value; both ends of each range load.
 */
class ServiceConfigRangesTest {
  @TempDir Path dir;

  /** One setting: its section, its name, its range. */
  private record Setting(String section, String name, long min, long max) {
    String option() {
      return section + "." + name;
    }

    String yaml(long value) {
      return section + ":\n  " + name + ": " + value + "\n";
    }
  }

  private static final List<Setting> SETTINGS =
      List.of(
          new Setting("submitter", "maxBatch", 1, ServiceConfig.Submitter.MAX_BATCH),
          new Setting("submitter", "maxDelayMs", 0, ServiceConfig.Submitter.MAX_DELAY_MS),
          new Setting(
              "submitter", "validForBlocks", 1, ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS),
          new Setting(
              "chain",
              "pollIntervalMs",
              ServiceConfig.Chain.MIN_POLL_INTERVAL_MS,
              ServiceConfig.Chain.MAX_POLL_INTERVAL_MS),
          new Setting("api", "port", 0, ServiceConfig.Api.MAX_PORT));

  private ServiceConfig load(String yaml) throws IOException {
    return ConfigFiles.load(dir, yaml);
  }

  @Test
  void aValueBelowOrAboveItsRangeIsRefusedNamingTheOptionTheRangeAndTheValue() throws IOException {
    for (Setting s : SETTINGS) {
      for (long bad : new long[] {s.min() - 1, s.max() + 1, -1_000_000, Integer.MAX_VALUE}) {
        if (bad >= s.min() && bad <= s.max()) {
          continue;
        }
        ServiceConfig.InvalidConfig e =
            assertThrows(
                ServiceConfig.InvalidConfig.class, () -> load(s.yaml(bad)), s.option() + " " + bad);
        assertTrue(
            e.getMessage().contains(s.option() + " must be " + s.min() + ".." + s.max()),
            e.getMessage());
        assertTrue(e.getMessage().contains("got " + bad), e.getMessage());
      }
    }
  }

  @Test
  void bothEndsOfEachRangeLoad() throws IOException {
    for (Setting s : SETTINGS) {
      for (long edge : new long[] {s.min(), s.max()}) {
        ServiceConfig c = load(s.yaml(edge));
        long read =
            switch (s.option()) {
              case "submitter.maxBatch" -> c.submitter().maxBatch();
              case "submitter.maxDelayMs" -> c.submitter().maxDelayMs();
              case "submitter.validForBlocks" -> c.submitter().validForBlocks();
              case "chain.pollIntervalMs" -> c.chain().pollIntervalMs();
              case "api.port" -> c.api().port();
              default -> throw new AssertionError(s.option());
            };
        assertEquals(edge, read, s.option());
      }
    }
  }

  @Test
  void portZeroStillPicksAFreePortAsTheTestsAndTheDevnetUseIt() throws IOException {
    assertEquals(0, load("api:\n  port: 0\n").api().port());
    assertEquals(0, new ServiceConfig.Api("127.0.0.1", 0).port());
  }

  /**
   * The service sets a fulfilment's validUntilBlock to the block count (height + 1) plus
   * validForBlocks; a node refuses one above height + MaxValidUntilBlockIncrement.
   */
  @Test
  void validForBlocksEndsOneShortOfTheProtocolsMaxValidUntilBlockIncrement() {
    Matcher m =
        Pattern.compile("MaxValidUntilBlockIncrement: (\\d+)")
            .matcher(DocText.read("config/devnet/protocol.template.yml"));
    assertTrue(m.find(), "config/devnet/protocol.template.yml names MaxValidUntilBlockIncrement");
    assertEquals(Long.parseLong(m.group(1)) - 1, ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS);
  }
}
