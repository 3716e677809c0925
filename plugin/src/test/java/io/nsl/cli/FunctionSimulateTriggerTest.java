package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.RunId;
import io.nsl.trigger.EventFilter;
import io.nsl.trigger.MissedSlotPolicy;
import io.nsl.trigger.Subscription;
import io.nsl.trigger.TriggerKind;
import io.nsl.trigger.TriggerRun;
import io.nsl.trigger.TriggerScheduler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nsl function simulate --trigger schedule|event}: the input is the one the service's
 * scheduler gives the same slot or event, and the run id is its context.requestId.
 */
class FunctionSimulateTriggerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GAS = "0xd2a4cff31913016155e38e474a2c06d08be276cf";
  static final String TARGET = "0x0102030405060708090a0b0c0d0e0f1011121314";
  static final String OWNER = "0x" + "22".repeat(20);
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path echo() throws Exception {
    return Files.writeString(dir.resolve("echo.js"), "function main(i){ return i }");
  }

  static Subscription subscription(
      long id, TriggerKind kind, Optional<Subscription.EventTrigger> e) {
    return new Subscription(
        id,
        "echo",
        OWNER,
        kind,
        kind == TriggerKind.EVERY_BLOCKS ? 2 : 0,
        Optional.empty(),
        e,
        TARGET,
        "onResult",
        10,
        15_000_000,
        MissedSlotPolicy.EACH_ONCE,
        Subscription.Status.ACTIVE,
        -1);
  }

  @Test
  void aScheduleSlotGetsTheInputTheSchedulerGivesIt() throws Exception {
    Run r =
        run(
            "function",
            "simulate",
            echo().toString(),
            "--trigger",
            "schedule",
            "--subscription",
            "3",
            "--slot",
            "40",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode out = JSON.readTree(r.out());
    Instant time = Instant.parse(FunctionCommand.Simulate.DEFAULT_BLOCK_TIME);
    List<TriggerRun> due =
        TriggerScheduler.due(
            List.of(subscription(3, TriggerKind.EVERY_BLOCKS, Optional.empty())),
            new TriggerScheduler.Block(40, time, time.minusSeconds(15), "0xb40"),
            new TriggerScheduler.Head(40, time),
            List.of());
    assertEquals(1, due.size());
    assertEquals(JSON.readTree(due.get(0).input()), out.get("result"));
    assertEquals(RunId.of(3, 40), out.get("requestId").asLong());
    assertEquals(Long.toString(RunId.of(3, 40)), out.get("result").get("runId").asText());
  }

  @Test
  void aCronSlotNamesItsTick() throws Exception {
    Run r =
        run(
            "function",
            "simulate",
            echo().toString(),
            "--trigger",
            "schedule",
            "--slot",
            "7",
            "--tick",
            "2026-12-06T12:05:00Z",
            "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals("2026-12-06T12:05:00Z", JSON.readTree(r.out()).get("result").get("tick").asText());
    // --tick reads a time as --block-time does: milliseconds since the epoch name the same tick.
    Run millis =
        run(
            "function",
            "simulate",
            echo().toString(),
            "--trigger",
            "schedule",
            "--slot",
            "7",
            "--tick",
            Long.toString(Instant.parse("2026-12-06T12:05:00Z").toEpochMilli()),
            "--json");
    assertEquals(0, millis.exit(), millis.err());
    assertEquals(r.out(), millis.out());
  }

  @Test
  void anEventGetsTheInputTheSchedulerGivesIt() throws Exception {
    byte[] from = new byte[20];
    byte[] to = new byte[20];
    to[0] = 7;
    String note =
        "{\"contract\":\""
            + GAS
            + "\",\"eventname\":\"Transfer\",\"state\":{\"type\":\"Array\",\"value\":["
            + "{\"type\":\"ByteString\",\"value\":\""
            + Base64.getEncoder().encodeToString(from)
            + "\"},{\"type\":\"ByteString\",\"value\":\""
            + Base64.getEncoder().encodeToString(to)
            + "\"},{\"type\":\"Integer\",\"value\":\"5000\"}]}}";
    Path file = Files.writeString(dir.resolve("note.json"), note);
    String tx = "0x" + "ab".repeat(32);
    Run r =
        run(
            "function",
            "simulate",
            echo().toString(),
            "--trigger",
            "event",
            "--subscription",
            "9",
            "--slot",
            "120",
            "--event-file",
            file.toString(),
            "--tx-hash",
            tx,
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode out = JSON.readTree(r.out());
    JsonNode parsed = JSON.readTree(note);
    Instant time = Instant.parse(FunctionCommand.Simulate.DEFAULT_BLOCK_TIME);
    List<TriggerRun> due =
        TriggerScheduler.due(
            List.of(
                subscription(
                    9,
                    TriggerKind.EVENT,
                    Optional.of(new Subscription.EventTrigger(GAS, "Transfer", EventFilter.NONE)))),
            new TriggerScheduler.Block(120, time, time.minusSeconds(15), "0xb120"),
            new TriggerScheduler.Head(120, time),
            List.of(
                new NeoRpcClient.Notification(
                    tx, GAS, "Transfer", NeoRpcClient.parseStack(parsed.get("state")).asList())));
    assertEquals(1, due.size());
    assertEquals(JSON.readTree(due.get(0).input()), out.get("result"));
    assertEquals(5000, out.get("result").get("arguments").get(2).asLong());
    assertEquals(RunId.of(9, RunId.eventSlot(120, 0)), out.get("requestId").asLong());
  }

  @Test
  void refusesInputThatCannotBeATriggersRun() throws Exception {
    String fn = echo().toString();
    String[][] bad = {
      {"--trigger", "schedule", "--slot", "1", "--input", "{}"},
      {"--trigger", "hourly", "--slot", "1"},
      {"--trigger", "schedule"},
      {"--trigger", "event", "--slot", "1"},
      {"--trigger", "event", "--slot", "1", "--event", "{\"contract\":\"0x00\"}"},
      {"--trigger", "event", "--slot", "1", "--event", "not json"},
      {"--trigger", "schedule", "--slot", "1", "--tick", "noon"},
      {"--trigger", "schedule", "--slot", "1", "--subscription", "0"},
      {"--slot", "1"},
    };
    for (String[] args : bad) {
      String[] all = new String[args.length + 3];
      all[0] = "function";
      all[1] = "simulate";
      all[2] = fn;
      System.arraycopy(args, 0, all, 3, args.length);
      Run r = run(all);
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
      assertTrue(r.err().contains("--"), "the message names the option: " + r.err());
    }
  }
}
